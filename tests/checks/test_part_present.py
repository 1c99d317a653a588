from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

THEMATIC = "一、加强组织领导\n开展普法12场。\n二、规范执法\n办案3件。\n三、存在的问题\n培训不足。"


@pytest.mark.parametrize(("role", "text", "met"), [
    ("achievements", "一、2023年推进法治政府建设的主要举措和成效\n正文。", Met.MET),
    ("achievements", "一、主要工作及成效\n正文。", Met.MET),
    ("achievements", THEMATIC, Met.PARTLY),
    ("achievements", "一、存在的不足和原因\n正文。", Met.UNMET),
    ("shortcomings", "一、主要举措和成效\n正文。\n二、存在问题和不足\n正文。", Met.MET),
    ("duties", "一、主要举措和成效\n正文。\n二、主要负责人履行推进法治建设第一责任人职责情况\n正文。", Met.MET),
    ("plan", "一、主要举措和成效\n正文。\n二、下一步工作打算\n正文。", Met.MET),
    ("plan", "一、主要举措和成效\n正文。\n二、2024年工作思路\n正文。", Met.MET),
    ("other", "一、主要举措和成效\n正文。\n二、其他需要报告的情况\n无。", Met.MET),
    ("other", "一、主要举措和成效\n正文。", Met.UNMET),
])
def test_part_present(annual: Any, role: str, text: str, met: Met) -> None:
    assert run_kind("part_present", text, {"role": role}, annual).met is met


def test_mention_inside_another_part_is_located(annual: Any) -> None:
    text = "一、主要举措和成效\n书记切实履行推进法治建设第一责任人职责。\n二、存在的问题\n正文。"
    out = run_kind("part_present", text, {"role": "duties", "mention_patterns": ["第一责任人"]}, annual)
    assert out.met is Met.UNMET
    assert "第2行" in out.message and "一、主要举措和成效" in out.message
    assert out.evidence[0].line == 2


def test_inferred_can_count_as_unmet(annual: Any) -> None:
    out = run_kind("part_present", THEMATIC, {"role": "achievements", "inferred": "unmet"}, annual)
    assert out.met is Met.UNMET
