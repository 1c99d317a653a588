"""Audit many files in worker processes, with the cache, in a stable order.

Every document that the cache cannot serve is audited in a forked worker (auditor.pool.workers)
that the parent kills when the document runs over its time budget; each worker caps its memory.
Workers are reused across documents; results come back in input order, so the output of `-j 4`
is byte-for-byte that of `-j 1`. Cache hits are served in this process before any worker starts.
When the cross-report checks run (`texts=`), each worker hands back, with the card, the report's
comparable text made from the same analysis: no report is read twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence

from auditor.models import RawText, Scorecard, replace
from auditor.pool.workers import DEFAULT_MAX_MEMORY_MB as DEFAULT_MAX_MEMORY_MB

Progress = Callable[[int], None]  # called with the number of files just finished


@dataclass(frozen=True)
class Job:
    """What auditing one file needs; sent to each worker once."""

    packs: Mapping[str, Any]
    options: Any  # engine.AuditOptions
    cache: Any = None  # cache.Cache | None
    want_hash: bool = False  # sha256 waivers need every document's hash
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB  # per worker process (0: no cap)
    signatures: bool = False  # with the comparable texts, their MinHash signatures (--similarity)


@dataclass
class Stats:
    files: int = 0
    cache_hits: int = 0
    jobs: int = 1


_JOB: Job | None = None  # set in each worker by _init


def default_jobs() -> int:
    """All cores this process may use (the affinity mask, where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _cached_loader(job: Job, digest: str) -> Callable[..., RawText]:
    """loaders.load, serving text extracted from the same bytes before."""
    from auditor import loaders

    def load(path: str, *, max_bytes: int, ocr: bool = False, layout: bool = False) -> RawText:
        if layout:  # a draft's layout is not cached: reading a .docx again is cheap
            return loaders.load(path, max_bytes=max_bytes, ocr=ocr, layout=True)
        key = f"{digest}-ocr" if ocr else digest  # text read by OCR must not serve a run without it
        try:
            raw: RawText | None = job.cache.raw(key)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            raw = None
        if isinstance(raw, RawText):
            return replace(raw, path=path)
        raw = loaders.load(path, max_bytes=max_bytes, ocr=ocr)
        job.cache.put_raw(key, raw)
        return raw

    return load


def _digest(path: str, job: Job) -> str | None:
    """The content sha256 when the cache or a waiver needs it (None: let audit_file report)."""
    if job.cache is None and not job.want_hash:
        return None
    from auditor.pool.cache import file_digest

    try:
        if os.path.isfile(path) and os.path.getsize(path) <= job.options.max_bytes:
            return file_digest(path)
    except OSError:
        pass  # unreadable: audit_file gives the proper error card
    return None


def _stamp(card: Scorecard, path: str, digest: str | None) -> Scorecard:
    """The card under this run's path, with the content hash that sha256 waivers match."""
    if digest is None:
        return card if card.path == path else replace(card, path=path)
    return replace(card, path=path, meta={**card.meta, "sha256": digest})


def lookup(path: str, job: Job) -> tuple[str | None, Scorecard | None]:
    """(digest, the cached card or None)."""
    digest = _digest(path, job)
    try:
        cached = job.cache.card(digest) if job.cache is not None and digest else None
        if cached is not None and not isinstance(cached, Scorecard):
            cached = None
    except Exception:  # noqa: BLE001 - a damaged cache entry is a miss (and is rewritten), never a crash
        cached = None
    return digest, (_stamp(cached, path, digest) if cached is not None else None)


def _cached(job: Job, digests: list[str]) -> dict[str, Scorecard]:
    """digest → cached card, for the digests the cache has (none when it is off or failing)."""
    if job.cache is None or not digests:
        return {}
    try:
        found = job.cache.cards(digests)
    except Exception:  # noqa: BLE001 - a damaged cache is a miss (and is rewritten), never a crash
        return {}
    return {d: c for d, c in found.items() if isinstance(c, Scorecard)}


def audit_fresh(path: str, digest: str | None, job: Job) -> Scorecard:
    """Audit a file that the cache did not have, and remember the result."""
    return analyse_fresh(path, digest, job)[0]


def analyse_fresh(path: str, digest: str | None, job: Job, *, text: bool = False) -> tuple[Scorecard, Any]:
    """(card, the report's comparable text when `text` and it is a readable report, else None)
    of a file that the cache did not have; the card is remembered."""
    from auditor import loaders
    from auditor.run.engine import analyse_file

    loader = None
    # plain text is cheaper to decode than to read back as JSON: cache only real extraction work
    if job.cache is not None and digest and loaders.LOADER_BY_SUFFIX.get(os.path.splitext(path)[1].lower()) != "text":
        loader = _cached_loader(job, digest)
    audit = analyse_file(path, job.packs, job.options, loader=loader)
    card = audit.card
    if job.cache is not None and digest and card.verdict != "error":  # errors may be timeouts: retry them
        job.cache.put_card(digest, card)
    card = _stamp(card, path, digest)
    if not text:
        return card, None
    from auditor.cross.crosscheck import comparable

    found = comparable(audit, signatures=job.signatures)
    return card, (found[0] if found[0].path == path else dataclasses.replace(found[0], path=path), found[1]) \
        if found is not None else None


def _reread(item: tuple[str, str | None, str | None, str | None], job: Job) -> Any:
    """The comparable text of a report the result cache served (read once, this run)."""
    from auditor.cross.crosscheck import Reader

    reader = Reader(packs=job.packs, cache=job.cache, max_bytes=job.options.max_bytes, ocr=job.options.ocr,
                    signatures=job.signatures)
    text, sig = reader.read(item)
    return (text, sig) if text is not None else None


def audit_one(path: str, job: Job) -> tuple[Scorecard, bool]:
    """(card, whether it came from the cache). Never raises because of the file."""
    digest, cached = lookup(path, job)
    return (cached, True) if cached is not None else (audit_fresh(path, digest, job), False)


def import_kinds(packs: Mapping[str, Any]) -> None:
    """Import the check kinds the packs' rules use (before workers fork: each starts with them)."""
    from auditor import checks

    for pack in packs.values():
        for rule in pack.rules:
            checks.get(rule.kind)


def _warm(job: Job, files: Sequence[str], jobs: int = 1) -> None:
    """Import the check kinds and loaders this batch needs before workers fork, so each worker
    starts with them loaded instead of importing them itself (a no-op under spawn). With several
    workers, also build once here what each would build for itself on its first report: the
    not-a-report kinds and the rules' compiled parameters."""
    from auditor import loaders

    import_kinds(job.packs)
    if jobs > 1:
        from auditor.packs.ruleset import report_packs
        from auditor.run.detect import shipped_kinds

        if job.options.pack == "auto":
            shipped_kinds()
        used = [p for pid, p in job.packs.items() if pid in report_packs(job.packs) or pid in job.options.with_packs]
        for pack in used:
            for rule in pack.rules:
                if rule.id not in job.options.disabled:
                    try:
                        rule.params  # noqa: B018 - compiles them (RuleSpec.params is lazy)
                    except Exception:  # noqa: BLE001, S110 - a worker meets it again and reports it as before
                        pass
    for suffix in {os.path.splitext(f)[1].lower() for f in files}:
        try:
            loaders.loader_for("x" + suffix)
        except Exception:  # noqa: BLE001, S110 - an unsupported or broken backend shows up per file, later
            pass


def _worker_job(job: Job) -> Job:
    """The job as a worker runs it: the parent enforces the time budget from outside, so the
    worker sets no SIGALRM timer (a signal raised inside a native callback, e.g. PDFium's file
    reader, turns into a traceback on stderr rather than a clean stop)."""
    if not job.options.time_budget:
        return job
    return dataclasses.replace(job, options=replace(job.options, time_budget=0))


def _pool(job: Job, jobs: int, table: Any, text: bool) -> Any:
    from auditor.pool import workers
    from auditor.pool.codec import card_to_wire
    from auditor.run.engine import OUT_OF_MEMORY, error_card

    inner = _worker_job(job)
    store = _analyses_store()

    def on_exit() -> None:
        """In the worker, when the pool closes: commit its cache writes, keep its pattern analyses."""
        from auditor.pool.cache import save_pattern_analyses

        if job.cache is not None:
            job.cache.flush()
        save_pattern_analyses(store)

    def work(item: tuple[Any, ...]) -> Any:
        """In the worker: the card in the wire form (auditor.pool.codec), which the parent checks,
        with the comparable text when asked for; for a cached card's item (path, digest, pack,
        body), only its comparable text."""
        from auditor.cross.crosscheck import comparable_to_plain

        if len(item) == 4:
            return comparable_to_plain(_reread(item, inner))
        card, found = analyse_fresh(item[0], item[1], inner, text=text)
        if card.verdict == "error" and card.error == OUT_OF_MEMORY and job.max_memory_mb:
            card = replace(card, error=f"{OUT_OF_MEMORY}（超出内存上限 {job.max_memory_mb} MB，可用 --max-memory 调整）")
        return (card_to_wire(card, table), comparable_to_plain(found)) if text else card_to_wire(card, table)

    def failed(item: tuple[Any, ...], message: str) -> Any:
        return None if len(item) == 4 else error_card(item[0], message)

    return workers.Pool(
        work, size=jobs, max_memory_mb=job.max_memory_mb,
        on_timeout=lambda item: failed(item, workers.timeout_message(job.options.time_budget, job.options.ocr)),
        on_crash=lambda item: failed(item, workers.crash_message(job.max_memory_mb)),
        on_exit=on_exit if job.cache is not None or store is not None else None,
    )


def run(files: Sequence[str], job: Job, *, jobs: int = 1, progress: Progress | None = None,
        stats: Stats | None = None, texts: dict[str, Any] | None = None) -> list[Scorecard]:
    """Audit `files`, returning cards in the order of `files` whatever `jobs` is.

    Cache hits are served here, in this process: reading one back costs less than sending
    a card between processes, so a fully cached batch starts a worker only to read the texts
    the cross-report checks need. Every other document is audited in a worker process (see
    auditor.pool.workers), for -j 1 and a single file too: that is what makes the time budget
    and the memory cap hard. `texts`, when given, is filled with path → comparable text
    (crosscheck.Comparable) of every readable report, for the cross-report checks."""
    stats = stats if stats is not None else Stats()
    stats.files = len(files)
    out: list[Scorecard | None] = [None] * len(files)
    todo: list[tuple[int, str, str | None]] = []
    digests = [_digest(f, job) for f in files]
    # the cards the cache has, read in a few queries rather than one per file; with GC paused,
    # as for the workers' answers (plain records, no cycles)
    collecting = gc.isenabled()
    gc.disable()
    try:
        hits = _cached(job, [d for d in digests if d])
        for i, (f, digest) in enumerate(zip(files, digests)):
            cached = hits.get(digest) if digest else None
            if cached is None:
                todo.append((i, f, digest))
                continue
            out[i] = _stamp(cached, f, digest)
            stats.cache_hits += 1
            if progress:
                progress(1)
    finally:
        if collecting:
            gc.enable()
    # the cached cards' texts: nobody read those reports this run
    rereads = []
    if texts is not None:  # (the cross-report checks are imported only when they run)
        from auditor.cross.crosscheck import needs_text

        rereads = [(c.path, c.pack, c.body, c.meta.get("sha256")) for c in out if c is not None and needs_text(c)]
    stats.jobs = jobs = max(1, min(jobs, max(len(todo), len(rereads) // REREAD_PER_WORKER)))
    items = [(f, d) for _, f, d in todo]
    if job.cache is not None and rereads:
        job.cache.flush()  # the texts it extracted before, for the workers to find
    fresh, found = _isolated(items, rereads, job, jobs, progress, text=texts is not None) if items or rereads \
        else ([], [])
    for (i, _, _), card in zip(todo, fresh):
        out[i] = card
    if job.cache is not None:
        job.cache.flush()  # this process's new results, in one transaction
    cards = [c for c in out if c is not None]
    if texts is not None:
        by_path = dict(zip([f for f, _ in items] + [r[0] for r in rereads], found))
        texts.update((c.path, by_path[c.path]) for c in cards if by_path.get(c.path) is not None)
    return cards


#: cached reports whose texts one worker reads (starting a worker costs about as much as reading 50)
REREAD_PER_WORKER = 100

_SEEDED = False  # this process has read the stored pattern analyses


def _analyses_store() -> Any:
    """The store of pattern analyses (None when caching is off), read into this process once:
    the workers fork with every pattern's analysis a previous run made."""
    global _SEEDED
    from auditor.pool.cache import seed_pattern_analyses, validated_store

    store = validated_store()
    if not _SEEDED:
        _SEEDED = True
        seed_pattern_analyses(store)
    return store


def _isolated(items: Sequence[tuple[str, str | None]], rereads: Sequence[tuple[str, str | None, str | None, str | None]],
              job: Job, jobs: int, progress: Progress | None, *, text: bool) -> tuple[list[Scorecard], list[Any]]:
    """The fresh items' cards, and the comparable texts of the fresh items then the rereads
    (None for each when `text` is off or the report is unreadable)."""
    from auditor.pool import workers
    from auditor.pool.codec import pack_strings

    if not workers.HAS_FORK or (not items and len(rereads) < REREAD_PER_WORKER):
        # Windows: in-process, with the engine's own (soft) budget; a few cached texts: cheaper here
        return _in_process(items, rereads, job, progress, text=text)
    if len(items) > 1:
        _warm(job, [f for f, _ in items], jobs)
    table = pack_strings(job.packs)  # built before the fork: the workers hold the same table
    # The cards coming back are tuples of plain values, which make no reference cycles; the
    # garbage collector would only walk the growing heap of them again and again (~10% of
    # this process's time in a big batch). The workers turn it back on for themselves.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _pool(job, jobs, table, text) as pool:
            answers = pool.map(items, timeout=job.options.time_budget, progress=progress) if items else []
            reread = pool.map(rereads, timeout=job.options.time_budget) if rereads else []
        cards, found = [], []
        for answer, (path, _) in zip(answers, items):
            wire, comp = answer if text and not isinstance(answer, Scorecard) else (answer, None)
            cards.append(_card(wire, path, job, table))
            found.append(_comparable(comp))
        return cards, found + [_comparable(r) for r in reread]
    except OSError:  # no process can be started (a process limit, no memory to fork): still audit
        if collecting:
            gc.enable()
        return _in_process(items, rereads, job, progress, text=text)
    finally:
        if collecting:
            gc.enable()


def _comparable(plain: Any) -> Any:
    """A worker's comparable text back from plain values (None when absent or damaged)."""
    if plain is None:
        return None  # no cross-report checks: nothing of them is imported
    from auditor.cross.crosscheck import comparable_from_plain

    try:
        return comparable_from_plain(plain)
    except (TypeError, ValueError):
        return None


def _in_process(items: Sequence[tuple[str, str | None]], rereads: Sequence[tuple[str, str | None, str | None, str | None]],
                job: Job, progress: Progress | None, *, text: bool) -> tuple[list[Scorecard], list[Any]]:
    from auditor.pool.cache import save_pattern_analyses

    store = _analyses_store()
    cards, found = [], []
    for path, digest in items:
        card, comp = analyse_fresh(path, digest, job, text=text)
        cards.append(card)
        found.append(comp)
        if progress:
            progress(1)
    comparable = found + [_reread(item, job) for item in rereads]
    save_pattern_analyses(store)
    return cards, comparable


def _card(answer: Any, path: str, job: Job, table: Any) -> Scorecard:
    """A worker's answer → its card (a timeout or crash card is one already)."""
    from auditor.errors import CardFormatError
    from auditor.pool.codec import card_from_wire

    if isinstance(answer, Scorecard):
        return answer
    try:
        return card_from_wire(answer, table)
    except CardFormatError:
        from auditor.pool import workers
        from auditor.run.engine import error_card

        return error_card(path, workers.crash_message(job.max_memory_mb))


@contextlib.contextmanager
def tty_progress(total: int) -> Iterator[Progress]:
    """A rich progress bar on stderr (count, rate, ETA); started on the first result, so it
    never runs a thread while worker processes are being forked."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("审查中"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
              TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("audit", total=total, rate="")
    t0, shown = time.monotonic(), [False]

    def advance(n: int) -> None:
        if not shown[0]:
            shown[0] = True
            bar.start()
        elapsed = time.monotonic() - t0
        done = bar.tasks[0].completed + n
        bar.update(task, advance=n, rate=f"{done / elapsed:.0f} 份/秒" if elapsed > 0 else "")

    try:
        yield advance
    finally:
        if shown[0]:
            bar.stop()
