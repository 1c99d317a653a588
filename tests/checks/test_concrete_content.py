from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

SCOPE = {"role": "plan"}
P = {"reject_patterns": ["(无|暂无|略)[。.]?"], "min_items": 2, "min_chars": 20}
HEAD = "一、主要举措和成效\n正文。\n二、2024年工作安排\n"


@pytest.mark.parametrize(("text", "met"), [
    (HEAD + "一是加强执法人员培训，全年轮训一次。二是深化普法宣传，开展宪法宣传周活动。", Met.MET),
    (HEAD + "（一）完善领导体制和工作机制，定期学习。\n（二）继续狠抓法治宣传教育，开展普法。", Met.MET),
    (HEAD + "1.完善领导体制和工作机制，定期学习。\n2.继续狠抓法治宣传教育，开展普法。", Met.MET),
    (HEAD + "无。", Met.UNMET),
    (HEAD + "暂无", Met.UNMET),
    (HEAD + "略。", Met.UNMET),
    (HEAD + "继续努力。", Met.UNMET),
    (HEAD + "我们将继续努力，进一步推进法治政府建设再上新台阶，确保各项工作落到实处。", Met.UNMET),
    (HEAD + "一是加强培训，全年轮训一次执法人员。一是加强培训，全年轮训。", Met.UNMET),  # not distinct
    (HEAD.rstrip("\n"), Met.UNMET),  # heading only
    ("一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
])
def test_concrete_content(annual: Any, text: str, met: Met) -> None:
    assert run_kind("concrete_content", text, P, annual, scope=SCOPE).met is met


def test_missing_part_can_fail(annual: Any) -> None:
    out = run_kind("concrete_content", "一、主要举措和成效\n正文。", P, annual, scope={**SCOPE, "missing": "fail"})
    assert out.met is Met.UNMET


@pytest.mark.parametrize(("text", "met"), [
    (HEAD + "加强执法人员培训，全年组织执法人员轮训一次，提高执法规范化水平。\n"
            "深化普法宣传，围绕民法典开展进社区、进企业活动，提升群众法治意识。", Met.MET),
    (HEAD + "第一，加强执法人员培训，全年轮训一次。第二，深化普法宣传，开展宪法宣传周活动。", Met.MET),
    (HEAD + "我们将继续努力，进一步推进法治政府建设再上新台阶，确保各项工作落到实处。", Met.UNMET),
])
def test_paragraphs_and_ordinals_count_as_measures(annual: Any, text: str, met: Met) -> None:
    assert run_kind("concrete_content", text, {**P, "paragraph_chars": 30}, annual, scope=SCOPE).met is met


def test_first_responsible_person_is_not_an_ordinal(annual: Any) -> None:
    text = HEAD + "落实第一责任人职责，推动法治建设。落实第一责任人述法制度。"
    assert run_kind("concrete_content", text, P, annual, scope=SCOPE).met is Met.UNMET


C = {**P, "concrete": True, "paragraph_chars": 30}


@pytest.mark.parametrize(("plan", "met"), [
    # quantity, time, named instrument, an action with its object: each makes an item concrete
    ("一是加强执法人员培训，全年轮训一次。二是每季度开展一次案卷评查。", Met.MET),
    ("（一）继续狠抓法治宣传教育。继续与司法部门开展普法活动，利用国家宪法宣传日等重要节点开展普法宣传。\n"
     "（二）继续建立专项宣传阵地。利用各村(社区)、学校等单位的公开栏打造稳固的专项宣传阵地。", Met.MET),
    ("一是落实“谁执法谁普法”责任制。二是聘请法律顾问审查重大合同。", Met.MET),
    # bare “继续加强……” items, however many
    ("一是继续加强组织领导。二是进一步深化法治宣传教育。三是不断提升依法行政水平。", Met.UNMET),
    ("（一）完善领导体制和工作机制，定期学习。\n（二）继续狠抓法治宣传教育，开展普法。", Met.UNMET),
    ("一是加强执法队伍建设，提升执法能力。二是统一部署，推进法治政府建设各项工作。", Met.UNMET),
])
def test_only_concrete_items_count(annual: Any, plan: str, met: Met) -> None:
    assert run_kind("concrete_content", HEAD + plan, C, annual, scope=SCOPE).met is met


def test_vague_items_are_quoted_with_their_place(annual: Any) -> None:
    out = run_kind("concrete_content", HEAD + "一是继续加强组织领导。二是进一步深化法治宣传教育。三是开展执法人员轮训，全年2期。",
                   C, annual, scope=SCOPE)
    assert out.met is Met.UNMET
    assert out.message.startswith("“下一年度推进法治政府建设的主要安排”部分的3项安排只有1项写出具体举措")
    assert "第4行“继续加强组织领导。”；第4行“进一步深化法治宣传教育。”" in out.message
    assert [e.text for e in out.evidence] == ["继续加强组织领导。", "进一步深化法治宣传教育。"]


def test_a_passing_plan_quotes_what_makes_it_concrete(annual: Any) -> None:
    out = run_kind("concrete_content", HEAD + "一是继续加强组织领导。二是全年组织执法人员轮训一次。三是每季度开展案卷评查。",
                   C, annual, scope=SCOPE)
    assert out.met is Met.MET and "一次" in out.evidence[0].text


@pytest.mark.parametrize(("plan", "met"), [
    # the three instruments of 行政执法“三项制度” named one by one are named instruments
    ("一是深化行政执法体制改革，落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。"
     "二是坚持和发展新时代枫桥经验，落实领导干部述法制度。", Met.MET),
    # 落实行政… holds the letters of 实行, but no action: these stay bare
    ("一是认真落实行政管理各项工作。二是全面落实行政执法责任。", Met.UNMET),
])
def test_named_instruments_and_glued_verbs(annual: Any, plan: str, met: Met) -> None:
    assert run_kind("concrete_content", HEAD + plan, C, annual, scope=SCOPE).met is met


def test_measure_in_remembered_answers_what_reading_the_text_answers(every_document: Any) -> None:
    """measure_in keeps its latest answers by text (two rules read the plan items): on every item
    of every part of every fixture, corpus and perf-corpus text, asked twice, it answers what
    reading the text afresh answers."""
    from auditor.checks._plan import _measure_in, measure_in
    from auditor.document.items import split_items
    from auditor.packs.plan_words import measures

    words = measures()
    concrete = 0
    for _, doc in every_document:
        for part in doc.parts:
            for item in split_items(part.body):
                fresh = _measure_in(item.text, words)
                assert measure_in(item.text, words) == fresh == measure_in(item.text, words)
                concrete += fresh is not None
    assert concrete > 500
