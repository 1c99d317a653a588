"""Completeness: every check kind is documented, tested and used; every rule has examples."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from auditor import checks, reporters
from auditor.checks.contract import params_schema
from auditor.loaders import LOADER_BY_SUFFIX

TESTS = Path(__file__).resolve().parent


def test_every_kind_has_module_contract_and_tests() -> None:
    for kind in checks.CHECK_KINDS:
        spec = checks.get(kind)
        assert spec.name == kind
        assert params_schema(spec)["type"] == "object"
        assert "Passes" in spec.doc and "Fails" in spec.doc, kind
        assert (TESTS / "checks" / f"test_{kind}.py").is_file(), f"tests/checks/test_{kind}.py missing"


def test_every_kind_is_used_by_a_shipped_rule(packs: Any) -> None:
    used = {rule.kind for pack in packs.values() for rule in pack.rules}
    assert set(checks.CHECK_KINDS) <= used, f"kinds without a rule: {set(checks.CHECK_KINDS) - used}"


def test_every_rule_has_passing_and_failing_examples(packs: Any) -> None:
    for pack in packs.values():
        for rule in pack.rules:
            assert rule.examples.get("pass") and rule.examples.get("fail"), rule.id


def test_rule_ids_unique_across_packs(packs: Any) -> None:
    ids = [rule.id for pack in packs.values() for rule in pack.rules]
    assert len(ids) == len(set(ids))


def test_annual_contract_ids(packs: Any) -> None:
    assert [r.id for r in packs["annual"].rules][:16] == [
        "AR001", "AR002", "AR101", "AR102", "AR103", "AR104", "AR105", "AR106",
        "AR201", "AR202", "AR203", "AR204", "AR301", "AR302", "AR303", "AR401",
    ]


def test_every_reporter_and_loader_module_exists() -> None:
    for name in reporters.names():
        module = reporters.get(name)
        assert module.NAME == name
    for module in set(LOADER_BY_SUFFIX.values()):
        importlib.import_module(f"auditor.loaders.{module}")
