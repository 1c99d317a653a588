"""Which report type (pack) a document is, from everything it shows, as a careful reviewer decides.

Each pack's signs are weighed (pack data, `detect:` in rules/*.yaml): the title naming the report
type, the opening stating it (现将…报告如下), the reporting voice and first sentence, how much of the
text is about the pack's subject, and the part roles its headings name. Documents that are not
reports (notices, plans, regulations, news, papers, interpretations …) have signs of their own
(rules/kinds/not-reports.yaml), on the same scale. The likelier report type is audited unless
another kind of document shows more strongly; then the document is refused with a reason naming
what it is. A text is not read as a report either where the evidence for one is thin: one about
no rule-of-law work at all, or one whose type no title or opening names that neither states the
body's own year of work nor has a report's parts; it is refused as the kind it shows, else with
what it lacks.
Confidence is `high` only where a careful reader would not hesitate: the type named by the title
or opening (or, unnamed, both the year's work stated and the report's parts), clearly ahead of the
other report type, enough evidence, and no other kind of document showing strongly; `low`
otherwise, with the doubts named (Detection.doubts, shown on the scorecard).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Callable, Mapping, NamedTuple

from auditor.document.roles import assign, parts_with_roles
from auditor.document.signs import Sign, Views, views, weigh, weigh_while, weights
from auditor.models import Document, Line, Part
from auditor.packs.kinds import Decision, Kinds, load_kinds
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
    doubts: tuple[str, ...] = ()  # why the confidence is low, in Chinese: the evidence missing


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
    law: float = 0.0  # the weight of the signs that the text is about rule-of-law work
    own: float = 0.0  # the weight of the signs only this report type shows (not voice, year, rule-of-law, parts)

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


# The packs' signs (rules/*.yaml `detect:`) by what they show a reader.
_LAW = ("rule-of-law", "subject")  # the text is about rule-of-law work
_OWN_YEAR = ("year-statement", "report-voice", "first-person", "duty-opening")  # the body tells its own year
_SHARED = ("rule-of-law", "report-voice", "year-statement")  # signs of any report, whichever type


@dataclass(frozen=True)
class _Facets:
    """What a careful reader checks before reading a text as a report of a type."""

    named: bool  # a title or opening names the report type
    own_year: bool  # the opening states the body's own year of work (2023年，我县… / 现将…报告如下)
    parts: bool  # numbered parts, as a report has

    def missing(self) -> list[str]:
        out = []
        if not self.named:
            out.append("标题或开头未写明报告类型")
        if not self.own_year:
            out.append("开头未陈述本单位一年来的工作")
        if not self.parts:
            out.append("没有报告的部分结构（一、二、…）")
        return out


def _facets(weighed: _Weighed, parts: tuple[Part, ...]) -> _Facets:
    names = {s.name for s, _ in weighed.found}
    return _Facets(weighed.strong, bool(names & set(_OWN_YEAR)) or weighed.strong, bool(parts))


def _weigh_pack(pack: Pack, v: Views, doc: Document) -> tuple[_Weighed, tuple[Part, ...]]:
    """The pack's weight, and the parts with its roles (the report year is read only for the
    pack chosen: `assign` with these parts)."""
    each = weights(pack.detect_signs, v)  # searched once: what shows what is read off the signs found
    score = sum(w for _, w, _ in each)
    law = sum(w for s, w, _ in each if s.name in _LAW)
    shared = sum(w for s, w, _ in each if s.name in _SHARED)
    found = [(s, line) for s, _, line in each]
    parts = parts_with_roles(doc, pack.roles)
    named = [p for p in parts if p.role and not p.inferred]
    roles = {p.role for p in named}
    if roles:
        score += pack.detect_role_weight * len(roles)
        role_sign = Sign(where="headings", weight=pack.detect_role_weight * len(roles), sources=(), name="roles")
        found = [*found, (role_sign, named[0].heading)]
        shared += role_sign.weight  # both report types name parts (不足, 安排), and annual reports a duties part
    return _Weighed(score, found, law, score - shared), parts


def _anything(score: float) -> bool:
    return True


def _can_win(matters: Callable[[float], bool], beat: float | None, most: float) -> bool:
    return (beat is None or most > beat) and matters(most)


def _other_kind(v: Views, kinds: Kinds, matters: Callable[[float], bool] = _anything
                ) -> tuple[float, Refusal] | None:
    """The kind of non-report document the text shows most, with its weight. A kind is weighed
    only while it can still weigh more than the kinds before it and as much as `matters` to the
    caller (most texts show a kind or two: searching the signs of the rest decides nothing), so
    the kind found is the one weighing them all finds, wherever its weight matters."""
    best: tuple[float, Refusal] | None = None
    for kind in kinds.kinds:
        weighed = weigh_while(kind.signs, v, kind.reach, partial(_can_win, matters, best[0] if best else None))
        if weighed is None:
            continue
        score, found = weighed
        if score and (best is None or score > best[0]):
            line = max(found, key=lambda f: f[0].weight)[1]
            best = (score, Refusal(kind.id, kind.name, kind.reason, line))
    return best


def other_kind(doc: Document, kinds: Kinds | None = None) -> Refusal | None:
    """The kind of non-report document the text shows most, if any sign of one appears."""
    found = _other_kind(views(doc), kinds or shipped_kinds())
    return found[1] if found else None


def _not_a_report(why: str, other: tuple[float, Refusal] | None, least: float) -> Refusal:
    """Refused for thin evidence: as the other kind it shows, if it shows one with some weight (a
    lone weak sign — 会议强调 — names no kind); else saying what is missing."""
    if other and other[0] >= least:
        return other[1]
    return Refusal("unknown", "", f"这不像法治政府建设报告或第一责任人职责履行情况报告：{why}", None)


def _thin(ranked: list[tuple[tuple[float, int], Pack, _Weighed, tuple[Part, ...]]], v: Views, kinds: Kinds
          ) -> str | None:
    """Why the likelier report type's evidence is too thin to read the text as a report, if it is."""
    rule = kinds.decision
    _, _, weighed, parts = ranked[0]
    facets = _facets(weighed, parts)
    law = weigh(kinds.about, v)[0] if kinds.about else max(r[2].law for r in ranked)
    if not facets.named and law < rule.law_min:
        # a report is about rule-of-law work: a text that never speaks of it is something else
        return "正文没有谈及法治建设或依法行政"
    if weighed.score < rule.audit_min or not weighed.beyond_body or not (facets.named or facets.own_year or facets.parts):
        return "；".join(facets.missing()) or "报告的迹象太少"
    return None


