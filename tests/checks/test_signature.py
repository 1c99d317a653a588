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
