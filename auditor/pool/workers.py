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
import marshal
import os
import select
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

#: Memory cap per worker (address space), MB. Generous for a 300-page PDF with PDFium and for
#: Tesseract (which the worker starts, and which inherits the cap); a hostile file hits it long
#: before the machine swaps.
DEFAULT_MAX_MEMORY_MB = 2048

HAS_FORK = hasattr(os, "fork") and hasattr(select, "select")

_HEADER = 8  # result length, big-endian


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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _frame(obj: Any) -> bytes:
    data = marshal.dumps(obj)
    return len(data).to_bytes(_HEADER, "big") + data


def _send(fd: int, obj: Any) -> None:
    _write_all(fd, _frame(obj))


_NOTHING: Any = object()  # no complete message yet
_CHUNK = 1 << 16  # bytes asked for per read: below malloc's mmap threshold, so a read allocates cheaply


class _Inbox:
    """Messages (length-prefixed marshal data) arriving on a pipe. Whatever the pipe holds is
    read in one system call and split here, so a worker's next tasks, or several results, cost
    one read together (system calls, not the data, were most of what isolation cost)."""

    __slots__ = ("fd", "buf")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def fill(self) -> bool:
        """One read of what the pipe holds (blocking until something is there); False at EOF."""
        chunk = os.read(self.fd, _CHUNK)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def take(self) -> Any:
        """The next complete message, or _NOTHING."""
        buf = self.buf
        if len(buf) < _HEADER:
            return _NOTHING
        end = _HEADER + int.from_bytes(buf[:_HEADER], "big")
        if len(buf) < end:
            return _NOTHING
        obj = marshal.loads(bytes(buf[_HEADER:end]))
        del buf[:end]
        return obj


def limit_memory(mb: int) -> None:
    """Cap this process's address space at `mb` MB (0: no cap), where the platform allows."""
    if not mb:
        return
    try:
        import resource

        cap = mb * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass  # a platform or container that refuses: the time limit still holds


