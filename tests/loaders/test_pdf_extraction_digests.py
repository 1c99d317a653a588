"""The PDF text loop may be rewritten for speed, never for output: every PDF fixture's extracted
lines (text, page, every field of each SourceLine), meta and each page's lines with every
character's box hash to what
tests/golden/pdf_extraction.txt holds (written from the per-character loop before issue 23)."""

from __future__ import annotations

import hashlib
import json

import pytest

from auditor.errors import DocumentLoadError
from auditor.loaders import pdf

from conftest import FIXTURES, ROOT, check_golden


def _digest(path: str) -> str:
    try:
        raw = pdf.extract((FIXTURES / path).read_bytes(), path=path)
    except DocumentLoadError as exc:
        return "error " + hashlib.sha256(str(exc).encode()).hexdigest()[:16]
    lines = [repr(tuple(ln)) if isinstance(ln, tuple) else repr(ln) for ln in raw.lines]
    blob = json.dumps([lines, dict(raw.meta), raw.fmt], ensure_ascii=False, sort_keys=True, default=str)
    return f"{len(raw.lines)} " + hashlib.sha256(blob.encode()).hexdigest()[:16] + " " + _layout(path)


def _layout(path: str) -> str:
    """Each page's visual lines as the loop builds them: every character with its box."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    doc = pdfium.PdfDocument((FIXTURES / path).read_bytes())
    try:
        pages = [pdf._page_lines(doc, i, c) for i in range(len(doc))]
    finally:
        doc.close()
    blob = repr([(h, [(ln.page, ln.x0, ln.x1, ln.y0, ln.y1, ln.size, ln.chars, ln.text) for ln in lines])
                 for h, lines in pages])
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def test_every_pdf_fixture_extracts_as_before() -> None:
    pytest.importorskip("pypdfium2")
    names = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.pdf"))
    assert len(names) >= 30
    check_golden(ROOT / "tests" / "golden" / "pdf_extraction.txt",
                 "".join(f"{n} {_digest(n)}\n" for n in names))
