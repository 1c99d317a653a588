from __future__ import annotations

from typing import Any

from conftest import FIXTURES, make_doc


def _doc(name: str, annual: Any) -> Any:
    return make_doc((FIXTURES / name).read_text(encoding="utf-8"), annual)


def test_seed_000_parts_signature_and_chrome(annual: Any) -> None:
    doc = _doc("seeds/000_ae009fae7ef3885b.txt", annual)
    assert doc.title == ()
    assert [p.numeral for p in doc.parts] == [1, 2, 3, 4, 5]
    assert [p.role for p in doc.parts] == ["achievements", "duties", "shortcomings", "plan", "other"]
    assert doc.signature.body is not None and doc.signature.body.no == 19
    assert doc.signature.date_value == (2024, 3, 4)
    assert [ln.no for ln in doc.chrome] == list(range(21, 28))
    assert [ln.no for ln in doc.parts[-1].body] == [18]  # the signature is not part 5's body
    assert len(doc.parts[0].subheadings) == 3


def test_seed_004_two_line_title_and_no_signature(annual: Any) -> None:
    doc = _doc("seeds/004_c31362d728184ceb.txt", annual)
    assert [ln.no for ln in doc.title] == [2, 3]
    assert [ln.no for ln in doc.preamble] == [5]
    assert doc.signature.body is None and doc.signature.date is None
    assert doc.report_year == 2023


def test_seed_002_thematic_parts_inferred(annual: Any) -> None:
    doc = _doc("seeds/002_84eb398e434a8021.txt", annual)
    assert [(p.role, p.inferred) for p in doc.parts] == [
        ("achievements", True), ("achievements", True), ("shortcomings", False), ("plan", False)]


def test_restarted_numbering_inside_a_part_is_body(annual: Any) -> None:
    doc = make_doc("一、主要举措和成效\n正文。\n二、下一步工作计划\n一、加强培训。\n二、深化普法。", annual)
    assert len(doc.parts) == 2
    assert [ln.no for ln in doc.parts[1].body] == [4, 5]


def test_markdown_headings_and_first_part_heading_forms(annual: Any) -> None:
    doc = make_doc("第一部分 主要举措和成效\n正文。\n第二部分 存在的问题\n正文。", annual)
    assert [p.role for p in doc.parts] == ["achievements", "shortcomings"]
    doc = make_doc("一.主要举措和成效\n正文。\n二，存在的问题\n正文。", annual)
    assert [p.numeral for p in doc.parts] == [1, 2]


def test_duplicate_title_and_year_from_preamble(annual: Any) -> None:
    doc = make_doc("某街道法治政府建设情况报告\n某街道法治政府建设情况报告\n2023年，某街道坚持依法行政。\n一、主要举措和成效\n正文。", annual)
    assert [ln.no for ln in doc.title] == [1, 2]
    assert doc.report_year == 2023 and doc.year_evidence is not None and doc.year_evidence.no == 3


def test_site_clock_does_not_give_the_year(annual: Any) -> None:
    doc = make_doc("今天是：2019年10月31日\n某街道法治政府建设情况报告\n一、主要举措和成效\n正文。", annual)
    assert [ln.no for ln in doc.chrome] == [1]
    assert doc.report_year is None


def test_page_dates_in_saved_text_become_metadata(annual: Any) -> None:
    doc = make_doc("索引号：11500108/2024-00012\n成文日期：2024年3月1日\n发布日期：2024-03-20\n"
                   "某街道2023年法治政府建设情况报告\n一、主要举措和成效\n正文。", annual)
    assert doc.meta == {"written": "2024-03-01", "published": "2024-03-20"}
    assert [ln.no for ln in doc.chrome] == [1, 2, 3]
    assert [ln.no for ln in doc.title] == [4]


def test_markdown_bold_headings(annual: Any) -> None:
    doc = make_doc("**一、主要举措和成效**\n正文。\n**二、存在的问题**\n**（一）培训不足**\n正文。", annual)
    assert [p.role for p in doc.parts] == ["achievements", "shortcomings"]
    assert [ln.no for ln in doc.parts[1].subheadings] == [4]
