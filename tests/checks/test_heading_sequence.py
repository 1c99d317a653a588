from __future__ import annotations

import pytest

from auditor.models import Met

from checks._gongwen import run_rule_kind


@pytest.mark.parametrize("text", [
    "一、甲\n（一）乙\n1.丙\n（1）丁\n（2）戊\n2.己\n（二）庚\n二、辛\n三、壬",
    "一、甲\n1.丙\n2.己\n二、辛\n1.丙",  # “1.” directly under “一、”: GB/T 9704 says 依次可以用
    "一、甲\n正文1.2亿元。\n2023年完成。\n二、辛",  # figures and years are no headings
    "一、甲\n（一）乙\n（二）丙\n二、丁\n（一）戊",  # numbering restarts under a new parent
])
def test_well_formed_numbering_passes(text: str) -> None:
    outcome = run_rule_kind("GW102", text)
    assert outcome.met is Met.MET, outcome.message


@pytest.mark.parametrize(("text", "says"), [
    ("一、甲\n二、乙\n四、丙", "序数不连续，应为第3个，写成了第4个"),
    ("一、甲\n（二）乙", "应为第1个，写成了第2个"),
    ("一、甲\n1.乙\n（一）丙", "层次倒置，“（一）”用在了“1.”之后"),
    ("一、甲\n(一)乙", "“(一)”式应写作“（一）”式（1处，第2行）"),
    ("一.甲\n二、乙", "“一.”式应写作“一、”式"),
    ("一、甲\n（一）乙\n1、丙", "“1、”式应写作“1.”式"),
    ("一、甲\n（一）乙\n1.丙\n(1)丁", "“(1)”式应写作“（1）”式"),
    ("一、甲\n（一）、乙", "“（一）、”式应写作“（一）”式"),
])
def test_numbering_defects_are_named(text: str, says: str) -> None:
    outcome = run_rule_kind("GW102", text)
    assert outcome.met is Met.UNMET
    assert says in outcome.message, outcome.message
    assert outcome.evidence and outcome.evidence[0].line


def test_skipping_a_level_can_be_forbidden() -> None:
    outcome = run_rule_kind("GW102", "一、甲\n1.乙", allow_skip=False)
    assert outcome.met is Met.UNMET and "跳过了“（一）”一层" in outcome.message


def test_a_wrong_form_used_throughout_is_one_entry() -> None:
    text = "一、甲\n" + "\n".join(f"({n})乙" for n in "一二三四五六七八九十")
    outcome = run_rule_kind("GW102", text)
    assert outcome.message == "“(一)”式应写作“（一）”式（10处，第2、3、4、5、6、7、8、9行等）。"
