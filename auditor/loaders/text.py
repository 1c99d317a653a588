"""Plain text and Markdown: decoded, one line per line, blank lines kept so numbers match the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import re

from auditor.loaders.decode import decode_bytes
from auditor.loaders.limits import check_text
from auditor.models import RawText, SourceLine

SUFFIXES = (".txt", ".text", ".md", ".markdown")

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")


def extract(data: bytes, *, path: str) -> RawText:
    """Decode and split into lines; Markdown headings are marked with their level."""
    text, encoding = decode_bytes(data)
    check_text(text)  # before splitting: a million short lines would take gigabytes as records
    markdown = path.lower().endswith((".md", ".markdown"))
    lines = []
    for raw in text.splitlines():
        style = None
        if markdown:
            m = _MD_HEADING.match(raw)
            if m:
                style = f"md{len(m.group(1))}"
        lines.append(SourceLine(raw, style=style))
    return RawText(path=path, fmt="md" if markdown else "txt", lines=tuple(lines), encoding=encoding)


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.text as _this

    _contract: Loader = _this
