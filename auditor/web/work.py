"""The audits behind the web app, in a bounded pool of worker processes.

Why processes: the checks are pure Python (threads would queue on the GIL), and a native parser
that crashes or hangs takes down a worker, not the server. The policy is the batch's
(auditor.pool.workers): the worker sets no timer of its own; at the document's deadline the
server kills that one worker (never the others: each worker is its own single-process executor,
whose pid the pool learns through a task) and the file gets the same error card as under
`check`; a worker that dies is replaced. Each worker caps its memory as the batch's do
(`workers.limit_memory`). Bounded and fair: the pool has a fixed number of workers, and each
request keeps at most that many of its documents queued at once, so a batch of 500 or a slow PDF
leaves room for the next person's draft. Each worker receives the packs once (initializer),
then only paths and options.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Mapping

from auditor.models import Scorecard, replace

_PACKS: Mapping[str, Any] | None = None


def _init(packs: Mapping[str, Any], max_memory_mb: int = 0) -> None:
    global _PACKS
    _PACKS = packs
    import gc

    from auditor.pool.workers import limit_memory

    gc.set_threshold(100_000, 50, 100)  # as `check` does: fewer needless collections
    # a file that makes a parser allocate without end ends in MemoryError (an error card) or
    # in this worker's death (an error card too), not in the server swapping
    limit_memory(max_memory_mb)


def _named(card: Scorecard, name: str) -> Scorecard:
    return replace(card, path=name)


def check_task(path: str, name: str, options: Any) -> Scorecard:
    import auditor

    assert _PACKS is not None
    return _named(auditor.audit(path, rules=_PACKS, options=options), name)


def view_task(path: str, name: str, options: Any) -> tuple[Scorecard, dict[str, Any] | None]:
    """The card and what the page shows beside it: the text and where each finding goes."""
    from auditor.annotate.locate import analyse, marks

    assert _PACKS is not None
    analysis = analyse(path, _PACKS, options)
    card = _named(analysis.card, name)
    if analysis.source is None:
        return card, None
    chrome = {ln.no for ln in analysis.document.chrome} if analysis.document is not None else set()
    lines = [{"no": i, "text": sl.text, "where": sl.where, "style": sl.style, "chrome": i in chrome}
             for i, sl in enumerate(analysis.source.lines, 1)]
    found = [{"rule": m.result.rule, "status": m.result.status.value, "line": m.line, "after": m.after,
              "quote": m.quote, "title": m.result.title, "message": m.result.message}
             for m in marks(analysis)]
    return card, {"lines": lines, "marks": found}


def annotate_task(path: str, name: str, options: Any) -> tuple[Scorecard, bytes | None]:
    """The card and the annotated .docx (None when the file could not be audited)."""
    from auditor import loaders
    from auditor.annotate import AnnotateError, annotate_bytes
    from auditor.annotate.locate import analyse
    from auditor.errors import DocumentLoadError
    from auditor.run.engine import error_card

    assert _PACKS is not None
    analysis = analyse(path, _PACKS, options)
    try:
        original = loaders.read_bytes(path, max_bytes=options.max_bytes) if path.endswith(".docx") else None
        done = annotate_bytes(analysis, original)
    except (AnnotateError, DocumentLoadError) as exc:
        card = analysis.card if analysis.card.verdict == "error" else error_card(name, str(exc))
        return _named(card, name), None
    return _named(done.card, name), done.data


def _consume(future: Future[Any] | asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class _Worker:
    """One worker process: a single-process executor and, once it has started, its pid."""

    def __init__(self, executor: ProcessPoolExecutor) -> None:
        self.executor = executor
        self.pid: int | None = None

    def start(self) -> int:
        """Start the process (blocking) and learn its pid."""
        if self.pid is None:
            self.pid = self.executor.submit(os.getpid).result()
        return self.pid

    def kill(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass  # gone already
        self.executor.shutdown(wait=False, cancel_futures=True)


class Pool:
    """`size` worker processes; a document stuck past its time limit (native code, a PDF parser
    say, cannot be interrupted from inside) gets its worker killed, and only that one."""

    def __init__(self, packs: Mapping[str, Any], size: int, max_memory_mb: int = 0) -> None:
        self.packs = packs
        self.size = size
        self.max_memory_mb = max_memory_mb
        self._lock = threading.Lock()  # the pool serves requests from more than one event loop
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()

    def _new(self) -> _Worker:
        # forkserver on Linux: forking the server itself (threads of the event loop and the
        # thread pool) is unsafe; spawn is the default elsewhere anyway
        ctx = multiprocessing.get_context("forkserver" if os.name == "posix" and hasattr(os, "fork") else None)
        return _Worker(ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init,
                                           initargs=(self.packs, self.max_memory_mb)))

    def _take(self) -> _Worker | None:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if len(self._all) < self.size:
                worker = self._new()
                self._all.add(worker)
                return worker
        return None

    def _give(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._idle.append(worker)

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def warm(self) -> None:
        """Start every worker now, so the first user does not wait for the imports."""
        taken = [w for w in (self._take() for _ in range(self.size)) if w is not None]
        try:
            for w in taken:
                w.start()
        finally:
            for w in taken:
                self._give(w)

    async def run(self, fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
        """fn(*args) in a worker. TimeoutError when it runs longer than `timeout` seconds (0: no
        limit; time spent waiting for a free worker does not count); BrokenProcessPool when its
        worker died."""
        worker = self._take()
        while worker is None:  # every worker busy: wait for one (polled: any event loop may ask)
            await asyncio.sleep(0.05)
            worker = self._take()
        kept = False
        try:
            if worker.pid is None:
                await asyncio.get_running_loop().run_in_executor(None, worker.start)
            future: Future[Any] = worker.executor.submit(fn, *args)
            future.add_done_callback(_consume)  # when killed, it ends in BrokenProcessPool: nobody waits
            waiting = asyncio.wrap_future(future)
            waiting.add_done_callback(_consume)  # nor for its asyncio side
            done, _ = await asyncio.wait({waiting}, timeout=timeout or None)
            if not done:
                raise asyncio.TimeoutError
            failed = future.exception()
            kept = not isinstance(failed, BrokenProcessPool)  # the task's own error leaves its worker sound
            return future.result()
        finally:
            if kept:
                self._give(worker)
            else:  # timed out, died, or the request went away while it ran: this worker only
                self._drop(worker)

    def close(self) -> None:
        """Stop the workers and wait for them: the server is stopping (uvicorn has already let the
        requests finish), and workers left running would outlive it and hold its semaphores."""
        with self._lock:
            workers, self._all, self._idle = list(self._all), set(), []
        for w in workers:
            w.executor.shutdown(wait=True, cancel_futures=True)
