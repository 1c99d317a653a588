from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind


@pytest.mark.parametrize(("text", "met"), [
    ("某街道2023年法治政府建设情况报告\n一、2023年推进法治政府建设的主要举措和成效\n正文。\n二、2024年工作安排\n正文。", Met.MET),
    ("一、2023年主要举措和成效\n正文。\n二、下一步工作计划\n正文。", Met.MET),
    ("一、主要举措和成效\n正文。\n二、2024年工作计划\n正文。", Met.MET),  # year from the plan heading
    ("某街道2023年法治政府建设情况报告\n一、主要举措和成效\n正文。\n二、2023年工作安排\n正文。", Met.UNMET),
    ("某街道2025年法治政府建设情况报告\n一、2024年法治政府建设基本情况\n正文。", Met.UNMET),
    ("某街道法治政府建设情况报告\n一、主要举措和成效\n正文。", Met.UNMET),
])
def test_year_consistency(annual: Any, text: str, met: Met) -> None:
    assert run_kind("year_consistency", text, {}, annual).met is met


def test_mismatch_names_line_and_years(annual: Any) -> None:
    text = "某街道2023年法治政府建设情况报告\n一、主要举措和成效\n正文。\n二、2023年工作安排\n正文。"
    out = run_kind("year_consistency", text, {}, annual)
    assert "第4行" in out.message and "应为2024年" in out.message
    assert out.evidence[0].line == 4
