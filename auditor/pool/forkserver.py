"""A fork server: forks the pool's workers for a parent that has threads (the web server)."""

from __future__ import annotations

import gc
import os
import signal
import time
from typing import Any, Callable

from auditor.pool import child
from auditor.pool.pipes import HEADER


class ForkServer:
    """A process that forks the workers for a parent that has threads (the web server).

    Forking a process with threads copies locks that another thread may hold at that moment
    (an import, a logger, a native library's): the worker could hang on one forever. So the pool
    forks this process while its parent still has one thread; from then on the parent asks it,
    over a socket, for each worker, and gets back the worker's pid and the parent's ends of its
    two pipes (SCM_RIGHTS). The workers are this process's children, reaped by the kernel
    (SIGCHLD ignored); the parent still kills them by pid. It leaves when the parent closes the
    socket, or dies."""

    def __init__(self, work: Callable[[Any], Any], max_memory_mb: int,
                 on_exit: Callable[[], None] | None) -> None:
        import socket

        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        gc.freeze()  # shared copy-on-write with every worker it forks (see workers.Pool._spawn)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                child.drop_held()
                ours.close()
                self._serve(theirs, work, max_memory_mb, on_exit)
            except BaseException:  # noqa: BLE001 - the parent sees the socket close
                code = 70
            finally:
                os._exit(code)
        theirs.close()
        self.pid, self.sock = pid, ours
        child.HELD.add(ours.fileno())

    @staticmethod
    def _serve(sock: Any, work: Callable[[Any], Any], max_memory_mb: int,
               on_exit: Callable[[], None] | None) -> None:
        import socket

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C, then closes the socket
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
        child.quiet()
        while sock.recv(1):
            t_read, t_write = os.pipe()
            r_read, r_write = os.pipe()
            try:
                pid = os.fork()
            except OSError:  # no process can be started: the parent is told, with no descriptors
                for fd in (t_read, t_write, r_read, r_write):
                    os.close(fd)
                sock.sendall((0).to_bytes(HEADER, "big"))
                continue
            if pid == 0:
                sock.close()
                os.close(t_write)
                os.close(r_read)
                child.run_worker(work, max_memory_mb, on_exit, t_read, r_write)
            os.close(t_read)
            os.close(r_write)
            socket.send_fds(sock, [pid.to_bytes(HEADER, "big")], [t_write, r_read])
            os.close(t_write)
            os.close(r_read)

    def fork(self) -> tuple[int, int, int]:
        """(pid, task pipe, result pipe) of a new worker; OSError when none could be started."""
        import socket

        self.sock.sendall(b"w")
        data, fds, _, _ = socket.recv_fds(self.sock, HEADER, 2)
        pid = int.from_bytes(data, "big") if len(data) == HEADER else 0
        if not pid or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise OSError("the fork server could not start a worker")
        for fd in fds:
            os.set_inheritable(fd, False)  # received descriptors are inheritable by default
        return pid, fds[0], fds[1]

    def close(self) -> None:
        child.HELD.discard(self.sock.fileno())
        self.sock.close()  # it leaves at EOF
        for _ in range(500):  # a second at most: then it is killed
            try:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
            except ChildProcessError:
                return
            time.sleep(0.002)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (OSError, ChildProcessError):
            pass
