from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

SCOPE = {"role": "duties"}
P = {
    "min_groups": 3,
    "groups": {"学法": ["学法"], "听取汇报": ["听取.{0,20}汇报"], "述法": ["述法"], "出庭": ["出庭应诉"]},
}
HEAD = "一、主要举措和成效\n正文。\n二、主要负责人履行推进法治建设第一责任人职责情况\n"


@pytest.mark.parametrize(("params", "text", "met"), [
    (P, HEAD + "带头学法，听取法治工作汇报3次，开展述法。", Met.MET),
    (P, HEAD + "带头学法，听取汇报。", Met.UNMET),
    (P, "一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
    ({**P, "quantified_patterns": [r"\d+\s*次"], "min_quantified": 1}, HEAD + "带头学法，听取汇报，开展述法。", Met.PARTLY),
    ({**P, "quantified_patterns": [r"\d+\s*次"], "min_quantified": 1}, HEAD + "带头学法，听取汇报3次，开展述法。", Met.MET),
])
def test_keyword_groups(annual: Any, params: dict[str, Any], text: str, met: Met) -> None:
    assert run_kind("keyword_groups", text, params, annual, scope=SCOPE).met is met


def test_message_lists_missing_groups(annual: Any) -> None:
    out = run_kind("keyword_groups", HEAD + "带头学法。", P, annual, scope=SCOPE)
    assert out.message.startswith("只写到学法1类职责，还可以写") and "听取汇报" in out.message
