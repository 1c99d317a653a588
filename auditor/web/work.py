"""The audits behind the web app, on the batch's worker pool (auditor.pool.workers).

Why processes: the checks are pure Python (threads would queue on the GIL), and a native parser
that crashes or hangs takes down a worker, not the server. The pool is the one `check` uses, with
its policy: at a document's deadline the server kills that one worker (never the others) and the
file gets the same error card as under `check`; a worker that dies is replaced; each worker caps
its memory. Two differences, both the pool's options: the server has threads (the event loop's
helpers), so its workers are forked by a fork server started before any thread (`fork_server`);
and a worker holds one document at a time (`prefetch=1`), so a quick draft never waits behind
another user's slow PDF. Bounded and fair: the pool has a fixed number of workers, and each
request keeps at most that many of its documents submitted at once (service.py).

A task is plain data, `(kind, path, name, options)`, and so is its answer, `(card, extra)`: the
card in the batch's wire form (auditor.pool.codec), `extra` what the page shows beside it (the
text and marks of `view`, the annotated .docx of `annotate`). The packs are inherited by the fork,
never sent. Every kind is the engine's one call, `engine.analyse_file`, as for `check`.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from auditor.models import Scorecard, replace
from auditor.pool import workers

CHECK, VIEW, ANNOTATE = "check", "view", "annotate"


def _view(analysis: Any) -> dict[str, Any] | None:
    """What the page shows beside the card: the text and where each finding goes."""
    from auditor.annotate.locate import marks

    if analysis.source is None:
        return None
    chrome = {ln.no for ln in analysis.document.chrome} if analysis.document is not None else set()
    lines = [{"no": i, "text": sl.text, "where": sl.where, "style": sl.style, "chrome": i in chrome}
             for i, sl in enumerate(analysis.source.lines, 1)]
    found = [{"rule": m.result.rule, "status": m.result.status.value, "line": m.line, "after": m.after,
              "quote": m.quote, "title": m.result.title, "message": m.result.message}
             for m in marks(analysis)]
    return {"lines": lines, "marks": found}


def _annotated(analysis: Any, path: str, name: str, options: Any, author: str) -> tuple[Scorecard, bytes | None]:
    """The card and the annotated .docx (None when the file could not be annotated)."""
    from auditor import loaders
    from auditor.annotate import AnnotateError, annotate_bytes
    from auditor.errors import DocumentLoadError
    from auditor.run.engine import error_card

    try:
        original = loaders.read_bytes(path, max_bytes=options.max_bytes) if path.endswith(".docx") else None
        done = annotate_bytes(analysis, original, author=author)
    except (AnnotateError, DocumentLoadError) as exc:
        return (analysis.card if analysis.card.verdict == "error" else error_card(name, str(exc))), None
    return done.card, done.data


def prepare(packs: Mapping[str, Any]) -> None:
    """Import what the workers run, before the fork server forks: each worker starts with it."""
    import auditor.annotate
    import auditor.annotate.locate  # noqa: F401
    from auditor.pool.batch import import_kinds
    from auditor.run import engine  # noqa: F401

    import_kinds(packs)


class ServerPool:
    """The server's worker pool and what its answers need (the card wire form's string table).

    Construct it before the server starts any thread: its fork server is forked here."""

    def __init__(self, packs: Mapping[str, Any], size: int, *, max_memory_mb: int, time_budget: float,
                 comment_author: str = "") -> None:
        from auditor.pool.codec import card_to_wire, options_from_plain, pack_strings
        from auditor.run.engine import error_card

        table = pack_strings(packs)
        prepare(packs)

        def work(task: tuple[str, str, str, Any]) -> tuple[Any, Any]:
            """In a worker: one document, the engine's one call, the answer as plain data."""
            from auditor.run.engine import analyse_file

            kind, path, name, plain = task
            options = options_from_plain(plain)
            analysis = analyse_file(path, packs, options)
            extra: Any = None
            card = analysis.card
            if kind == VIEW:
                extra = _view(analysis)
            elif kind == ANNOTATE:
                card, extra = _annotated(analysis, path, name, options, comment_author)
            return card_to_wire(replace(card, path=name), table), extra

        def failed(message: str) -> Callable[[tuple[str, str, str, Any]], tuple[Scorecard, None]]:
            return lambda task: (error_card(task[2], message), None)

        self.table = table
        self.work = work
        self.pool = workers.Pool(work, size=size, max_memory_mb=max_memory_mb, prefetch=1, fork_server=True,
                                 on_timeout=failed(workers.timeout_message(time_budget, options=False)),
                                 on_crash=failed(workers.crash_message(0, options=False)))

    @property
    def size(self) -> int:
        return self.pool.size

    def start(self, *, warm: bool) -> None:
        if workers.HAS_FORK:
            self.pool.start(warm=warm)

    def close(self) -> None:
        self.pool.close()

    async def run(self, kind: str, path: str, name: str, options: Any, *, timeout: float) -> tuple[Scorecard, Any]:
        """(card, extra) of one document; the worker is killed past `timeout` seconds (0: none)
        or when the request goes away while it runs."""
        import asyncio

        from auditor.pool.codec import options_to_plain

        if not workers.HAS_FORK:  # Windows: no process to kill; in a thread, as `check` audits there
            return self._answer(await asyncio.to_thread(self.work, (kind, path, name, options_to_plain(options))),
                                name)
        # the pool enforces the budget from outside, as the batch's does: no timer in the worker
        # (a signal raised inside native code is no clean stop)
        plain = options_to_plain(replace(options, time_budget=0))
        future = self.pool.submit((kind, path, name, plain), timeout=timeout)
        try:
            result = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            self.pool.abandon(future)
            raise
        return self._answer(result, name)

    def _answer(self, result: tuple[Any, Any], name: str) -> tuple[Scorecard, Any]:
        """A worker's answer back as (card, extra); a garbled one is a crash card."""
        from auditor.errors import CardFormatError
        from auditor.pool.codec import card_from_wire
        from auditor.run.engine import error_card

        card, extra = result
        if isinstance(card, Scorecard):  # a timeout or crash: made in this process
            return card, extra
        try:
            return card_from_wire(card, self.table), extra
        except CardFormatError:
            return error_card(name, workers.crash_message(0, options=False)), None
