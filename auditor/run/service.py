"""The run service: what every front door does with documents once its settings are built
(auditor.run.settings). `run_files` audits files as `check` does: the result cache, the worker
pool (auditor.pool.batch), the cross-report checks on the comparable texts the workers hand back,
the waivers; a `RunResult` comes back. One document's analysis, for annotate and the web view,
is `engine.analyse_file` (an `Audit`), in a worker of the same kind.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping, Sequence

from auditor.errors import ConfigError
from auditor.models import Scorecard


class CrossCheckError(ConfigError):
    """A cross-report rule or data file is broken (the run stops, as for a bad rule file)."""


@dataclasses.dataclass(frozen=True)
class RunResult:
    cards: tuple[Scorecard, ...]  # in the order of the files
    notes: tuple[str, ...] = ()  # what the waivers say (expired, unused)
    cross: Any = None  # crosscheck.CrossReport when cross-report checks ran


def run_files(files: Sequence[str], cfg: Any, packs: Mapping[str, Any], options: Any, *, jobs: int | None = None,
              use_cache: bool = True, max_memory: int | None = None, shown: Mapping[str, str] | None = None,
              cross: Any = None, progress_bar: bool = False) -> RunResult:
    """Cards in file order (cache, workers), the cross-report checks run on them (`cross`:
    crosscheck.CrossSettings or None), waivers applied (`cfg.waivers`); `shown` renames cards
    (the temporary file of stdin gets the name the user gave)."""
    want_hash = any(w.sha256 for w in cfg.waivers)
    # one draft too goes through a worker process: its time and memory limits must hold; the
    # workers hand back each report's comparable text with its card when cross-report checks run
    texts: dict[str, Any] | None = {} if cross is not None else None
    cards = _batch(files, packs, options, jobs=jobs, use_cache=use_cache, want_hash=want_hash,
                   max_memory=max_memory, texts=texts, signatures=cross is not None and cross.similarity,
                   progress_bar=progress_bar)
    report = None
    if cross is not None:
        from auditor.errors import AuditorError
        from auditor.cross import crosscheck

        try:
            cards, report = crosscheck.run(cards, packs, cross, texts or {}, max_bytes=options.max_bytes)
        except AuditorError as exc:
            raise CrossCheckError(str(exc)) from exc
    if shown:
        cards = [c._replace(path=shown[c.path]) if c.path in shown else c for c in cards]
    if not cfg.waivers:  # waivers are imported only when there are some: every run pays its imports
        return RunResult(tuple(cards), (), report)
    from auditor.setup import waivers

    cards, notes = waivers.apply(cards, cfg.waivers)
    return RunResult(tuple(cards), tuple(notes), report)


def _batch(files: Sequence[str], packs: Mapping[str, Any], options: Any, *, jobs: int | None, use_cache: bool,
           want_hash: bool, max_memory: int | None, texts: dict[str, Any] | None, signatures: bool,
           progress_bar: bool) -> list[Scorecard]:
    """The result cache, the worker pool, a progress bar when asked for; the cards (and in
    `texts`, each report's comparable text for the cross-report checks)."""
    from auditor.pool import batch

    cache = None
    if len(files) > 1 and use_cache:  # a single file gains little, and its run stays lean
        from auditor.pool.cache import open_cache

        cache = open_cache(packs, options)
    job = batch.Job(packs=packs, options=options, cache=cache, want_hash=want_hash, signatures=signatures,
                    max_memory_mb=batch.DEFAULT_MAX_MEMORY_MB if max_memory is None else max_memory)
    n_jobs = jobs or batch.default_jobs()
    try:
        if progress_bar:
            with batch.tty_progress(len(files)) as advance:
                return batch.run(files, job, jobs=n_jobs, progress=advance, texts=texts)
        return batch.run(files, job, jobs=n_jobs, texts=texts)
    finally:
        if cache is not None:
            cache.close()  # commits what is left; a clean close also folds the -wal file back
