"""Statuses, verdict and score: pure functions.

Score: each applicable rule weighs 3 (error severity) or 1 (warning severity); a rule earns its
full weight when it passes (or is waived), half when it warns, nothing when it fails; skipped
rules are left out. score = 100 × earned / possible, rounded to one decimal (100 when nothing
applies). The verdict is "fail" when any rule fails, else "pass": the score ranks reports, it
never decides the verdict.
"""

from __future__ import annotations

from typing import Iterable

from auditor.models import Met, RuleResult, Severity, Status, Verdict

WEIGHT = {Severity.ERROR: 3.0, Severity.WARNING: 1.0}
CREDIT = {Status.PASS: 1.0, Status.WAIVED: 1.0, Status.WARN: 0.5, Status.FAIL: 0.0}


def status_for(met: Met, severity: Severity) -> Status:
    """A check's finding → the rule's status, by the rule's severity."""
    if met is Met.MET:
        return Status.PASS
    if met is Met.NOT_APPLICABLE:
        return Status.SKIP
    if met is Met.PARTLY or severity is Severity.WARNING:
        return Status.WARN
    return Status.FAIL


def score(results: Iterable[RuleResult]) -> float:
    possible = earned = 0.0
    for r in results:
        if r.status is Status.SKIP:
            continue
        w = WEIGHT[r.severity]
        possible += w
        earned += w * CREDIT[r.status]
    return 100.0 if possible == 0 else round(100.0 * earned / possible, 1)


def verdict(results: Iterable[RuleResult]) -> Verdict:
    return Verdict.FAIL if any(r.status is Status.FAIL for r in results) else Verdict.PASS
