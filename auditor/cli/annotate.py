"""`auditor annotate`: a new .docx with a Word comment (批注) at each finding."""

from __future__ import annotations

import sys

import click

from auditor.cli.common import _config
from auditor.cli.options import config_option, deadline_option, max_memory_option, pack_option, timeout_option, with_option


@click.command()
@click.argument("path")
@click.option("-o", "--output", metavar="OUT.docx", help="Where to write [default: DRAFT.批注.docx beside the input].")
@pack_option("Report type: auto (detected), or a pack id [default: auto].")
@with_option("Also check an add-on pack; repeatable.")
@deadline_option()
@config_option()
@timeout_option("Time budget for the document, enforced by stopping its worker process (0: none).")
@max_memory_option("Memory cap for the worker process (0: none) [default: 2048].")
@click.option("--author", metavar="NAME", help="Name the comments and tracked changes are signed with "
              "(or comment_author: in auditor.yaml) [default: 合规自查].")
def annotate(path: str, output: str | None, pack: str | None, with_packs: tuple[str, ...], deadline: str | None,
             config_path: str | None, timeout: float, max_memory: int | None, author: str | None) -> None:
    """Write a new .docx with a Word comment (批注) at each finding; the input is never changed.

    Annotating an annotated copy again replaces auditor's earlier comments and writes the next
    round's file (DRAFT.批注.docx → DRAFT.批注2.docx). With --with gongwen the mechanical
    corrections (full-width marks, （一）, 2024年3月4日, 12·4 …) are tracked changes.

    A .docx keeps everything it has (tracked changes, numbering, tables, headers, footers) and
    gains the comments. A .pdf, .txt, .md, .html, .doc or .wps gives a new .docx of its
    extracted text with the same comments. Exit 0 pass, 1 fail, 2 unreadable."""
    from auditor.cli.commands import annotate_to

    cfg, packs = _config(config_path)
    sys.exit(annotate_to(path, output, packs, cfg, pack=pack, deadline=deadline, timeout=timeout,
                         with_packs=with_packs, max_memory=max_memory, author=author))
