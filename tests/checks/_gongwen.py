"""Run a 公文规范 kind with its shipped rule's parameters."""

from __future__ import annotations

from typing import Any

from auditor import checks
from auditor.checks import Context
from auditor.models import Outcome
from auditor.packs.ruleset import load_builtin_packs

from conftest import make_doc

_PACK = load_builtin_packs(use_cache=False)["gongwen"]


def rule_params(rule_id: str) -> Any:
    rule = _PACK.rule(rule_id)
    assert rule is not None
    return rule.params


def run_rule_kind(rule_id: str, text: str, **overrides: Any) -> Outcome:
    rule = _PACK.rule(rule_id)
    assert rule is not None
    return checks.get(rule.kind).check(make_doc(text, _PACK), {**rule.params, **overrides}, Context())
