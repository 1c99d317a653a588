from __future__ import annotations

import pytest

from auditor.models import Met

from checks._gongwen import run_rule_kind

BODY = "\n一、主要举措和成效\n全年办理行政复议案件12件。"


@pytest.mark.parametrize(("title", "met", "says"), [
    ("某某县人民政府关于2023年法治政府建设情况的报告", Met.MET, ""),
    ("某某县司法局2023年法治政府建设年度报告", Met.MET, ""),
    ("某某县人民政府\n关于2023年法治政府建设情况的报告", Met.MET, ""),  # a title on two lines
    ("某某县司法局关于贯彻《中华人民共和国行政复议法》情况的报告", Met.MET, ""),  # 《》 are allowed
    ("2023年法治政府建设情况报告", Met.UNMET, "没有写明发文机关"),
    ("某某县人民政府关于2023年法治政府建设情况", Met.UNMET, "没有以文种"),
    ("某某县人民政府关于2023年法治政府建设、依法行政情况的报告", Met.UNMET, "含有标点“、”"),
    ("某某县人民政府关于2023年法治政府建设(依法行政)情况的报告", Met.UNMET, "含有标点“()”"),
])
def test_title_form(title: str, met: Met, says: str) -> None:
    outcome = run_rule_kind("GW103", title + BODY)
    assert outcome.met is met, outcome.message
    assert says in outcome.message


def test_no_title_is_not_applicable() -> None:
    assert run_rule_kind("GW103", "一、主要举措和成效\n全年办理行政复议案件12件。").met is Met.NOT_APPLICABLE
