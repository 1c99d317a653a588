"""The pool's messages on its pipes: length-prefixed marshal data (plain values only: marshal
is built in, so a one-file run does not pay pickle's import), read in as few system calls as
the pipe allows."""

from __future__ import annotations

import marshal
import os
from typing import Any

HEADER = 8  # message length, big-endian


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def frame(obj: Any) -> bytes:
    data = marshal.dumps(obj)
    return len(data).to_bytes(HEADER, "big") + data


def send(fd: int, obj: Any) -> None:
    write_all(fd, frame(obj))


NOTHING: Any = object()  # no complete message yet
CHUNK = 1 << 16  # bytes asked for per read: below malloc's mmap threshold, so a read allocates cheaply


class Inbox:
    """Messages (length-prefixed marshal data) arriving on a pipe. Whatever the pipe holds is
    read in one system call and split here, so a worker's next tasks, or several results, cost
    one read together (system calls, not the data, were most of what isolation cost)."""

    __slots__ = ("fd", "buf")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def fill(self) -> bool:
        """One read of what the pipe holds (blocking until something is there); False at EOF."""
        chunk = os.read(self.fd, CHUNK)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def take(self) -> Any:
        """The next complete message, or NOTHING."""
        buf = self.buf
        if len(buf) < HEADER:
            return NOTHING
        end = HEADER + int.from_bytes(buf[:HEADER], "big")
        if len(buf) < end:
            return NOTHING
        obj = marshal.loads(bytes(buf[HEADER:end]))
        del buf[:end]
        return obj
