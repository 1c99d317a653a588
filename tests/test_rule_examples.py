"""Every rule of every shipped pack: its YAML examples give the statuses they promise."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from auditor.cli.commands import example_document
from auditor.run.engine import AuditOptions, run_rules
from auditor.packs.ruleset import load_builtin_packs

EXPECT = {"pass": {"pass"}, "warn": {"warn"}, "skip": {"skip"}}


def _cases() -> Iterator[Any]:
    for pack in load_builtin_packs().values():
        for rule in pack.rules:
            for kind, texts in rule.examples.items():
                for i, text in enumerate(texts):
                    yield pytest.param(pack.id, rule.id, kind, text, id=f"{rule.id}-{kind}-{i}")


@pytest.mark.parametrize(("pack_id", "rule_id", "kind", "text"), list(_cases()))
def test_rule_example(packs: Any, pack_id: str, rule_id: str, kind: str, text: Any) -> None:
    pack = packs[pack_id]
    rule = pack.rule(rule_id)
    results = run_rules(example_document(text, pack), pack, AuditOptions())
    result = next(r for r in results if r.rule == rule_id)
    # a failing example must fail an error rule, and warn a warning rule
    expected = EXPECT.get(kind) or ({"fail"} if rule.severity.value == "error" else {"warn"})
    assert result.status.value in expected, f"{rule_id} {kind} example gave {result.status.value}: {result.message}"