def _matters(rule: Decision, best_score: float, thin: bool) -> Callable[[float], bool]:
    """Whether another kind's weight can change what `decide` says beside a report type weighing
    `best_score`: it refuses the document, names the kind of a thin one, or makes a doubt."""
    if best_score <= 0:
        return _anything  # any kind shown is the answer
    least = min(rule.audit_min, rule.doubt_other) if thin else rule.doubt_other
    return lambda score: score > best_score + rule.refuse_margin or score >= least


def decide(doc: Document, packs: Mapping[str, Pack], kinds: Kinds | None = None) -> Detection | Refusal | None:
    """The likelier report type; a Refusal when the document shows it is another kind of
    document, or the evidence for a report is thin (saying what it lacks); None when it shows no
    sign of a report nor of a known other kind."""
    kinds = kinds or shipped_kinds()
    rule = kinds.decision
    v = views(doc)
    ranked: list[tuple[tuple[float, int], Pack, _Weighed, tuple[Part, ...]]] = []
    for pack in packs.values():
        weighed, parts = _weigh_pack(pack, v, doc)
        # a tie goes to the narrower pack (higher priority) when a title or opening names it,
        # else to the more general one: no narrow sign was seen
        tie = pack.detect_priority if weighed.strong else -pack.detect_priority
        ranked.append(((weighed.score, tie), pack, weighed, parts))
    ranked.sort(key=lambda r: r[0], reverse=True)
    best_score = ranked[0][2].score if ranked else 0.0
    thin = _thin(ranked, v, kinds) if ranked and best_score > 0 else None
    refusal = _other_kind(v, kinds, _matters(rule, best_score, thin is not None))
    if refusal and refusal[0] > best_score + rule.refuse_margin:
        return refusal[1]
    if not ranked or best_score <= 0:
        return refusal[1] if refusal else None
    if thin is not None:
        return _not_a_report(thin, refusal, rule.audit_min)
    _, pack, weighed, parts = ranked[0]
    facets = _facets(weighed, parts)
    second = ranked[1][2].score if len(ranked) > 1 else 0.0
    strongest = weighed.strongest()
    lead = best_score - second
    doubts = []
    if not facets.named and not (facets.own_year and facets.parts):
        doubts += facets.missing()
    elif best_score < rule.high_min:
        doubts.append("报告的迹象不多")
    # the other report type is a contender only with signs of its own (a person speaking, its title)
    if len(ranked) > 1 and ranked[1][2].own > 0 and lead < (rule.high_margin if weighed.strong else rule.high_margin_unnamed):
        doubts.append(f"也像{ranked[1][1].name}，两者难以区分")
    if refusal and refusal[0] >= rule.doubt_other:
        at = f"（第{refusal[1].evidence.no}行）" if refusal[1].evidence else ""
        doubts.append(f"也有{refusal[1].name}的迹象{at}")
    return Detection(
        pack, assign(doc, pack.roles, pack.year, parts), strongest[1] if strongest else None,
        _REASON_OF[strongest[0].where] if strongest else "headings",
        "low" if doubts else "high", best_score, tuple(doubts),
    )


def detect(doc: Document, packs: Mapping[str, Pack]) -> Detection | None:
    """The report type, or None when the document is not read as a report (see `decide`)."""
    found = decide(doc, packs)
    return found if isinstance(found, Detection) else None


def forced(doc: Document, pack: Pack) -> Detection:
    """The pack the user chose with --pack."""
    return Detection(pack, assign(doc, pack.roles, pack.year), None, "forced", None)
