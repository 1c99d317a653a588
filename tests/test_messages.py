"""The findings a reader sees, pinned: every rule's message on each of its failing, warning and
skipped examples (tests/golden/messages/PACK.txt; UPDATE_GOLDEN=1 rewrites them), and the
qualities every message must have wherever it comes from."""

from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

from auditor.models import RuleResult, Status
from auditor.run.engine import AuditOptions, audit_file, run_rules

from conftest import FIXTURES, ROOT, check_golden, make_doc

GOLDEN = ROOT / "tests" / "golden" / "messages"


def _example_results(pack: Any) -> Iterator[tuple[str, RuleResult]]:
    for rule in pack.rules:
        for kind in ("fail", "warn", "skip"):
            for i, text in enumerate(rule.examples.get(kind, ()), 1):
                if not isinstance(text, str):
                    continue  # a Word file (the layout rules): tests/test_gongwen.py runs those
                result = next(r for r in run_rules(make_doc(text, pack), pack, AuditOptions()) if r.rule == rule.id)
                yield f"{rule.id} {kind}[{i}]", result


def _fixture_results(packs: Any) -> Iterator[tuple[str, RuleResult]]:
    for path in sorted([*FIXTURES.glob("reports/*.txt"), *FIXTURES.glob("duty/*.txt"), *FIXTURES.glob("seeds/*.txt")]):
        card = audit_file(str(path), packs, AuditOptions())
        for r in card.results:
            if r.status is not Status.PASS:
                yield f"{path.parent.name}/{path.name} {r.rule}", r


@pytest.mark.parametrize("pack_id", ["annual", "duty"])
def test_golden_messages(packs: Any, pack_id: str) -> None:
    lines = []
    for label, r in _example_results(packs[pack_id]):
        lines.append(f"{label} {r.status.value}: {r.message}")
        if r.hint:
            lines.append(f"    修改建议：{r.hint}")
    text = "\n".join(lines) + "\n"
    check_golden(GOLDEN / f"{pack_id}.txt", text)


QUOTED = re.compile(r"“([^”]{4,})”")


def _all_findings(packs: Any) -> list[tuple[str, RuleResult]]:
    found = [x for p in packs.values() for x in _example_results(p)]
    return found + list(_fixture_results(packs))


def test_every_message_reads_as_one_statement(packs: Any) -> None:
    for label, r in _all_findings(packs):
        msg = r.message
        assert msg, f"{label}: no message"
        # no arithmetic about nothing: say what is missing instead of “只有0处，至少需要1处”
        assert not re.search(r"(?<![\d.])0\s*(处|项|类|个|次)", msg), f"{label}: {msg}"
        assert "至少需要" not in msg, f"{label}: {msg}"
        # one statement: not a heading repeated, not “rule message：check message”
        quoted = QUOTED.findall(msg)
        assert len(quoted) == len(set(quoted)), f"{label} repeats a heading: {msg}"
        assert not re.search(r"：(未找到|没有|未发现)", msg), f"{label} is two statements: {msg}"
        # Chinese for the report's reader: no internal words (statuses, kind and role names)
        assert not re.search(r"\b(error|warning|pass|fail|skip|unmet|partly|met|[a-z]+_[a-z_]+)\b", msg), f"{label}: {msg}"
        if r.status in (Status.FAIL, Status.WARN):
            assert msg.endswith(("。", "）", "”")), f"{label} is not a finished sentence: {msg}"
