"""What runs in a process the pool forks: a worker's loop, its memory cap and quiet stderr, and
the bookkeeping that keeps one pool's descriptors out of another's children."""

from __future__ import annotations

import gc
import os
import signal
from typing import Any, Callable

from auditor.pool.pipes import NOTHING, Inbox, send


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


def quiet() -> None:
    """Native libraries and warnings print to fd 2 (pypdfium2 tracebacks, "Exception ignored"):
    the worker's stderr goes nowhere, its results say what went wrong. AUDITOR_DEBUG keeps it."""
    if os.environ.get("AUDITOR_DEBUG"):
        return
    import warnings

    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def serve(work: Callable[[Any], Any], tasks: int, results: int, max_memory_mb: int,
           on_exit: Callable[[], None] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and kills us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a fork server ignores it; Tesseract's exit status matters here
    gc.enable()  # a parent may have paused collection while it gathers results; a worker collects
    quiet()
    limit_memory(max_memory_mb)
    inbox = Inbox(tasks)
    while True:
        item = inbox.take()
        if item is NOTHING:
            if not inbox.fill():  # the parent closed the pipe: the batch is done
                if on_exit is not None:
                    on_exit()
                return
            continue
        send(results, work(item))


#: The descriptors this process holds for its pools (workers' pipes, fork servers' sockets).
#: A process forked from it closes them all first: a worker or fork server holding another's
#: pipe would keep it from ever seeing its parent close it (and from leaving).
HELD: set[int] = set()


def drop_held() -> None:
    """In a fresh child: close the parent's pool descriptors."""
    for fd in HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    HELD.clear()


def release(fd: int) -> None:
    HELD.discard(fd)
    os.close(fd)


def run_worker(work: Callable[[Any], Any], max_memory_mb: int, on_exit: Callable[[], None] | None,
               tasks: int, results: int) -> None:
    """The body of a forked worker: serve, then leave without running the parent's code or its
    atexit handlers."""
    code = 0
    try:
        serve(work, tasks, results, max_memory_mb, on_exit)
    except BaseException:  # noqa: BLE001 - a dying worker is reported by the parent
        code = 70
    finally:
        os._exit(code)
