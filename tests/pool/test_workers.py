"""The worker pool's hand-over: messages batched on the pipes, in order, whatever their size,
and a worker that dies with documents queued loses none of them."""

from __future__ import annotations

import os

import pytest

from auditor.pool import workers

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
        os.write(write, b"".join(workers._frame(x) for x in ("a", 2, ("c", None))) + workers._frame("tail")[:5])
        inbox = workers._Inbox(read)
        assert inbox.take() is workers._NOTHING
        assert inbox.fill()
        assert [inbox.take(), inbox.take(), inbox.take()] == ["a", 2, ("c", None)]
        assert inbox.take() is workers._NOTHING  # half a message waits for the rest
        os.write(write, workers._frame("tail")[5:])
        assert inbox.fill() and inbox.take() == "tail"
        os.close(write)
        write = -1
        assert not inbox.fill()
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
