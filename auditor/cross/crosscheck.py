"""The cross-report checks, run after the per-report audits of a batch returned their cards:
copied text within the batch (similarity.py, XR101) and last year's edition (previous.py,
XR201, XR202). Each report's comparable text comes with its card from the worker that audited
it (`comparable`, from the analysis the card was computed from): no report is read twice. A card
served by the result cache was not read at all this run; its text is read once (`Reader`, from
the extraction cache when there is one). The findings join the cards as rule results, and what
concerns the batch as a whole (the pairs) goes to the reporters in a `CrossReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from auditor.models import Evidence, RuleResult, Scorecard
from auditor.cross import crossrules
from auditor.cross.streams import Sealed, Stream, Text


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


#: a report's comparable text and its MinHash signature (None unless the similarity check asked for it)
Comparable = tuple[Text, Any]


def comparable(audit: Any, *, signatures: bool) -> Comparable | None:
    """The comparable text of an analysed report (engine.Audit), None when it is no readable report."""
    if audit.document is None or audit.card.verdict == "error" or not audit.card.pack:
        return None
    from auditor.cross import streams

    text = streams.stream(audit.document, audit.card.body)
    if not signatures:
        return text, None
    from auditor.cross import similarity

    return text, similarity.signature_of(text)


def comparable_to_plain(found: Comparable | None) -> Any:
    """A comparable text as plain values (what a worker process can send back: auditor.pool.workers
    frames its answers with marshal): sealed (streams.Sealed), as the parent keeps it."""
    if found is None:
        return None
    text, sig = found
    sealed = text if isinstance(text, Sealed) else Sealed.seal(text)
    plain_sig = None if sig is None else (sig.dtype.str, sig.shape, sig.tobytes())
    return sealed.path, sealed.length, sealed.data, plain_sig


def comparable_from_plain(plain: Any) -> Comparable | None:
    """A worker's comparable text, still sealed; ValueError or TypeError when it is not one."""
    if plain is None:
        return None
    path, length, data, plain_sig = plain
    if type(path) is not str or type(length) is not int or type(data) is not bytes:
        raise ValueError("not a sealed comparable text")
    sig = None
    if plain_sig is not None:
        import numpy as np

        dtype, shape, raw = plain_sig
        sig = np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape)
    return Sealed(path, length, data), sig


def needs_text(card: Scorecard) -> bool:
    return card.verdict != "error" and bool(card.pack)


def pct(share: float) -> str:
    return f"{round(100 * share)}%"


@dataclass(frozen=True)
class Reader:
    """How to read the comparable text of a report whose card the result cache served: the
    packs, the extraction cache (a docx or pdf is not extracted twice), the size limit."""

    packs: Mapping[str, Any]
    cache: Any = None  # run.cache.Cache | None
    max_bytes: int | None = None
    ocr: bool = False
    signatures: bool = False  # also compute the MinHash signature (in the worker)

    def loader(self, digest: str | None) -> Callable[..., Any] | None:
        cache = self.cache
        if cache is None or not digest:
            return None
        key = f"{digest}-ocr" if self.ocr else digest

        def load(path: str, **kwargs: Any) -> Any:
            from auditor import loaders
            from auditor.models import replace

            raw = cache.raw(key)
            return replace(raw, path=path) if raw is not None else loaders.load(path, **kwargs)
        return load

    def read(self, item: tuple[str, str | None, str | None, str | None]) -> tuple[Stream | None, Any]:
        """(comparable text, MinHash signature or None) of (path, pack, body, sha256)."""
        from auditor.cross import streams

        path, pack, body, digest = item
        doc = streams.read(path, self.packs, pack=pack, max_bytes=self.max_bytes, loader=self.loader(digest))
        if doc is None:
            return None, None
        text = streams.stream(doc, body)
        if not self.signatures:
            return text, None
        from auditor.cross import similarity

        return text, similarity.signature_of(text)


def read_texts(cards: Sequence[Scorecard], reader: Reader) -> dict[str, Comparable]:
    """path → comparable text of each readable report, read here (cards without a text of theirs)."""
    out: dict[str, Comparable] = {}
    for c in cards:
        if needs_text(c):
            text, sig = reader.read((c.path, c.pack, c.body, c.meta.get("sha256")))
            if text is not None:
                out[c.path] = (text, sig)
    return out


def _similarity_result(path: str, mine: Sequence[Any], result: Any, rule: crossrules.CrossRule, threshold: float,
                       settings: CrossSettings) -> RuleResult:
    """`mine`: the result's pairs that `path` is in, in the result's order."""
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


def run(cards: Sequence[Scorecard], packs: Mapping[str, Any], settings: CrossSettings,
        comparables: Mapping[str, Comparable], *, max_bytes: int | None = None
        ) -> tuple[list[Scorecard], CrossReport]:
    """The cards with the cross-report results added, and the batch-level report; `comparables`
    holds each readable report's comparable text by path (the batch's `texts`)."""
    want_sim = settings.similarity and sum(c.verdict != "error" for c in cards) >= 2
    want_prev = bool(settings.previous)
    if not (want_sim or want_prev):
        return list(cards), CrossReport()
    # in the order of the cards, whatever order the texts arrived in: the pairs are listed in it
    texts = {c.path: comparables[c.path][0] for c in cards if c.path in comparables}
    sigs = {path: comparables[path][1] for path in texts if comparables[path][1] is not None}
    added: dict[str, list[RuleResult]] = {c.path: [] for c in cards}
    meta: dict[str, dict[str, Any]] = {c.path: {} for c in cards}
    report = CrossReport()
    if want_sim:
        from auditor.cross import similarity

        rule = crossrules.by_check("similarity")
        threshold = settings.threshold(rule)
        result = similarity.find(texts.values(), threshold, signatures=sigs)
        report = CrossReport(similarity=result, similarity_threshold=threshold)
        for path, share in result.shares.items():
            meta[path]["similarity"] = share
        if rule.id not in settings.disabled:
            pairs_of: dict[str, list[Any]] = {}  # each report's pairs, found in one pass (10,000 reports)
            for pair in result.pairs:
                pairs_of.setdefault(pair.a, []).append(pair)
                if pair.b != pair.a:
                    pairs_of.setdefault(pair.b, []).append(pair)
            for path in texts:
                added[path].append(_similarity_result(path, pairs_of.get(path, ()), result, rule, threshold, settings))
    if want_prev:
        from auditor.cross import previous

        prev = previous.run(texts, cards, packs, settings, max_bytes=max_bytes)
        report = CrossReport(similarity=report.similarity, similarity_threshold=report.similarity_threshold,
                             previous=prev)
        for path, (results, info) in prev.per_report.items():
            added[path] += results
            meta[path]["previous"] = info
    out = [crossrules.attach(c, added[c.path], meta[c.path]) if added[c.path] or meta[c.path] else c
           for c in cards]
    return out, report
