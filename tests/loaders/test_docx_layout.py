"""The layout reader: page setup, grid, effective fonts through styles, footers; broken files."""

from __future__ import annotations

import io
import zipfile

from auditor.loaders import docx_layout, load
from auditor.models import TextFormat

from conftest import FIXTURES

DRAFT = FIXTURES / "gongwen" / "gbt9704.docx"


def test_page_setup_and_grid() -> None:
    layout = load(str(DRAFT), layout=True).layout
    assert layout is not None and layout.page is not None
    page = layout.page
    assert (page.width, page.height, page.top, page.left, page.bottom, page.right) == (210, 297, 37, 28, 35, 26)
    assert page.line_pitch == 28.95
    assert page.char_pitch == 15.79  # 16 pt less 860/4096 pt: 28 characters in 156 mm


def test_paragraphs_are_numbered_as_the_text_reader_numbers_them() -> None:
    raw = load(str(DRAFT), layout=True)
    assert raw.layout is not None
    assert [p.where for p in raw.layout.paragraphs] == [ln.where for ln in raw.lines]
    assert [p.text for p in raw.layout.paragraphs] == [ln.text for ln in raw.lines]


def test_effective_fonts_come_from_runs_styles_and_defaults() -> None:
    layout = load(str(DRAFT), layout=True).layout
    assert layout is not None
    by_where = {p.where: p for p in layout.paragraphs}
    assert by_where["第1段"].formats == (TextFormat("方正小标宋简体", 22, 18),)
    assert by_where["第4段"].formats[0].font == "黑体"
    # a level-2 heading run into its paragraph: 楷体 for the heading, then 仿宋 for the text
    second = by_where["第5段"].formats
    assert [f.font for f in second] == ["楷体_GB2312", "仿宋_GB2312"]
    assert by_where["第3段"].line_rule == "exact" and by_where["第3段"].line_pt == 28.95


def test_footer_page_field() -> None:
    layout = load(str(DRAFT), layout=True).layout
    assert layout is not None
    (footer,) = layout.footers
    assert footer.text == "— {PAGE} —"
    assert {(f.font, f.size) for f in footer.formats} == {("宋体", 14)}


def test_the_layout_is_read_only_when_asked_for() -> None:
    assert load(str(DRAFT)).layout is None
    assert load(str(FIXTURES / "reports" / "compliant.txt"), layout=True).layout is None


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_broken_or_hostile_parts_give_no_layout_rather_than_an_error() -> None:
    assert docx_layout.read(b"not a zip") is None
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:document/>'
    assert docx_layout.read(_zip({"word/document.xml": dtd})) is None
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    plain = f'<w:document {w}><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>'.encode()
    layout = docx_layout.read(_zip({"word/document.xml": plain}))
    assert layout is not None and layout.page is None and layout.footers == ()
    assert layout.paragraphs[0].formats == (TextFormat(None, 10.0, 2),)  # Word's defaults
