from __future__ import annotations

from auditor.models import Met, RuleResult, Severity, Status
from auditor.run.scoring import score, status_for, verdict


def _r(severity: Severity, status: Status) -> RuleResult:
    return RuleResult(rule="AR001", name="x", title="t", severity=severity, status=status, message="")


def test_status_mapping() -> None:
    assert status_for(Met.MET, Severity.ERROR) is Status.PASS
    assert status_for(Met.UNMET, Severity.ERROR) is Status.FAIL
    assert status_for(Met.UNMET, Severity.WARNING) is Status.WARN
    assert status_for(Met.PARTLY, Severity.ERROR) is Status.WARN
    assert status_for(Met.NOT_APPLICABLE, Severity.ERROR) is Status.SKIP


def test_score_weights_errors_three_times_and_skips_nothing() -> None:
    results = [_r(Severity.ERROR, Status.PASS), _r(Severity.ERROR, Status.FAIL),
               _r(Severity.WARNING, Status.WARN), _r(Severity.WARNING, Status.SKIP)]
    # earned 3 + 0 + 0.5 of possible 3 + 3 + 1
    assert score(results) == round(100 * 3.5 / 7, 1) == 50.0
    assert score([]) == 100.0
    assert score([_r(Severity.ERROR, Status.WAIVED)]) == 100.0


def test_verdict_fails_only_on_a_fail() -> None:
    assert verdict([_r(Severity.ERROR, Status.WARN), _r(Severity.WARNING, Status.WARN)]) == "pass"
    assert verdict([_r(Severity.ERROR, Status.FAIL)]) == "fail"
