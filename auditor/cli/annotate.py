"""`auditor annotate`: a new .docx with a Word comment (批注) at each finding."""

from __future__ import annotations

import sys

import click

from auditor.cli.common import _config
from auditor.cli.options import PackOption, _deadline


@click.command()
@click.argument("path")
@click.option("-o", "--output", metavar="OUT.docx", help="Where to write [default: DRAFT.批注.docx beside the input].")
@click.option("--pack", cls=PackOption, help="Report type: auto (detected), or a pack id [default: auto].")
@click.option("--with", "with_packs", multiple=True, metavar="PACK", cls=PackOption, addons=True,
              help="Also check an add-on pack; repeatable.")
@click.option("--deadline", callback=_deadline, metavar="MM-DD", help="Submission deadline for AR303, e.g. 03-01 for departments (default 04-01); publication (AR304) stays 04-01.")
@click.option("--config", "config_path", metavar="PATH", help="Config file (default: auditor.yaml … found upward).")
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
              help="Time budget for the document, enforced by stopping its worker process (0: none).")
@click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB",
              help="Memory cap for the worker process (0: none) [default: 2048].")
def annotate(path: str, output: str | None, pack: str | None, with_packs: tuple[str, ...], deadline: str | None,
             config_path: str | None, timeout: float, max_memory: int | None) -> None:
    """Write a new .docx with a Word comment (批注) at each finding; the input is never changed.

    A .docx keeps everything it has (tracked changes, numbering, tables, headers, footers) and
    gains the comments. A .pdf, .txt, .md, .html, .doc or .wps gives a new .docx of its
    extracted text with the same comments. Exit 0 pass, 1 fail, 2 unreadable."""
    from auditor.cli.commands import annotate_to

    cfg, packs = _config(config_path)
    sys.exit(annotate_to(path, output, packs, cfg, pack=pack, deadline=deadline, timeout=timeout,
                         with_packs=with_packs, max_memory=max_memory))
