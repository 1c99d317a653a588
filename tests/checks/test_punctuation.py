from __future__ import annotations

import pytest

from auditor.models import Met

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


def test_a_web_page_full_of_half_width_commas_gives_one_finding_with_a_count() -> None:
    text = "一、主要举措和成效\n" + "\n".join(f"第{i}项工作,全部完成,群众满意。" for i in range(1, 41))
    outcome = run_rule_kind("GW201", text)
    assert outcome.met is Met.UNMET
    assert outcome.message.startswith("标点用法不规范80处（半角逗号80处）")
    assert "第2行、第3行、第4行、第5行、第6行等" in outcome.message
    assert len(outcome.evidence) == 5  # the first few places, one per line
    assert len({e.line for e in outcome.evidence}) == 5
