from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

END = "一、其他需要报告的情况\n无。\n"


@pytest.mark.parametrize(("element", "text", "met"), [
    ("body", END + "重庆市南岸区人民政府龙门浩街道办事处\n2024年3月4日", Met.MET),
    ("date", END + "重庆市南岸区人民政府龙门浩街道办事处\n2024年3月4日", Met.MET),
    ("body", END + "某某县司法局\n2024年2月26日\n国务院部门网站\n版权所有:某某县人民政府\n用户登录\n立即注册", Met.MET),
    ("date", END + "某某县司法局\n二〇二四年三月四日", Met.MET),
    ("date", END + "某某县司法局\n2024-03-04", Met.MET),
    ("date", END + "某某县司法局\n（2024年3月4日）", Met.MET),
    ("body", END + "某某县人民政府 2024年3月4日", Met.MET),
    ("body", END + "2024年3月4日", Met.UNMET),
    ("date", END + "某某县司法局", Met.UNMET),
    ("body", "某某县司法局\n2023年法治政府建设情况报告\n一、下一步工作计划\n（一）加强培训。\n（二）深化普法。", Met.UNMET),
    ("body", END.rstrip("\n"), Met.UNMET),  # "无。" is no signature
])
def test_signature(annual: Any, element: str, text: str, met: Met) -> None:
    assert run_kind("signature", text, {"element": element}, annual).met is met


def test_top_body_is_named_when_no_signature(annual: Any) -> None:
    text = "某某县司法局\n2023年法治政府建设情况报告\n一、下一步工作计划\n（一）加强培训。\n（二）深化普法。"
    out = run_kind("signature", text, {"element": "body"}, annual)
    assert "某某县司法局" in out.message and "第1行" in out.message


@pytest.mark.parametrize(("page", "met", "said"), [
    ("[ 索引号 ] 11500230008689762A/2026-00004 [ 发文字号 ]\n[ 成文日期 ] 2024-03-04 [ 发布日期 ] 2024-03-10\n",
     Met.MET, "正文落款下没有日期，据网页信息栏的成文日期，报告成文于2024年3月4日"),
    ("| 索引号： | 11500108/2024-00012 |\n| 成文日期： | 2024年02月26日 |\n", Met.MET, "据网页信息栏的成文日期"),
    ("• 索引号：11500108/2024-00012\n• 成文日期：2024年2月26日\n", Met.MET, "报告成文于2024年2月26日"),
    ("[ 发布日期 ] 2024-03-10\n", Met.UNMET, ""),  # a publication date is no 成文日期
])
def test_the_pages_written_date_stands_in(annual: Any, page: str, met: Met, said: str) -> None:
    text = page + "某街道2023年法治政府建设情况报告\n" + END + "某某县司法局"
    out = run_kind("signature", text, {"element": "date"}, annual)
    assert out.met is met and said in out.message


def test_a_date_in_the_text_wins_over_the_pages(annual: Any) -> None:
    text = "[ 成文日期 ] 2024-04-15\n某街道2023年法治政府建设情况报告\n" + END + "某某县司法局\n2024年3月4日"
    out = run_kind("signature", text, {"element": "date"}, annual)
    assert out.met is Met.MET and out.message == "落款日期：2024年3月4日"
