"""Scope belongs to the engine: every kind that reads a part gives the same result when it is missing."""

from __future__ import annotations

from typing import Any

import pytest

from auditor import checks
from auditor.checks.contract import Scoping
from auditor.models import Met

from conftest import run_kind

# minimal valid params for each kind that reads a part
PARAMS: dict[str, dict[str, Any]] = {
    "pattern_present": {"patterns": ["原因"]},
    "pattern_absent": {"patterns": ["XX"]},
    "keyword_groups": {"groups": {"学法": ["学法"]}, "min_groups": 1},
    "concrete_content": {"min_items": 1},
    "figures_consistent": {"total_patterns": ["共"], "part_patterns": ["其中"], "share_patterns": ["率"]},
    "dates_in_period": {},
    "plan_answers": {},
    # the 公文规范 kinds that read lines (rules/gongwen.yaml uses them on the whole report)
    "punctuation": {"groups": {"半角逗号": [","]}},
    "number_forms": {"groups": {"短横线范围": ["\\d-\\d"]}},
    "core_areas": {},
    "fixed_terms": {"terms": [{"pattern": "XX", "right": "某某", "source": "示例", "right_example": "某某",
                               "wrong_example": "XX"}]},
}
NO_PLAN = "一、主要举措和成效\n正文XX。"


def test_every_scoped_kind_is_covered() -> None:
    scoped = {k for k in checks.CHECK_KINDS if checks.get(k).scoping is not Scoping.NONE}
    assert scoped == set(PARAMS)


@pytest.mark.parametrize("kind", sorted(PARAMS))
@pytest.mark.parametrize(("missing", "met"), [("skip", Met.NOT_APPLICABLE), ("fail", Met.UNMET)])
def test_missing_part_same_for_every_kind(annual: Any, kind: str, missing: str, met: Met) -> None:
    out = run_kind(kind, NO_PLAN, PARAMS[kind], annual, scope={"role": "plan", "missing": missing})
    assert out.met is met
    # failing: the rule's own message will say what is missing; skipped: the result says why
    if missing == "fail":
        assert out.message == ""
    else:
        assert out.message.startswith("没有“") and out.message.endswith("安排”部分，不检查此项")


@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_kind_reads_only_its_part(annual: Any, kind: str) -> None:
    """The text outside the scope is not seen: the same part text gives the same result
    whatever comes before it."""
    plan = "\n二、2024年工作安排\n一是学法，分析原因。二是继续学法，持续推进。"
    short = run_kind(kind, "一、主要举措和成效\n正文。" + plan, PARAMS[kind], annual, scope={"role": "plan"})
    noisy = run_kind(kind, "一、主要举措和成效\n正文XX，学法，原因。" + plan, PARAMS[kind], annual,
                     scope={"role": "plan"})
    assert short.met is noisy.met
