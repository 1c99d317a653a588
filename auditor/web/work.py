"""The audits behind the web app, in a bounded pool of worker processes.

Why processes: the checks are pure Python (threads would queue on the GIL), a document's time
budget is a SIGALRM timer that only works in a process's main thread, and a native parser that
crashes takes down a worker, not the server (the pool is rebuilt and the file gets an error card).
Why bounded and fair: the pool has a fixed number of workers, and each request keeps at most that
many of its documents queued at once, so a batch of 500 or a slow PDF leaves room for the next
person's draft. Each worker receives the packs once (initializer), then only paths and options.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Mapping

from auditor.models import Scorecard, replace

_PACKS: Mapping[str, Any] | None = None


def _init(packs: Mapping[str, Any], max_memory_mb: int = 0) -> None:
    global _PACKS
    _PACKS = packs
    import gc

    gc.set_threshold(100_000, 50, 100)  # as `check` does: fewer needless collections
    if max_memory_mb:
        # a file that makes a parser allocate without end ends in MemoryError (an error card) or
        # in this worker's death (an error card too), not in the server swapping
        try:
            import resource

            cap = max_memory_mb * 1024 * 1024
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
        except (ImportError, ValueError, OSError):
            pass  # Windows, or a container that refuses: the time limit still holds


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


def _consume(future: "asyncio.Future[Any]") -> None:
    if not future.cancelled():
        future.exception()


class Pool:
    """A process pool of `size` workers that survives a worker's death and kills a worker stuck
    past its time limit (native code, a PDF parser say, cannot be interrupted from inside)."""

    def __init__(self, packs: Mapping[str, Any], size: int, max_memory_mb: int = 0) -> None:
        self.packs = packs
        self.size = size
        self.max_memory_mb = max_memory_mb
        self._pool: ProcessPoolExecutor | None = None
        self._killed: set[int] = set()  # ids of executors stopped on purpose: their other tasks are retried

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # forkserver on Linux: forking the server itself (threads of the event loop and the
            # thread pool) is unsafe; spawn is the default elsewhere anyway
            ctx = multiprocessing.get_context("forkserver" if os.name == "posix" and hasattr(os, "fork") else None)
            self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=ctx, initializer=_init,
                                             initargs=(self.packs, self.max_memory_mb))
        return self._pool

    def warm(self) -> None:
        """Start every worker now, so the first user does not wait for the imports."""
        futures = [self._executor().submit(os.getpid) for _ in range(self.size * 2)]
        for f in futures:
            f.result()

    def _stop(self, executor: ProcessPoolExecutor) -> None:
        """Kill the workers of `executor` (ProcessPoolExecutor cannot kill just one); the next
        task starts a fresh pool, and the tasks that were running on this one are retried."""
        self._killed.add(id(executor))
        if self._pool is executor:
            self._pool = None
        for proc in list((getattr(executor, "_processes", None) or {}).values()):
            proc.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., Any], *args: Any, timeout: float, retry: bool = True) -> Any:
        """fn(*args) in a worker. TimeoutError when it runs longer than `timeout` seconds (0: no
        limit; time spent queued does not count); BrokenProcessPool when its worker died."""
        executor = self._executor()
        future: Future[Any] = executor.submit(fn, *args)
        wrapped = asyncio.wrap_future(future)
        loop = asyncio.get_running_loop()
        started: float | None = None
        try:
            while True:
                done, _ = await asyncio.wait({wrapped}, timeout=0.25)
                if done:
                    return wrapped.result()
                if started is None and future.running():
                    started = loop.time()
                if timeout and started is not None and loop.time() - started > timeout:
                    wrapped.add_done_callback(_consume)  # it ends in BrokenProcessPool: nobody waits for it
                    self._stop(executor)
                    raise asyncio.TimeoutError
        except BrokenProcessPool:
            if id(executor) in self._killed and retry:  # another document's worker was killed
                return await self.run(fn, *args, timeout=timeout, retry=False)
            if self._pool is executor:
                self._pool = None
                executor.shutdown(wait=False, cancel_futures=True)
            raise

    def close(self) -> None:
        """Stop the workers and wait for them: the server is stopping (uvicorn has already let the
        requests finish), and workers left running would outlive it and hold its semaphores."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