def _quiet() -> None:
    """Native libraries and warnings print to fd 2 (pypdfium2 tracebacks, "Exception ignored"):
    the worker's stderr goes nowhere, its results say what went wrong. AUDITOR_DEBUG keeps it."""
    if os.environ.get("AUDITOR_DEBUG"):
        return
    import warnings

    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _serve(work: Callable[[Any], Any], tasks: int, results: int, max_memory_mb: int,
           on_exit: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    gc.enable()  # a parent may have paused collection while it gathers results; a worker collects
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _quiet()
    limit_memory(max_memory_mb)
    inbox = _Inbox(tasks)
    while True:
        item = inbox.take()
        if item is _NOTHING:
            if not inbox.fill():  # the parent closed the pipe: the batch is done
                if on_exit is not None:
                    on_exit()
                return
            continue
        _send(results, work(item))


@dataclass
class _Worker:
    pid: int
    tasks: int  # parent writes tasks here
    results: int  # parent reads results here
    queue: deque[int] = field(default_factory=deque)  # items sent, in order; the first is running
    deadline: float = float("inf")  # of the running item
    inbox: _Inbox = field(init=False)

    def __post_init__(self) -> None:
        self.inbox = _Inbox(self.results)

    def close_tasks(self) -> None:
        if self.tasks >= 0:
            os.close(self.tasks)
            self.tasks = -1

    def stop(self, grace: float = 0.0) -> None:
        """Close its pipes (an idle worker then finishes: `on_exit`, e.g. committing its cache
        writes) and wait up to `grace` seconds for it to exit; then kill it."""
        self.close_tasks()
        if self.results >= 0:
            os.close(self.results)
            self.results = -1
        deadline = time.monotonic() + grace
        while grace > 0:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                return
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


#: Killed workers not yet reaped: collected without waiting whenever a pool starts or stops one,
#: and at exit, so a run goes on (writes its report) while the kernel tears a worker down.
_DYING: list[int] = []


def _reap(block: bool = False) -> None:
    for pid in list(_DYING):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _DYING.remove(pid)


#: Items sent to a worker ahead of its results: the next documents are already in its pipe when
#: it finishes one, so it never waits for the parent to be scheduled (on a loaded machine that
#: wait, not the work, was most of the cost of isolation), and they go in one write.
PREFETCH = 4


class Pool:
    """Up to `size` forked workers running `work(item)`; results come back in item order."""

    def __init__(self, work: Callable[[Any], Any], *, size: int = 1, max_memory_mb: int = DEFAULT_MAX_MEMORY_MB,
                 on_timeout: Callable[[Any], Any], on_crash: Callable[[Any], Any],
                 on_exit: Callable[[], None] | None = None) -> None:
        """`on_timeout(item)`/`on_crash(item)` give the result of an item whose worker ran over
        the time limit or died; `on_exit()` runs in each worker when the pool closes normally."""
        self.work, self.size, self.max_memory_mb = work, max(1, size), max_memory_mb
        self.on_timeout, self.on_crash, self.on_exit = on_timeout, on_crash, on_exit
        self.workers: list[_Worker] = []
        self.started = 0  # workers forked so far (for tests and the benchmark)

    def _spawn(self) -> _Worker:
        t_read, t_write = os.pipe()
        r_read, r_write = os.pipe()
        # Everything alive now (modules, packs) is shared with the worker copy-on-write; a
        # garbage collection in the worker would write to every object's header and copy all
        # those pages (tens of ms). Frozen objects are left alone by the collector.
        gc.freeze()
        _reap()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                os.close(t_write)
                os.close(r_read)
                for w in self.workers:  # other workers' pipes: not ours to hold open
                    for fd in (w.tasks, w.results):
                        if fd >= 0:
                            os.close(fd)
                _serve(self.work, t_read, r_write, self.max_memory_mb, self.on_exit)
            except BaseException:  # noqa: BLE001 - a dying worker is reported by the parent
                code = 70
            finally:
                os._exit(code)  # never return into the parent's code, never run its atexit
        os.close(t_read)
        os.close(r_write)
        worker = _Worker(pid, t_write, r_read)
        self.workers.append(worker)
        self.started += 1
        return worker

    def _retire(self, worker: _Worker, todo: deque[int]) -> None:
        """Stop a worker; the items it still holds go back to the front of the queue (the one it
        was working on has had its result already: a crash or timeout card)."""
        todo.extendleft(reversed(worker.queue))
        worker.queue.clear()
        self.workers.remove(worker)
        worker.stop()

    def map(self, items: Sequence[Any], *, timeout: float = 0, progress: Callable[[int], None] | None = None
            ) -> list[Any]:
        """`work(item)` for every item, each within `timeout` seconds (0: no limit)."""
        out: list[Any] = [None] * len(items)
        todo = deque(range(len(items)))
        limit = timeout if timeout > 0 else float("inf")
        refused = 0  # sends that found the worker dead, in a row

        def finished(worker: _Worker, result: Any) -> None:
            out[worker.queue.popleft()] = result
            worker.deadline = time.monotonic() + limit  # it starts the next one it holds now
            if progress:
                progress(1)

        while todo or any(w.queue for w in self.workers):
            while len(self.workers) < min(self.size, len(items)) and todo:
                self._spawn()
            for worker in list(self.workers):
                batch: list[int] = []
                while todo and len(worker.queue) + len(batch) < PREFETCH:
                    batch.append(todo.popleft())
                if not batch:
                    continue
                try:
                    _write_all(worker.tasks, b"".join([_frame(items[i]) for i in batch]))
                except OSError:  # it died between documents: the next round replaces it
                    todo.extendleft(reversed(batch))
                    self._retire(worker, todo)
                    refused += 1
                    if refused > 3:  # workers die as soon as they start (a cap too small to run)
                        i = todo.popleft()
                        out[i] = self.on_crash(items[i])
                        refused = 0
                        if progress:
                            progress(1)
                    continue
                if not worker.queue:
                    worker.deadline = time.monotonic() + limit
                worker.queue.extend(batch)
            busy = {w.results: w for w in self.workers if w.queue}
            if not busy:
                continue
            wait = min(w.deadline for w in busy.values()) - time.monotonic()
            ready, _, _ = select.select(list(busy), [], [], max(0.0, wait) if wait != float("inf") else None)
            for fd in ready:
                worker = busy[fd]
                try:
                    alive = worker.inbox.fill()
                    while worker.queue:
                        result = worker.inbox.take()
                        if result is _NOTHING:
                            break
                        refused = 0
                        finished(worker, result)
                    if not alive and worker.queue:
                        raise EOFError("worker pipe closed")
                except Exception:  # noqa: BLE001 - EOF (it died) or a result it could not finish
                    if worker.queue:
                        finished(worker, self.on_crash(items[worker.queue[0]]))
                    self._retire(worker, todo)
                    continue
            now = time.monotonic()
            for worker in list(busy.values()):
                if worker in self.workers and worker.queue and worker.deadline <= now:
                    finished(worker, self.on_timeout(items[worker.queue[0]]))
                    self._retire(worker, todo)
        return out

    def close(self, grace: float = 0.0) -> None:
        """Stop every worker: idle ones get `grace` seconds to run `on_exit` and leave."""
        for worker in self.workers:  # all task pipes first, so they all finish at once
            worker.close_tasks()
        for worker in list(self.workers):
            worker.stop(grace if not worker.queue else 0.0)
        self.workers.clear()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # workers with something to finish get a moment; otherwise (or interrupted) no waiting
        self.close(grace=2.0 if exc_type is None and self.on_exit is not None else 0.0)
