"""The development corpus: beginnings of real published pages (fixtures/corpus/cases) and what a
careful reviewer says of each (fixtures/corpus/labels.yaml): report type, year, verdict, title and
placeholder rules. Scored in-process the way shared/tools/score_corpus.py scores the CLI's JSON;
every label must agree, and no real report may be refused."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from auditor.run.engine import AuditOptions, audit_file

from conftest import FIXTURES

CORPUS = FIXTURES / "corpus"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))["cases"]


def _resolve(name: str) -> dict[str, Any]:
    """A case with its `inherit`ed labels filled in (as score_corpus.py does)."""
    case = dict(CASES[name])
    if "inherit" in case:
        parent = _resolve(case.pop("inherit"))
        rules = {**parent.get("rules", {}), **case.pop("rules", {})}
        return {**parent, **case, "rules": rules}
    return case


def _accepted(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _misses(name: str, packs: Any) -> list[str]:
    want = _resolve(name)
    card = audit_file(str(CORPUS / "cases" / name), packs, AuditOptions())
    got = {"pack": card.pack, "year": card.report_year, "verdict": card.verdict}
    statuses = {r.rule: r.status.value for r in card.results}
    checks = [(k, got[k], _accepted(want[k])) for k in ("pack", "year", "verdict") if k in want]
    checks += [(rid, statuses.get(rid), _accepted(v)) for rid, v in want.get("rules", {}).items()]
    return [f"{k}: got {g}, want {'|'.join(map(str, w))}" for k, g, w in checks if g not in w]


def test_every_case_has_its_page() -> None:
    assert sorted(CASES) == sorted(p.name for p in (CORPUS / "cases").glob("*.txt"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_labels(packs: Any, name: str) -> None:
    assert _misses(name, packs) == []


def test_no_real_report_is_refused(packs: Any) -> None:
    reports = [n for n in CASES if _resolve(n).get("verdict") != "error"]
    refused = [n for n in reports if audit_file(str(CORPUS / "cases" / n), packs, AuditOptions()).verdict == "error"]
    assert len(reports) >= 50 and refused == []
