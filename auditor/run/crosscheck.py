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


@dataclass(frozen=True)
class Reader:
    """How to read a report again: the packs, the extraction cache (a docx or pdf is not
    extracted twice), the size limit; sent once to each worker process."""

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
        from auditor.run import streams

        path, pack, body, digest = item
        doc = streams.read(path, self.packs, pack=pack, max_bytes=self.max_bytes, loader=self.loader(digest))
        if doc is None:
            return None, None
        text = streams.stream(doc, body)
        if not self.signatures:
            return text, None
        from auditor.run import similarity

        return text, similarity.signature_of(text)


_READER: Reader | None = None  # set in each worker by _init
PARALLEL_FROM = 200  # reports; fewer are read in this process (starting workers costs ~0.3 s)


def _init(reader: Reader) -> None:
    global _READER
    _READER = reader


def _read_one(item: tuple[str, str | None, str | None, str | None]) -> tuple[Stream | None, Any]:
    assert _READER is not None
    return _READER.read(item)


def read_streams(cards: Sequence[Scorecard], reader: Reader, *, jobs: int = 1
                 ) -> tuple[dict[str, Stream], dict[str, Any]]:
    """path → comparable text of each readable report, and path → signature when asked for;
    in worker processes for a large batch."""
    items = [(c.path, c.pack, c.body, c.meta.get("sha256")) for c in cards if c.verdict != "error" and c.pack]
    if jobs > 1 and len(items) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        if reader.cache is not None and hasattr(reader.cache, "flush"):
            reader.cache.flush()  # texts the batch extracted, for the workers to find
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(reader,)) as pool:
            read = list(pool.map(_read_one, items, chunksize=max(1, len(items) // (8 * jobs))))
    else:
        read = [reader.read(item) for item in items]
    texts = {item[0]: text for item, (text, _) in zip(items, read) if text is not None}
    sigs = {item[0]: sig for item, (text, sig) in zip(items, read) if text is not None and sig is not None}
    return texts, sigs


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
        max_bytes: int | None = None, cache: Any = None, ocr: bool = False, jobs: int = 1
        ) -> tuple[list[Scorecard], CrossReport]:
    """The cards with the cross-report results added, and the batch-level report."""
    want_sim = settings.similarity and sum(c.verdict != "error" for c in cards) >= 2
    want_prev = bool(settings.previous)
    if not (want_sim or want_prev):
        return list(cards), CrossReport()
    reader = Reader(packs=packs, cache=cache, max_bytes=max_bytes, ocr=ocr, signatures=want_sim)
    texts, sigs = read_streams(cards, reader, jobs=jobs)
    added: dict[str, list[RuleResult]] = {c.path: [] for c in cards}
    meta: dict[str, dict[str, Any]] = {c.path: {} for c in cards}
    report = CrossReport()
    if want_sim:
        from auditor.run import similarity

        rule = crossrules.by_check("similarity")
        threshold = settings.threshold(rule)
        result = similarity.find(texts.values(), threshold, signatures=sigs)
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
