from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

P = {"patterns": ["法治政府建设.{0,30}报告"], "require_year": True}
BODY = "\n一、主要举措和成效\n开展普法12场。"


@pytest.mark.parametrize(("text", "met"), [
    ("某某街道2023年法治政府建设情况报告" + BODY, Met.MET),
    ("某某区人民政府\n关于2023年度法治政府建设情况的报告" + BODY, Met.MET),
    ("某某街道2023年法治政府建设情况报告\n某某街道2023年法治政府建设情况报告" + BODY, Met.MET),
    ("某某街道法治政府建设情况报告" + BODY, Met.UNMET),
    ("某某街道2023年工作总结报告" + BODY, Met.UNMET),
    ("2023年，某街道坚持依法行政，现将情况报告如下：" + BODY, Met.UNMET),
])
def test_title(annual: Any, text: str, met: Met) -> None:
    assert run_kind("title", text, P, annual).met is met


def test_title_evidence_points_at_both_lines(annual: Any) -> None:
    out = run_kind("title", "某某区人民政府\n关于2023年度法治政府建设情况的报告" + BODY, P, annual)
    assert [e.line for e in out.evidence] == [1, 2]
