"""A part's body split into its listed items (auditor/document/items.py)."""

from __future__ import annotations

from typing import Any

from auditor.document.items import split_items

from conftest import make_doc


def _items(annual: Any, body: str, role: str = "shortcomings") -> list[str]:
    heading = {"shortcomings": "二、存在的不足和原因", "plan": "三、2024年工作安排"}[role]
    doc = make_doc("一、主要举措和成效\n开展普法12场。\n" + heading + "\n" + body, annual)
    part = doc.parts_with_role(role)[0]
    return [i.text for i in split_items(part.body)]


def test_subheadings_leave_out_the_introduction_and_keep_their_lines(annual: Any) -> None:
    got = _items(annual, "但也存在一些问题，主要表现在：\n（一）依法行政意识还不够强。\n一些部门思想认识不到位。\n"
                         "（二）法治机构不健全。")
    assert got == ["(一)依法行政意识还不够强。一些部门思想认识不到位。", "(二)法治机构不健全。"]


def test_deeper_numbering_stays_inside_its_item(annual: Any) -> None:
    got = _items(annual, "（一）执法不规范。\n1.案卷质量不高。\n2.持证率偏低。\n（二）普法形式单一。")
    assert len(got) == 2 and "持证率" in got[0]


def test_inline_enumerations_across_one_line_and_many(annual: Any) -> None:
    one = _items(annual, "存在以下不足：一是法治意识需进一步提升。二是法治业务骨干力量薄弱。三是普法宣传精准度不足。")
    assert one == ["一是法治意识需进一步提升。", "二是法治业务骨干力量薄弱。", "三是普法宣传精准度不足。"]
    many = _items(annual, "一是依法行政水平有待提高。原因:学习不够。\n二是法治宣传力度不够强。")
    assert many == ["一是依法行政水平有待提高。原因:学习不够。", "二是法治宣传力度不够强。"]


def test_sentences_of_one_paragraph_keep_their_cause(annual: Any) -> None:
    got = _items(annual, "执法人员业务能力有待提高；普法宣传形式单一。原因是培训不足。")
    assert got == ["执法人员业务能力有待提高;", "普法宣传形式单一。原因是培训不足。"]


def test_paragraphs_are_items(annual: Any) -> None:
    assert len(_items(annual, "执法人员业务能力有待提高。\n普法宣传形式单一。", role="plan")) == 2


def test_quote_is_the_first_sentence_in_the_original_without_its_number(annual: Any) -> None:
    doc = make_doc("一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n（一）依法行政意识还不够强。一些部门认识不到位。", annual)
    item = split_items(doc.parts_with_role("shortcomings")[0].body)[0]
    assert item.quote() == "依法行政意识还不够强。"
    assert item.evidence().line == 4


def test_labels_are_no_items_and_causes_are_marked(annual: Any) -> None:
    doc = make_doc("一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n（一）存在的不足\n1.法治意识不强。\n"
                   "2.执法力量不足\n（二）原因分析\n1.学习不够。\n2.编制偏紧。", annual)
    items = split_items(doc.parts_with_role("shortcomings")[0].body)
    assert [(i.text, i.cause) for i in items] == [
        ("1.法治意识不强。", False), ("2.执法力量不足", False), ("1.学习不够。", True), ("2.编制偏紧。", True)]


def test_a_plain_label_of_causes_after_the_items(annual: Any) -> None:
    got = _items(annual, "法治建设主要存在以下问题:\n(一)法治意识不强。\n(二)乡村法治人才短缺。\n法治建设不足的原因\n"
                         "(一)学习不够。")
    assert got == ["(一)法治意识不强。", "(二)乡村法治人才短缺。", "(一)学习不够。"]


def test_an_inline_label_of_causes_marks_the_items_after_it(annual: Any) -> None:
    doc = make_doc("一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n"
                   "一是执法人员培训不足；二是普法宣传形式单一。产生这些问题的原因主要有：一是培训经费保障不足；二是宣传人员少。",
                   annual)
    items = split_items(doc.parts_with_role("shortcomings")[0].body)
    assert [i.cause for i in items] == [False, False, True, True]
    # a cause given in its own sentence (原因是…。) is no label: nothing after it turns into a cause
    doc = make_doc("一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n"
                   "一是执法人员培训不足。原因是多方面的。二是普法宣传形式单一。", annual)
    assert [i.cause for i in split_items(doc.parts_with_role("shortcomings")[0].body)] == [False, False]


def test_a_split_asked_for_again_is_the_one_a_fresh_split_gives(every_document: Any) -> None:
    """split_items keeps its latest splits by the lines' identities (two rules split the plan
    part): on every part of every fixture, corpus and perf-corpus text, asked twice and mixed
    with other parts' splits, it gives what splitting afresh gives, and the same lines in a new
    tuple find the same split."""
    from auditor.document import items

    parts = [p for _, doc in every_document for p in doc.parts]
    assert len(parts) > 1000
    for p in parts:
        fresh = items._split(p.body)
        assert items.split_items(p.body) == fresh
        assert items.split_items(tuple(p.body)) == fresh
        assert items.split_items(p.lines) == items._split(p.lines)
        assert items.split_items(p.body) == fresh
