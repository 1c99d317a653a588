"""The worker pool's hand-over: messages batched on the pipes, in order, whatever their size,
and a worker that dies with documents queued loses none of them."""

from __future__ import annotations

import os

import pytest

from auditor.pool import pipes, workers

pytestmark = pytest.mark.skipif(not workers.HAS_FORK, reason="worker processes need fork")


def test_many_items_come_back_in_order_on_two_workers() -> None:
    with workers.Pool(lambda i: (i, str(i) * 3), size=2, on_timeout=str, on_crash=str) as pool:
        assert pool.map(list(range(500))) == [(i, str(i) * 3) for i in range(500)]
        assert pool.started == 2


def test_results_larger_than_one_read_arrive_whole() -> None:
    big = "审" * 300_000  # ~900 KB of marshal data: many reads of the pipe for one message
    with workers.Pool(lambda i: (i, big if i % 2 else "x"), on_timeout=str, on_crash=str) as pool:
        out = pool.map(list(range(6)))
    assert [o[0] for o in out] == list(range(6))
    assert all(o[1] == (big if i % 2 else "x") for i, o in enumerate(out))


def test_a_worker_dying_with_documents_queued_loses_none() -> None:
    parent = os.getpid()

    def work(item: int) -> int:
        if item == 3 and os.getpid() != parent:
            os._exit(9)  # dies while the next documents already wait in its pipe
        return item * 2

    with workers.Pool(work, on_timeout=lambda i: "timeout", on_crash=lambda i: f"crash {i}") as pool:
        assert pool.map(list(range(10))) == [0, 2, 4, "crash 3", 8, 10, 12, 14, 16, 18]
        # replaced once, or twice when the parent's next write found it dead first (then the
        # document it was on is tried once more, on a fresh worker)
        assert pool.started in (2, 3)


def test_inbox_splits_what_one_read_brings() -> None:
    read, write = os.pipe()
    try:
        os.write(write, b"".join(pipes.frame(x) for x in ("a", 2, ("c", None))) + pipes.frame("tail")[:5])
        inbox = pipes.Inbox(read)
        assert inbox.take() is pipes.NOTHING
        assert inbox.fill()
        assert [inbox.take(), inbox.take(), inbox.take()] == ["a", 2, ("c", None)]
        assert inbox.take() is pipes.NOTHING  # half a message waits for the rest
        os.write(write, pipes.frame("tail")[5:])
        assert inbox.fill() and inbox.take() == "tail"
        os.close(write)
        write = -1
        assert not inbox.fill()
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)


def _slow(item: tuple[str, float]) -> str:
    import time

    time.sleep(item[1])
    return item[0]


def test_submit_serves_items_from_threads_with_the_batchs_policy() -> None:
    """The web's way in: futures from any thread; past its limit a worker is killed (that one
    only) and its item gets on_timeout; the other worker keeps going; a fresh one comes."""
    import concurrent.futures
    import time

    pool = workers.Pool(_slow, size=2, prefetch=1, fork_server=True,
                        on_timeout=lambda item: f"timeout {item[0]}", on_crash=lambda item: f"crash {item[0]}")
    try:
        pool.start(warm=True)
        first = {w.pid for w in pool.workers}
        stuck = pool.submit(("stuck", 60), timeout=0.5)
        with concurrent.futures.ThreadPoolExecutor(4) as ex:  # submitted from other threads
            quick = list(ex.map(lambda i: pool.submit((f"q{i}", 0.01), timeout=10), range(6)))
        t0 = time.monotonic()
        assert stuck.result(timeout=10) == "timeout stuck"
        assert time.monotonic() - t0 < 5
        assert [f.result(timeout=10) for f in quick] == [f"q{i}" for i in range(6)]
        assert pool.submit(("after", 0), timeout=10).result(timeout=10) == "after"
        now = {w.pid for w in pool.workers}
        assert len(first & now) == 1  # the stuck one killed, the other kept (a fresh one starts when needed)
    finally:
        pool.close()


def test_an_abandoned_item_frees_its_worker_and_a_queued_one_is_dropped() -> None:
    import time

    pool = workers.Pool(_slow, size=1, prefetch=1, fork_server=True,
                        on_timeout=lambda item: "stopped", on_crash=lambda item: "crash")
    try:
        running = pool.submit(("long", 60))
        queued = pool.submit(("queued", 0))
        time.sleep(0.3)  # it has started
        pool.abandon(queued)  # still waiting: dropped, never run
        assert queued.cancelled()
        pool.abandon(running)  # running: its worker is stopped
        assert running.result(timeout=10) == "stopped"
        assert pool.submit(("next", 0)).result(timeout=10) == "next"
    finally:
        pool.close()


def test_a_crash_in_a_submitted_item_is_its_result_and_close_settles_the_rest() -> None:
    def work(item: str) -> str:
        if item == "die":
            os._exit(3)
        return item

    pool = workers.Pool(work, size=1, prefetch=1, fork_server=True, on_timeout=str,
                        on_crash=lambda item: f"crash {item}")
    try:
        assert pool.submit("die").result(timeout=10) == "crash die"
        assert pool.submit("ok").result(timeout=10) == "ok"
    finally:
        pool.close()
    blocked = workers.Pool(_slow, size=1, prefetch=1, on_timeout=str, on_crash=lambda item: f"closed {item[0]}")
    pending = [blocked.submit(("a", 30)), blocked.submit(("b", 0))]
    blocked.close()  # the server stops: nobody is left waiting forever
    assert [f.result(timeout=5) for f in pending] == ["closed a", "closed b"]


def test_two_pools_fork_servers_do_not_keep_each_other_alive() -> None:
    """A fork server inherits nothing of another pool: each closes promptly."""
    import time

    a = workers.Pool(_slow, size=1, fork_server=True, on_timeout=str, on_crash=str)
    b = workers.Pool(_slow, size=1, fork_server=True, on_timeout=str, on_crash=str)
    assert a.submit(("x", 0)).result(timeout=10) == "x" and b.submit(("y", 0)).result(timeout=10) == "y"
    t0 = time.monotonic()
    a.close()
    b.close()
    assert time.monotonic() - t0 < 0.9  # each left at EOF, not killed after its second of grace


def test_a_fault_in_the_dispatcher_fails_the_items_instead_of_leaving_them_waiting() -> None:
    calls = []

    def on_timeout(item: object) -> str:
        calls.append(item)
        if len(calls) == 1:
            raise RuntimeError("a bug in a callback")
        return "timeout"

    pool = workers.Pool(_slow, size=1, prefetch=1, on_timeout=on_timeout, on_crash=lambda item: f"failed {item[0]}")
    try:
        stuck = pool.submit(("stuck", 30), timeout=0.2)
        assert stuck.result(timeout=10) == "failed stuck"  # not a hang
        assert pool.submit(("next", 0)).result(timeout=10) == "next"  # and the pool goes on
    finally:
        pool.close()
