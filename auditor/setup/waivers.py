"""Waivers: an approved, recorded exception to one rule for one document.

For documents that cannot carry inline comments (a signed PDF, a published page), the config
lists waivers: a rule id, the document (a path glob, or its content sha256 so the waiver
follows the text, not the file name), a required reason, who approved it, and an optional
last day (`expires`). Waivers are applied after the audit (and after the cache), so the
cache holds the rules' own conclusions and an expiry is judged on the day of the run.

- an active waiver turns a failed or warned rule into "waived", its message into the reason;
- an expired waiver does not apply, and the rule's message says that it expired;
- a waiver that changed nothing is reported as unused (no audited report matched, or the rule
  passes anyway), so stale waivers get removed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Sequence

from auditor.models import RuleResult, Scorecard, Status, replace
from auditor.setup.paths import Pattern
from auditor.run.scoring import score, verdict

_WAIVABLE = (Status.FAIL, Status.WARN)


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    approved_by: str
    path: str | None = None  # glob, relative to `base`
    sha256: str | None = None  # lower-case hex
    expires: _dt.date | None = None  # the last day it applies
    source: str = ""  # config file
    key: str = ""  # e.g. waivers.2
    base: str = "."

    @property
    def target(self) -> str:
        return self.path if self.path else f"sha256 {self.sha256[:12] if self.sha256 else ''}…"

    def matches(self, card: Scorecard) -> bool:
        if self.sha256:
            return card.meta.get("sha256") == self.sha256
        return self.path is not None and Pattern(self.path, self.base).matches(card.path)

    def expired(self, today: _dt.date) -> bool:
        return self.expires is not None and today > self.expires


@dataclass
class _Use:
    applied: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    unneeded: list[str] = field(default_factory=list)


def _waived(r: RuleResult, w: Waiver) -> RuleResult:
    until = f"，有效期至{w.expires.isoformat()}" if w.expires else ""
    return replace(r, status=Status.WAIVED, hint=None, message=f"已豁免：{w.reason}（批准：{w.approved_by}{until}）")


def _apply_card(card: Scorecard, waivers: Sequence[Waiver], today: _dt.date,
                uses: dict[int, _Use]) -> Scorecard:
    mine = [(i, w) for i, w in enumerate(waivers) if w.matches(card)]
    if not mine or card.verdict == "error":
        return card
    results, changed = [], False
    for r in card.results:
        for i, w in mine:
            if w.rule != r.rule:
                continue
            if r.status not in _WAIVABLE:
                uses[i].unneeded.append(card.path)
            elif w.expired(today):
                uses[i].expired.append(card.path)
                assert w.expires is not None
                r = replace(r, message=f"{r.message}（豁免已于{w.expires.isoformat()}到期，不再适用：{w.reason}）")
                changed = True
            else:
                uses[i].applied.append(card.path)
                r, changed = _waived(r, w), True
        results.append(r)
    if not changed:
        return card
    out = tuple(results)
    return replace(card, results=out, verdict=verdict(out), score=score(out))


def apply(cards: Sequence[Scorecard], waivers: Sequence[Waiver], *,
          today: _dt.date | None = None) -> tuple[list[Scorecard], list[str]]:
    """Cards with waivers applied, and notes on expired and unused waivers (for stderr)."""
    if not waivers:
        return list(cards), []
    today = today or _dt.date.today()
    uses = {i: _Use() for i in range(len(waivers))}
    out = [_apply_card(c, waivers, today, uses) for c in cards]
    notes = []
    for i, w in enumerate(waivers):
        u, name = uses[i], f"{w.source}: {w.key}: waiver of {w.rule} for {w.target}"
        if u.expired:
            assert w.expires is not None
            notes.append(f"{name} expired on {w.expires.isoformat()} and no longer applies to "
                         f"{', '.join(u.expired)}")
        elif not u.applied and u.unneeded:
            notes.append(f"{name} is unused: the rule passes in {', '.join(dict.fromkeys(u.unneeded))}")
        elif not u.applied:
            notes.append(f"{name} is unused: no audited report matched")
    return out, notes
