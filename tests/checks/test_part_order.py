from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

ORDER = {"order": ["achievements", "shortcomings", "duties", "plan", "other"]}


@pytest.mark.parametrize(("text", "met"), [
    ("一、主要举措和成效\n正文。\n二、存在的不足和原因\n正文。\n三、下一步工作计划\n正文。", Met.MET),
    ("一、加强领导\n正文。\n二、存在的问题\n正文。", Met.MET),  # thematic parts count as achievements
    ("一、主要举措和成效\n正文。\n二、主要负责人履行推进法治建设第一责任人职责情况\n正文。\n三、存在的不足和原因\n正文。", Met.UNMET),
    ("一、其他需要报告的情况\n无。\n二、下一步工作计划\n正文。", Met.UNMET),
    ("一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
])
def test_part_order(annual: Any, text: str, met: Met) -> None:
    assert run_kind("part_order", text, ORDER, annual).met is met


def test_order_evidence_names_both_parts(annual: Any) -> None:
    text = "一、主要举措和成效\n正文。\n二、主要负责人履行推进法治建设第一责任人职责情况\n正文。\n三、存在的不足和原因\n正文。"
    out = run_kind("part_order", text, ORDER, annual)
    assert [e.line for e in out.evidence] == [3, 5]
