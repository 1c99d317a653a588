"""Helpers for the loader tests: the generated format fixtures and what each should yield."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from auditor.errors import DocumentLoadError
from auditor.loaders import load
from auditor.models import RawText

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "fixtures" / "formats"
BAD = FORMATS / "bad"
MANIFEST: list[dict[str, str]] = json.loads((FORMATS / "manifest.json").read_text(encoding="utf-8"))
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def entries(ext: str) -> list[dict[str, str]]:
    return [m for m in MANIFEST if m["file"].endswith(ext)]


def ids(items: list[dict[str, str]]) -> list[str]:
    return [m["file"] for m in items]


def squeeze(text: str) -> str:
    """Compare modulo whitespace: sources hold NBSP, EN SPACE and spaces PDFs cannot keep."""
    return re.sub(r"\s+", "", text)


def expected_lines(entry: dict[str, str]) -> list[str]:
    """The source's non-empty lines; a web page keeps only the report (up to the signature date),
    because the web leftovers after it in 000/002 are the site's footer there, which is dropped."""
    lines = [ln.strip() for ln in (ROOT / entry["source"]).read_text(encoding="utf-8").splitlines() if ln.strip()]
    if entry["file"].endswith(".html"):
        dates = [i for i, ln in enumerate(lines) if _DATE.match(ln)]
        if dates:
            lines = lines[: dates[-1] + 1]
    return lines


def assert_same_lines(got: list[str], want: list[str]) -> None:
    assert [squeeze(x) for x in got] == [squeeze(x) for x in want]


def load_matching_source(entry: dict[str, str], fmt: str) -> RawText:
    """Load a generated fixture, check its format, and that its lines are its source's."""
    raw = load(str(FORMATS / entry["file"]))
    assert raw.fmt == fmt
    assert_same_lines([ln.text for ln in raw.lines], expected_lines(entry))
    return raw


def load_error(path: Path | str, **kwargs: Any) -> str:
    """The message of the DocumentLoadError that load() must raise."""
    with pytest.raises(DocumentLoadError) as info:
        load(str(path), **kwargs)
    message = str(info.value)
    assert message and "\n" not in message
    return message


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def make_docx(body: str, *, numbering: str | None = None, styles: str | None = None) -> bytes:
    """A minimal .docx around raw WordprocessingML (`w:` prefix bound), for exact reader tests."""
    ns = f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        if numbering is not None:
            zf.writestr("word/numbering.xml", f"<w:numbering {ns}>{numbering}</w:numbering>")
        if styles is not None:
            zf.writestr("word/styles.xml", f"<w:styles {ns}>{styles}</w:styles>")
    return buf.getvalue()


def para(text: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
