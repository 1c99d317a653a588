from __future__ import annotations

import pytest

from auditor.models import Met

from checks._gongwen import run_rule_kind


@pytest.mark.parametrize("text", [
    "一、甲\n开展普法活动1.2万人次，覆盖率达95%，每季度开展3～5次专项检查。",
    "一、甲\n接听12345热线来电12000件，办理2021—2023年积压案件。",  # a hotline number, a year range
    "一、甲\n第十次会议审议通过。一万人次。两万人次。",  # one form throughout
])
def test_consistent_numbers_pass(text: str) -> None:
    outcome = run_rule_kind("GW202", text)
    assert outcome.met is Met.MET, outcome.message


@pytest.mark.parametrize(("text", "says"), [
    ("一、甲\n开展普法1.2万人次，另组织群众一万人次参加。", "万、亿计数写法不一致（阿拉伯数字1处、汉字数字1处；如“一万人次”"),
    ("一、甲\n每季度开展3-5次检查。", "数值范围用了短横线或半角波浪线1处（“3-5次”"),
    ("一、甲\n覆盖率达95%，满意度达百分之九十八，合格率98%。", "百分数写法不一致（阿拉伯数字2处、汉字数字1处；如“百分之九十八”"),
    ("一、甲\n受理12,345件，办结23456件，转办34567件。", "多位数分节写法不一致"),
    ("一、甲\n受理12，345件。", "用全角逗号分节1处"),
])
def test_number_defects(text: str, says: str) -> None:
    outcome = run_rule_kind("GW202", text)
    assert outcome.met is Met.UNMET
    assert says in outcome.message, outcome.message
