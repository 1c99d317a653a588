"""Fail policy: which reports fail the run, and the exit status.

Exit status: 0 every report passes the policy; 1 at least one fails it; 2 an input could not
be audited (unreadable, unsupported, not a report) or a usage/config error. 2 wins over 1.
`--exit-zero` turns 1 into 0 (the audit becomes advisory) but keeps 2: an input that could not
be audited at all is not a finding to wave through.

A report fails the policy when any rule fails (`fail_on: error`, the default), also when any
rule warns (`fail_on: warning`), or when its score is below `min_score`. The policy never
changes a report's verdict: the verdict is the rules' conclusion, the policy is the gate.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from auditor.models import Scorecard, Status

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class FailPolicy(NamedTuple):
    fail_on: str = "error"  # "error" | "warning"
    min_score: float | None = None
    exit_zero: bool = False


def reasons(card: Scorecard, policy: FailPolicy) -> list[str]:
    """Why a readable report fails the policy (empty: it passes)."""
    out = []
    if card.verdict == "fail":
        out.append("rules failed: " + ", ".join(r.rule for r in card.results if r.status is Status.FAIL))
    if policy.fail_on == "warning":
        warned = [r.rule for r in card.results if r.status is Status.WARN]
        if warned:
            out.append("warnings (--fail-on warning): " + ", ".join(warned))
    if policy.min_score is not None and card.score is not None and card.score < policy.min_score:
        out.append(f"score {card.score:g} < {policy.min_score:g} (--min-score)")
    return out


def exit_code(cards: Sequence[Scorecard], policy: FailPolicy | None = None) -> int:
    policy = policy or FailPolicy()
    if any(c.verdict == "error" for c in cards):
        return EXIT_ERROR
    if policy.exit_zero:
        return EXIT_OK
    return EXIT_FAILED if any(reasons(c, policy) for c in cards) else EXIT_OK
