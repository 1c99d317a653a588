"""Which report type (pack) a document is, from everything it shows, as a careful reviewer decides.

Each pack's signs are weighed (pack data, `detect:` in rules/*.yaml): the title naming the report
type, the opening stating it (现将…报告如下), the reporting voice and first sentence, how much of the
text is about the pack's subject, and the part roles its headings name. Documents that are not
reports (notices, plans, regulations, news, papers, interpretations …) have signs of their own
(rules/kinds/not-reports.yaml). The likelier report type is audited unless another kind of
document shows more strongly; then the document is refused with a reason naming what it is.
Confidence is `high` when the winner has enough evidence well ahead of the other type (further
ahead when no title or opening names it), `low` otherwise: the scorecard then says how to force the type (--pack).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, NamedTuple

from auditor.document.roles import assign
from auditor.document.signs import Sign, Views, views, weigh
from auditor.models import Document, Line
from auditor.packs.kinds import Kinds, load_kinds
from auditor.packs.ruleset import Pack


@lru_cache(maxsize=1)
def shipped_kinds() -> Kinds:
    """rules/kinds/not-reports.yaml, validated once per change (cached like the packs)."""
    from auditor.pool.cache import validated_store  # lazy: the check path may not need the cache module

    return load_kinds(store=validated_store())

_REASON_OF = {"title": "title", "opening": "preamble", "headings": "headings", "body": "body"}


class Detection(NamedTuple):
    pack: Pack
    document: Document  # with the pack's roles and year
    evidence: Line | None  # the line that weighed most
    reason: str  # where that line is: "title" | "preamble" | "headings" | "body" | "forced"
    confidence: str | None = "high"  # "high" | "low"; None when forced
    score: float = 0.0


class Refusal(NamedTuple):
    """The document is not a report: what it looks like, and the line that shows it."""

    kind: str  # kind id (notice, plan …) or "unknown"
    name: str
    reason: str  # Chinese, for the error card
    evidence: Line | None


@dataclass(frozen=True)
class _Weighed:
    score: float
    found: list[tuple[Sign, Line]]

    def strongest(self) -> tuple[Sign, Line] | None:
        """The line to show: the title naming the type, else the opening stating it, else the
        sign that weighed most."""
        for name in ("title", "preamble"):
            named = next((f for f in self.found if f[0].name == name), None)
            if named:
                return named
        return max(self.found, key=lambda f: f[0].weight, default=None)

    @property
    def strong(self) -> bool:
        """A title or opening that names the report type."""
        return any(s.name in ("title", "preamble") for s, _ in self.found)

    @property
    def beyond_body(self) -> bool:
        """Some sign besides how often the body names the subject: a text that merely mentions
        法治政府建设 many times is no report."""
        return any(s.where != "body" for s, _ in self.found)


def _weigh_pack(pack: Pack, v: Views, doc: Document) -> tuple[_Weighed, Document]:
    score, found = weigh(pack.detect_signs, v)
    assigned = assign(doc, pack.roles, pack.year)
    named = [p for p in assigned.parts if p.role and not p.inferred]
    roles = {p.role for p in named}
    if roles:
        score += pack.detect_role_weight * len(roles)
        role_sign = Sign(where="headings", weight=pack.detect_role_weight * len(roles), patterns=(), name="roles")
        found = [*found, (role_sign, named[0].heading)]
    return _Weighed(score, found), assigned


def _other_kind(v: Views, kinds: Kinds) -> tuple[float, Refusal] | None:
    """The kind of non-report document the text shows most, with its weight."""
    best: tuple[float, Refusal] | None = None
    for kind in kinds.kinds:
        score, found = weigh(kind.signs, v)
        if score and (best is None or score > best[0]):
            line = max(found, key=lambda f: f[0].weight)[1]
            best = (score, Refusal(kind.id, kind.name, kind.reason, line))
    return best


def other_kind(doc: Document, kinds: Kinds | None = None) -> Refusal | None:
    """The kind of non-report document the text shows most, if any sign of one appears."""
    found = _other_kind(views(doc), kinds or shipped_kinds())
    return found[1] if found else None


def decide(doc: Document, packs: Mapping[str, Pack], kinds: Kinds | None = None) -> Detection | Refusal | None:
    """The likelier report type; a Refusal when the document shows it is another kind of
    document; None when it shows no sign of a report nor of a known other kind."""
    kinds = kinds or shipped_kinds()
    rule = kinds.decision
    v = views(doc)
    ranked: list[tuple[tuple[float, int], Pack, _Weighed, Document]] = []
    for pack in packs.values():
        weighed, assigned = _weigh_pack(pack, v, doc)
        # a tie goes to the narrower pack (higher priority) when a title or opening names it,
        # else to the more general one: no narrow sign was seen
        tie = pack.detect_priority if weighed.strong else -pack.detect_priority
        ranked.append(((weighed.score, tie), pack, weighed, assigned))
    ranked.sort(key=lambda r: r[0], reverse=True)
    best_score = ranked[0][2].score if ranked else 0.0
    refusal = _other_kind(v, kinds)
    if refusal and refusal[0] > best_score + rule.refuse_margin:
        return refusal[1]
    if not ranked or best_score < rule.audit_min or not ranked[0][2].beyond_body:
        return None
    _, pack, weighed, assigned = ranked[0]
    second = ranked[1][2].score if len(ranked) > 1 else 0.0
    strongest = weighed.strongest()
    lead = best_score - second
    confident = best_score >= rule.high_min and lead >= (rule.high_margin if weighed.strong else rule.high_margin_unnamed)
    return Detection(
        pack, assigned, strongest[1] if strongest else None,
        _REASON_OF[strongest[0].where] if strongest else "headings",
        "high" if confident else "low", best_score,
    )


def detect(doc: Document, packs: Mapping[str, Pack]) -> Detection | None:
    """The report type, or None when the document is not read as a report (see `decide`)."""
    found = decide(doc, packs)
    return found if isinstance(found, Detection) else None


def forced(doc: Document, pack: Pack) -> Detection:
    """The pack the user chose with --pack."""
    return Detection(pack, assign(doc, pack.roles, pack.year), None, "forced", None)
