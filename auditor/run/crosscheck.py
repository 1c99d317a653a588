"""The cross-report checks, run after the per-report audits of a batch returned their cards:
copied text within the batch (similarity.py, XR101) and last year's edition (previous.py,
XR201, XR202). Each readable report is read again (from the extraction cache when there is
one) into its comparable text; the findings join the cards as rule results, and what concerns
the batch as a whole (the pairs) goes to the reporters in a `CrossReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from auditor.models import Evidence, RuleResult, Scorecard
from auditor.run import crossrules
from auditor.run.streams import Stream


@dataclass(frozen=True)
class CrossSettings:
    similarity: bool = False
    previous: tuple[str, ...] = ()  # last year's report files
    thresholds: Mapping[str, float] = field(default_factory=dict)  # rule id → threshold (config)
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)

    def threshold(self, rule: crossrules.CrossRule) -> float:
        return float(self.thresholds.get(rule.id, rule.threshold))


@dataclass(frozen=True)
class CrossReport:
    """What the cross-report checks found about the batch, for the reporters."""

    similarity: Any = None  # similarity.Result, when --similarity ran
    similarity_threshold: float | None = None
    previous: Any = None  # previous.Result, when --previous ran


def pct(share: float) -> str:
    return f"{round(100 * share)}%"


def read_streams(cards: Sequence[Scorecard], packs: Mapping[str, Any], *, max_bytes: int | None = None,
                 loader_for: Callable[[Scorecard], Any] | None = None) -> dict[str, Stream]:
    """path → comparable text of each readable report of the batch."""
    from auditor.run import streams

    out: dict[str, Stream] = {}
    for card in cards:
        if card.verdict == "error" or not card.pack:
            continue
        doc = streams.read(card.path, packs, pack=card.pack, max_bytes=max_bytes,
                           loader=loader_for(card) if loader_for else None)
        if doc is not None:
            out[card.path] = streams.stream(doc, card.body)
    return out


def _similarity_result(path: str, result: Any, rule: crossrules.CrossRule, threshold: float,
                       settings: CrossSettings) -> RuleResult:
    mine = [p for p in result.pairs if path in (p.a, p.b)]
    share = result.shares.get(path)
    if share is None:
        return crossrules.result(rule, None, "可比较的正文过短，未与其他报告比较", severity=settings.severity)
    if not mine:
        return crossrules.result(rule, True, f"与同批其他报告重复的比例为{pct(share)}（警戒线{pct(threshold)}）",
                                 severity=settings.severity)
    parts, evidence = [], []
    for pair in mine:
        other, own, theirs = pair.partner(path)
        parts.append(f"与 {other} 重复{pct(own)}（对方{pct(theirs)}）")
        for ps in pair.passages[:3]:
            here, there = (ps.a_lines, ps.b_lines) if path == pair.a else (ps.b_lines, ps.a_lines)
            text = ps.a_text if path == pair.a else ps.b_text
            part = (ps.a_part if path == pair.a else ps.b_part) or ""
            span = f"第{there[0]}行" if there[0] == there[1] else f"第{there[0]}-{there[1]}行"
            evidence.append(Evidence(line=here[0], text=text,
                                     where=f"{part + '，' if part else ''}同 {other} {span}"))
    return crossrules.result(rule, False, "；".join(parts), evidence, severity=settings.severity)


def run(cards: Sequence[Scorecard], packs: Mapping[str, Any], settings: CrossSettings, *,
        max_bytes: int | None = None, loader_for: Callable[[Scorecard], Any] | None = None
        ) -> tuple[list[Scorecard], CrossReport]:
    """The cards with the cross-report results added, and the batch-level report."""
    want_sim = settings.similarity and sum(c.verdict != "error" for c in cards) >= 2
    want_prev = bool(settings.previous)
    if not (want_sim or want_prev):
        return list(cards), CrossReport()
    texts = read_streams(cards, packs, max_bytes=max_bytes, loader_for=loader_for)
    added: dict[str, list[RuleResult]] = {c.path: [] for c in cards}
    meta: dict[str, dict[str, Any]] = {c.path: {} for c in cards}
    report = CrossReport()
    if want_sim:
        from auditor.run import similarity

        rule = crossrules.by_check("similarity")
        threshold = settings.threshold(rule)
        result = similarity.find(texts.values(), threshold)
        report = CrossReport(similarity=result, similarity_threshold=threshold)
        for path, share in result.shares.items():
            meta[path]["similarity"] = share
        if rule.id not in settings.disabled:
            for path in texts:
                added[path].append(_similarity_result(path, result, rule, threshold, settings))
    if want_prev:
        from auditor.run import previous

        prev = previous.run(texts, cards, packs, settings, max_bytes=max_bytes)
        report = CrossReport(similarity=report.similarity, similarity_threshold=report.similarity_threshold,
                             previous=prev)
        for path, (results, info) in prev.per_report.items():
            added[path] += results
            meta[path]["previous"] = info
    out = [crossrules.attach(c, added[c.path], meta[c.path]) if added[c.path] or meta[c.path] else c
           for c in cards]
    return out, report
