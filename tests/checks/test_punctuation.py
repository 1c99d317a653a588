from __future__ import annotations

import pytest

from auditor.models import Fix, Met

from checks._gongwen import run_rule_kind


@pytest.mark.parametrize("text", [
    "一、主要举措和成效\n全年办理案件12件，同比增长5%；一是健全制度，二是压实责任。",
    "一、主要举措和成效\n投入资金1,200万元，网址 www.gov.cn 可查。",  # figures and ASCII words keep their marks
    "一、主要举措和成效\n首先，健全制度；其次，压实责任。",
])
def test_clean_text_passes(text: str) -> None:
    outcome = run_rule_kind("GW201", text)
    assert outcome.met is Met.MET, outcome.message


@pytest.mark.parametrize(("text", "says"), [
    ("一、甲\n全年办理案件12件,同比增长。", "半角逗号1处"),
    ("一、甲\n主要做法:一是健全制度;二是压实责任。", "半角分号或冒号2处"),
    ("一、甲\n开展(专项)检查。", "半角括号2处"),
    ("一、甲\n开展\"法治体检\"活动。", "半角引号2处"),
    ("一、甲\n开展检查，，整改到位。", "标点叠用1处"),
    ("一、甲\n一是、健全制度。", "序次语后用顿号1处"),
    ("一、甲\n主要做法。第一、健全制度。", "序次语后用顿号1处"),
])
def test_misused_marks_are_counted(text: str, says: str) -> None:
    outcome = run_rule_kind("GW201", text)
    assert outcome.met is Met.UNMET
    assert says in outcome.message, outcome.message


def test_a_draft_full_of_half_width_commas_gives_one_finding_listing_every_place_with_its_fix() -> None:
    # one full-width comma: the draft was typed this way, not turned half-width by a copy
    text = "一、主要举措和成效\n总体上，工作完成。\n" + "\n".join(f"第{i}项工作,全部完成,群众满意。" for i in range(1, 41))
    outcome = run_rule_kind("GW201", text)
    assert outcome.met is Met.UNMET
    assert outcome.message.startswith("标点用法不规范80处（半角逗号80处）")
    assert "第3行、第4行、第5行、第6行、第7行等" in outcome.message
    assert len(outcome.evidence) == 80  # every place
    assert [e.fix for e in outcome.evidence[:2]] == [Fix(5, ",", "，"), Fix(10, ",", "，")]  # “第1项工作,全部完成,”
    assert all(e.fix == Fix(e.fix.at, ",", "，") for e in outcome.evidence)


def test_a_normalised_copy_says_once_that_width_cannot_be_judged() -> None:
    # every ，：；（） turned half-width while 。、“” stayed: a web copy, not the drafter's doing
    text = "一、主要举措和成效\n" + "\n".join(f"第{i}项工作,全部完成(见附表),群众满意、认可。" for i in range(1, 41))
    outcome = run_rule_kind("GW201", text)
    assert outcome.met is Met.NOT_APPLICABLE and not outcome.evidence
    assert "无法据此判断原稿标点的全角、半角" in outcome.message
    # a real error on the same copy is still found, and the note is said once
    outcome = run_rule_kind("GW201", text + "\n一是、健全制度。")
    assert outcome.met is Met.UNMET and outcome.message.count("无法据此判断") == 1
    assert [e.fix for e in outcome.evidence] == [Fix(2, "、", "，")]
    assert run_rule_kind("GW102", "一、甲\n" + text.replace("一、主要举措和成效\n", "(一)乙,丙,丁。\n")).met is Met.MET


