"""Run a 公文规范 kind with its shipped rule's parameters."""

from __future__ import annotations

from typing import Any

from auditor import checks
from auditor.checks.contract import Context, whole
from auditor.models import Document, Outcome
from auditor.packs.ruleset import load_builtin_packs

from conftest import make_doc

_PACK = load_builtin_packs()["gongwen"]


def rule_params(rule_id: str) -> Any:
    """The rule's compiled parameters (the kind's Params NamedTuple)."""
    rule = _PACK.rule(rule_id)
    assert rule is not None
    return rule.params


def run_on(rule_id: str, doc: Document, **overrides: Any) -> Outcome:
    rule = _PACK.rule(rule_id)
    assert rule is not None
    return checks.get(rule.kind).check(whole(doc), rule.params._replace(**overrides), Context())


def run_rule_kind(rule_id: str, text: str, **overrides: Any) -> Outcome:
    return run_on(rule_id, make_doc(text, _PACK), **overrides)
