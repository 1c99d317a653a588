"""PDFs written by LibreOffice from the .docx fixtures (fixtures/make_office_pdfs.py), with what is
known of Word's and WPS's output: wrapped centred titles and right-aligned signers on a narrow
page, a site footer wrapped into centred halves, a seal image over a full-width date, a date
pushed onto the next page. Their verdicts are compared with the text in test_format_equivalence."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.document.normalize import fold
from auditor.document.structure import build
from auditor.loaders import load
from auditor.loaders.pdf import _Line, _paragraphs

from .conftest import FORMATS, MANIFEST, ROOT, ids, squeeze

OFFICE = [m for m in MANIFEST if m["variant"] == "office"]


def _text(lines: list[str]) -> str:
    return squeeze(fold("".join(lines)))


def test_every_seed_and_draft_has_office_pdfs() -> None:
    sources = {m["source"] for m in OFFICE}
    assert {f"fixtures/seeds/{p.name}" for p in (ROOT / "fixtures" / "seeds").glob("*.txt")} <= sources
    assert {"fixtures/reports/compliant.txt", "fixtures/reports/no_signature.txt", "fixtures/reports/late_date.txt"} <= sources
    assert any(m["file"].endswith("_narrow.pdf") for m in OFFICE)


@pytest.mark.parametrize("entry", OFFICE, ids=ids(OFFICE))
def test_same_text_as_source(entry: dict[str, str]) -> None:
    """All the text and nothing else, in order (line breaks aside: a wrapped footer stays split)."""
    raw = load(str(FORMATS / entry["file"]))
    assert raw.fmt == "pdf"
    source = (ROOT / entry["source"]).read_text(encoding="utf-8").splitlines()
    assert _text([ln.text for ln in raw.lines]) == _text(source)


def _doc(name: str) -> Any:
    return build(load(str(FORMATS / "office" / name)))


def test_narrow_page_rejoins_wrapped_title_and_signer() -> None:
    doc = _doc("compliant_lo_narrow.pdf")
    assert [ln.text for ln in doc.title] == ["重庆市渝北区人民政府宝圣湖街道办事处", "关于2023年度法治政府建设情况的报告"]
    assert doc.signature.body is not None and doc.signature.body.text == "重庆市渝北区人民政府宝圣湖街道办事处"
    assert doc.signature.date_value == (2024, 3, 8)


def test_centred_footer_wrapped_into_halves_is_chrome() -> None:
    doc = _doc("000_lo_footer.pdf")
    texts = [ln.text for ln in doc.chrome]
    assert "备:50010802001142号" in texts  # the wrapped half, unknown to the chrome patterns
    assert doc.signature.body is not None and doc.signature.body.text == "重庆市南岸区人民政府龙门浩街道办事处"
    assert doc.signature.date_value == (2024, 3, 4)


def test_seal_image_over_a_full_width_date() -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]

    path = FORMATS / "office" / "compliant_lo_seal.pdf"
    doc = build(load(str(path)))
    assert doc.signature.date is not None and doc.signature.date.text == "２０２４年３月８日"
    assert doc.signature.date_value == (2024, 3, 8)
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[len(pdf) - 1]
        assert any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
        assert (doc.signature.date.where or "").startswith(f"第{len(pdf)}页第")
    finally:
        pdf.close()


def test_date_pushed_onto_the_next_page() -> None:
    doc = _doc("compliant_lo_split.pdf")
    body, date = doc.signature.body, doc.signature.date
    assert body is not None and date is not None
    assert (body.where or "").split("页")[0] != (date.where or "").split("页")[0]  # different pages
    assert body.text.strip() == "重庆市渝北区人民政府宝圣湖街道办事处" and doc.signature.date_value == (2024, 3, 8)


def _line(text: str, x0: float, x1: float, y: float, size: float = 16.0) -> _Line:
    step = (x1 - x0) / len(text)
    chars = [(ch, x0 + k * step, x0 + (k + 1) * step) for k, ch in enumerate(text)]
    return _Line(1, x0, x1, y, y + size, size, text=text, chars=chars)


def test_right_aligned_wrap_joins_but_not_after_a_body_paragraph() -> None:
    body = [_line("一是" + "正文" * 13, 122, 522, 700), _line("正文" * 14 + "。", 90, 522, 676)]
    signer = [_line("重庆市南岸区人民政府龙门浩街道办事处" + "某某某某某某某某", 90, 522, 600),
              _line("综合服务中心", 426, 522, 576), _line("2024年3月4日", 410, 522, 552)]
    got = [ln.text for ln in _paragraphs(body + signer)]
    assert got == [body[0].text + body[1].text, signer[0].text + signer[1].text, signer[2].text]
    # the body's last line filled the width: the right-aligned signer under it is not its continuation
    got = [ln.text for ln in _paragraphs(body + signer[1:])]
    assert got == [body[0].text + body[1].text, signer[1].text, signer[2].text]


def test_centred_title_wrap_joins() -> None:
    title = [_line("重庆市渝北区人民政府宝圣湖街道办事处关于", 92, 520, 760, 22), _line("法治政府建设情况的报告", 188, 424, 730, 22)]
    body = [_line("一是" + "正文" * 13, 122, 522, 700), _line("正文。", 90, 138, 676)]
    got = [ln.text for ln in _paragraphs(title + body)]
    assert got[0] == title[0].text + title[1].text and len(got) == 2


def test_signer_and_date_split_by_a_manual_line_break() -> None:
    doc = _doc("compliant_lo_linebreak.pdf")
    assert doc.signature.body is not None and doc.signature.body.text == "重庆市渝北区人民政府宝圣湖街道办事处"
    assert doc.signature.date is not None and doc.signature.date.text == "2024年3月8日"


def test_unindented_body_paragraph_keeps_its_signer_apart() -> None:
    """Web text pasted into Word has no first-line indent; its last line may fill the width."""
    body = [_line("正文" * 14 + "，", 90, 522, 700), _line("正文" * 14 + "。", 90, 522, 676)]
    signer = [_line("重庆市某区人民政府", 378, 522, 652), _line("2024年3月4日", 410, 522, 628)]
    got = [ln.text for ln in _paragraphs(body + signer)]
    assert got == [body[0].text + body[1].text, signer[0].text, signer[1].text]
