from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met
from auditor.packs.ruleset import load_builtin_packs

from conftest import run_kind


def _placeholder_params() -> dict[str, Any]:
    rule = load_builtin_packs()["annual"].rule("AR401")
    assert rule is not None
    return {"patterns": [rx.pattern for rx in rule.params.patterns]}


@pytest.mark.parametrize(("text", "met"), [
    ("一、主要举措和成效\n办理信访12件，普法8场。", Met.MET),
    ("一、主要举措和成效\n办理信访XX件。", Met.UNMET),
    ("一、主要举措和成效\n办理信访ＸＸ件。", Met.UNMET),
    ("一、主要举措和成效\n××镇办理信访12件。", Met.UNMET),
    ("一、主要举措和成效\n20xx年办理信访12件。", Met.UNMET),
    ("一、主要举措和成效\n正文。【数据待补充】", Met.UNMET),
    ("一、主要举措和成效\nTODO 补充案例", Met.UNMET),
    ("一、主要举措和成效\n涉法涉诉信访 件，普法*次。", Met.UNMET),
    ("一、主要举措和成效\n此处填写典型案例。", Met.UNMET),
    ("落款\n2024年x月x日", Met.UNMET),
    ("一、主要举措和成效\n引进XXL赛事，开展普法8场。", Met.MET),  # a word, not a placeholder
])
def test_placeholders(annual: Any, text: str, met: Met) -> None:
    assert run_kind("pattern_absent", text, _placeholder_params(), annual).met is met


def test_every_hit_is_located(annual: Any) -> None:
    out = run_kind("pattern_absent", "一、主要举措和成效\n信访XX件。\n普法XX场。", _placeholder_params(), annual)
    assert [e.line for e in out.evidence] == [2, 3]
    assert "第2、3行" in out.message
