"""Worker processes the parent can kill: a hard time limit and a memory cap per document.

A document is audited in a forked worker, never in the process that prints the results. The
parent waits on the worker's result pipe with the document's deadline as the timeout; when it
passes, the worker is killed (SIGKILL: native code — the HTML parser, PDFium — cannot be
interrupted any other way), the document gets an `error` card, and a fresh worker takes the
next document. Each worker caps its own address space (RLIMIT_AS), so a file that makes a
parser allocate without end ends in MemoryError (an error card) or in the worker's death (an
error card too), never in the machine swapping.

Workers are forked once and reused: a task is a (path, digest) on one pipe, a result a card as
plain data (auditor.pool.codec) on another, both marshalled (plain data only: marshal is built in,
so a one-file run does not pay pickle's import), so isolation costs two small pipe writes per
document. Forking (not
spawning) means the packs and options are inherited, never sent, and a worker starts in ~1 ms.
On a platform without fork (Windows), documents are audited in-process with the engine's own
budget: no hard limit there.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from auditor.pool import child
from auditor.pool.forkserver import ForkServer
from auditor.pool.pipes import NOTHING, Inbox, frame, write_all

if TYPE_CHECKING:  # a batch never needs it: concurrent.futures costs a one-file run 5 ms to import
    from concurrent.futures import Future

#: Memory cap per worker (address space), MB. Generous for a 300-page PDF with PDFium and for
#: Tesseract (which the worker starts, and which inherits the cap); a hostile file hits it long
#: before the machine swaps.
DEFAULT_MAX_MEMORY_MB = 2048

HAS_FORK = hasattr(os, "fork") and hasattr(select, "select")


def timeout_message(seconds: float, ocr: bool = False, *, options: bool = True) -> str:
    """A document that ran over its time budget; `options`: name the command-line option that
    changes it (not on the web page, whose limits are the server's)."""
    if not options:
        return f"处理超时（超过 {seconds:g} 秒），已跳过"
    hint = "；OCR 每页需数秒，可用 --timeout 放宽时限（0 为不限）" if ocr else "，可用 --timeout 放宽时限（0 为不限）"
    return f"处理超时（超过 {seconds:g} 秒），已跳过{hint}"


def crash_message(max_memory_mb: int, *, options: bool = True) -> str:
    """A worker that died on a document (a native crash, or its memory cap)."""
    if not options:
        return "处理该文件时进程异常退出（文件可能已损坏），已跳过"
    cap = f"超出内存上限 {max_memory_mb} MB（可用 --max-memory 调整），或" if max_memory_mb else ""
    return f"处理该文件时进程异常退出（可能{cap}文件已损坏），已跳过"


@dataclass(eq=False)
class _Task:
    item: Any
    limit: float  # seconds once a worker starts it (inf: none)
    done: Callable[[Any], None]  # called with the result (the item's, or on_timeout's / on_crash's)
    future: Future[Any] | None = None  # submit()'s
    abandoned: bool = False  # nobody waits for it any more: a worker on it is stopped

    def claim(self) -> bool:
        """Whether it is still wanted, when a worker is about to take it (a future cancelled
        while it waited is dropped)."""
        if self.abandoned:
            return False
        return self.future is None or self.future.running() or self.future.set_running_or_notify_cancel()


def _settle(future: Future[Any]) -> Callable[[Any], None]:
    def done(result: Any) -> None:
        if not future.done() and (future.running() or future.set_running_or_notify_cancel()):
            future.set_result(result)

    return done


@dataclass(eq=False)
class _Worker:
    pid: int
    tasks: int  # parent writes tasks here
    results: int  # parent reads results here
    queue: deque[_Task] = field(default_factory=deque)  # tasks sent, in order; the first is running
    deadline: float = float("inf")  # of the running task
    inbox: Inbox = field(init=False)

    def __post_init__(self) -> None:
        self.inbox = Inbox(self.results)

    def close_tasks(self) -> None:
        if self.tasks >= 0:
            child.release(self.tasks)
            self.tasks = -1

    def stop(self, grace: float = 0.0) -> None:
        """Close its pipes (an idle worker then finishes: `on_exit`, e.g. committing its cache
        writes) and wait up to `grace` seconds for it to exit; then kill it."""
        self.close_tasks()
        if self.results >= 0:
            child.release(self.results)
            self.results = -1
        deadline = time.monotonic() + grace
        while grace > 0:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # not ours to wait for (a fork server's) or gone: poll it
                pid = 0 if _alive(self.pid) else self.pid
            if pid:
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(0.002)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        if not _DYING:
            import atexit

            atexit.register(_reap, block=True)
        _DYING.append(self.pid)
        _reap()  # tearing down a worker's memory takes the kernel a few ms: collect it later if need be


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


#: Killed workers not yet reaped: collected without waiting whenever a pool starts or stops one,
#: and at exit, so a run goes on (writes its report) while the kernel tears a worker down.
_DYING: list[int] = []


def _reap(block: bool = False) -> None:
    for pid in list(_DYING):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:  # gone, or a fork server's child (the kernel reaps those)
            done = pid
        if done:
            _DYING.remove(pid)


#: Items sent to a worker ahead of its results: the next documents are already in its pipe when
#: it finishes one, so it never waits for the parent to be scheduled (on a loaded machine that
#: wait, not the work, was most of the cost of isolation), and they go in one write.
PREFETCH = 4


class Pool:
    """Up to `size` forked workers running `work(item)`, for every isolation need.

    Two ways in, one policy: `map()` runs a list of items in the calling thread and returns the
    results in item order (a batch); `submit()` hands one item to a dispatcher thread and
    returns a Future (the web server, where requests arrive from an event loop). Either way a
    worker that runs past its item's time limit is killed (that one only; a fresh one takes the
    next item) and the item's result is `on_timeout(item)`; a worker that dies gives
    `on_crash(item)`; each worker caps its memory at `max_memory_mb`.
    """

    def __init__(self, work: Callable[[Any], Any], *, size: int = 1, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
                 on_timeout: Callable[[Any], Any], on_crash: Callable[[Any], Any],
                 on_exit: Callable[[], None] | None = None, prefetch: int = PREFETCH,
                 fork_server: bool = False) -> None:
        """`on_exit()` runs in each worker when the pool closes normally. `prefetch`: items queued
        in a worker's pipe (1 keeps a quick item from waiting behind a slow one: the web).
        `fork_server`: fork the workers from a process forked now (forkserver.ForkServer): for a
        parent that will have threads; construct the pool while it has only one."""
        self.work, self.size, self.max_memory_mb = work, max(1, size), max_memory_mb
        self.on_timeout, self.on_crash, self.on_exit = on_timeout, on_crash, on_exit
        self.prefetch = max(1, prefetch)
        self.workers: list[_Worker] = []
        self.started = 0  # workers forked so far (for tests and the benchmark)
        self._pending: deque[_Task] = deque()
        self._refused = 0  # sends that found the worker dead, in a row
        self._server = ForkServer(work, max_memory_mb, on_exit) if fork_server and HAS_FORK else None
        self._inbox: Any = None  # submit()'s queue to the dispatcher thread, once started
        self._thread: Any = None
        self._wake = (-1, -1)
        self._closing = False

    # -- the one loop both ways use ---------------------------------------------------------

    def _spawn(self) -> _Worker:
        _reap()
        if self._server is not None:
            pid, t_write, r_read = self._server.fork()
        else:
            t_read, t_write = os.pipe()
            r_read, r_write = os.pipe()
            # Everything alive now (modules, packs) is shared with the worker copy-on-write; a
            # garbage collection in the worker would write to every object's header and copy all
            # those pages (tens of ms). Frozen objects are left alone by the collector.
            gc.freeze()
            pid = os.fork()
            if pid == 0:  # the worker
                try:
                    os.close(t_write)
                    os.close(r_read)
                    child.drop_held()  # other workers' pipes: not ours to hold open
                finally:
                    child.run_worker(self.work, self.max_memory_mb, self.on_exit, t_read, r_write)
            os.close(t_read)
            os.close(r_write)
        child.HELD.update((t_write, r_read))
        worker = _Worker(pid, t_write, r_read)
        self.workers.append(worker)
        self.started += 1
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Stop a worker; the tasks it still holds go back to the front of the queue (the one it
        was working on has had its result already: a crash or timeout)."""
        self._pending.extendleft(reversed(worker.queue))
        worker.queue.clear()
        self.workers.remove(worker)
        worker.stop()

    def _finished(self, worker: _Worker, result: Any) -> None:
        task = worker.queue.popleft()
        # it starts the next one it holds now
        worker.deadline = time.monotonic() + worker.queue[0].limit if worker.queue else float("inf")
        task.done(result)

    def _feed(self) -> None:
        """Start workers as the queue needs them and send each its next tasks."""
        while self._pending and len(self.workers) < min(self.size, len(self._pending) + self._in_flight()):
            self._spawn()
        for worker in list(self.workers):
            batch: list[_Task] = []
            while self._pending and len(worker.queue) + len(batch) < self.prefetch:
                task = self._pending.popleft()
                if task.claim():
                    batch.append(task)
            if not batch:
                continue
            try:
                write_all(worker.tasks, b"".join([frame(t.item) for t in batch]))
            except OSError:  # it died between items: the next round replaces it
                self._pending.extendleft(reversed(batch))
                self._retire(worker)
                self._refused += 1
                if self._refused > 3:  # workers die as soon as they start (a cap too small to run)
                    task = self._pending.popleft()
                    self._refused = 0
                    task.done(self.on_crash(task.item))
                continue
            if not worker.queue:
                worker.deadline = time.monotonic() + batch[0].limit
            worker.queue.extend(batch)

    def _in_flight(self) -> int:
        return sum(len(w.queue) for w in self.workers)

    def _tasks(self) -> list[_Task]:
        """Every task waiting or held by a worker."""
        return [*self._pending, *(t for w in self.workers for t in w.queue)]

    def _round(self) -> None:
        """Feed the workers, wait for a result, a deadline or (dispatcher) a wake-up; handle them."""
        self._feed()
        busy = {w.results: w for w in self.workers if w.queue}
        if not busy and self._wake[0] < 0:
            return
        # an abandoned item's worker is stopped now, as at its deadline
        wait = min((-1.0 if w.queue[0].abandoned else w.deadline for w in busy.values()), default=float("inf")) \
            - time.monotonic()
        fds = [*busy, self._wake[0]] if self._wake[0] >= 0 else list(busy)
        ready, _, _ = select.select(fds, [], [], max(0.0, wait) if wait != float("inf") else None)
        for fd in ready:
            if fd == self._wake[0]:
                os.read(fd, 4096)
                continue
            worker = busy[fd]
            try:
                alive = worker.inbox.fill()
                while worker.queue:
                    result = worker.inbox.take()
                    if result is NOTHING:
                        break
                    self._refused = 0
                    self._finished(worker, result)
                if not alive and worker.queue:
                    raise EOFError("worker pipe closed")
            except Exception:  # noqa: BLE001 - EOF (it died) or a result it could not finish
                if worker.queue:
                    self._finished(worker, self.on_crash(worker.queue[0].item))
                self._retire(worker)
        now = time.monotonic()
        for worker in list(busy.values()):
            if worker in self.workers and worker.queue and (worker.deadline <= now or worker.queue[0].abandoned):
                self._finished(worker, self.on_timeout(worker.queue[0].item))
                self._retire(worker)

    # -- a batch -----------------------------------------------------------------------------

    def map(self, items: Sequence[Any], *, timeout: float = 0, progress: Callable[[int], None] | None = None
            ) -> list[Any]:
        """`work(item)` for every item, each within `timeout` seconds (0: no limit)."""
        if self._thread is not None:
            raise RuntimeError("map() on a pool that serves submit(): use one pool per way in")
        out: list[Any] = [None] * len(items)
        left = [len(items)]
        limit = timeout if timeout > 0 else float("inf")

        def done_at(i: int) -> Callable[[Any], None]:
            def done(result: Any) -> None:
                out[i] = result
                left[0] -= 1
                if progress:
                    progress(1)

            return done

        self._pending.extend(_Task(item, limit, done_at(i)) for i, item in enumerate(items))
        while left[0]:
            self._round()
        return out

    # -- one item at a time, from any thread ---------------------------------------------------

    def start(self, *, warm: bool = False) -> None:
        """Start the dispatcher thread that serves submit(); with `warm`, every worker now, so
        the first item does not wait for one."""
        if self._thread is not None:
            return
        import queue
        import threading

        self._inbox = queue.SimpleQueue()
        self._wake = os.pipe()
        os.set_blocking(self._wake[1], False)
        child.HELD.update(self._wake)
        if warm:
            while len(self.workers) < self.size:
                self._spawn()
        self._thread = threading.Thread(target=self._dispatch, name="auditor-pool", daemon=True)
        self._thread.start()

    def submit(self, item: Any, *, timeout: float = 0) -> Future[Any]:
        """`work(item)` in a worker, within `timeout` seconds once it starts (0: no limit; time
        spent waiting for a free worker does not count). The future's result is the item's, or
        `on_timeout(item)` / `on_crash(item)`. Thread-safe."""
        from concurrent.futures import Future

        self.start()
        future: Future[Any] = Future()
        self._inbox.put(_Task(item, timeout if timeout > 0 else float("inf"), _settle(future), future))
        self._poke()
        return future

    def abandon(self, future: Future[Any]) -> None:
        """Nobody waits for this future any more: drop its item, or stop the worker running it
        (the request went away; its worker is freed for the next one)."""
        if not future.cancel() and self._inbox is not None:
            self._inbox.put(future)
            self._poke()

    def _poke(self) -> None:
        try:
            os.write(self._wake[1], b"x")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (a wake-up is pending anyway) or closed (the pool is stopping)

    def _take_inbox(self) -> None:
        """What submit() and abandon() sent since: new tasks queued, abandoned ones marked."""
        while not self._inbox.empty():
            got = self._inbox.get_nowait()
            if isinstance(got, _Task):
                self._pending.append(got)
                continue
            for task in self._tasks():
                if task.future is got:
                    task.abandoned = True

    def _dispatch(self) -> None:
        while not self._closing:
            self._take_inbox()
            try:
                self._round()
            except OSError:  # no worker can be started: the next item gets a crash result
                if self._pending:
                    task = self._pending.popleft()
                    task.done(self.on_crash(task.item))
            except Exception:  # noqa: BLE001 - a fault here must not leave every caller waiting forever
                self._fail_everything()

    def _fail_everything(self) -> None:
        """Every item waiting or running gets on_crash; the workers are stopped (fresh ones
        start for the next items)."""
        left = self._tasks()
        self._pending.clear()
        for worker in list(self.workers):
            worker.queue.clear()
            self._retire(worker)
        for task in left:
            try:
                task.done(self.on_crash(task.item))
            except Exception:  # noqa: BLE001, S110 - its caller is told nothing more; the others are
                pass

    # -- closing -----------------------------------------------------------------------------

    def close(self, grace: float = 0.0) -> None:
        """Stop every worker: idle ones get `grace` seconds to run `on_exit` and leave. Items
        submitted and not finished get `on_crash(item)`."""
        if self._thread is not None:
            self._closing = True
            self._poke()
            self._thread.join()
            self._thread = None
            self._take_inbox()
        left = self._tasks()
        self._pending.clear()
        for worker in self.workers:  # all task pipes first, so they all finish at once
            worker.close_tasks()
        for worker in list(self.workers):
            worker.stop(grace if not worker.queue else 0.0)
        self.workers.clear()
        for task in left:
            if task.future is not None:
                task.done(self.on_crash(task.item))
        if self._server is not None:
            self._server.close()
            self._server = None
        for fd in self._wake:
            if fd >= 0:
                child.release(fd)
        self._wake = (-1, -1)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # workers with something to finish get a moment; otherwise (or interrupted) no waiting
        self.close(grace=2.0 if exc_type is None and self.on_exit is not None else 0.0)
