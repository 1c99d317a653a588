"""`auditor serve` stopped by SIGTERM (systemd, a service manager, `kill`): a graceful stop like
Ctrl-C's. The audit worker pool is shut down, nothing is printed (no resource_tracker warning about
leaked semaphores, no traceback), the exit status is 0 as uvicorn's own graceful stop, and no
worker, forkserver or resource tracker process is left behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the web extras are not installed")
httpx = pytest.importorskip("httpx")

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix", reason="needs /proc and signals")

from conftest import FIXTURES  # noqa: E402

REPORT = FIXTURES / "reports" / "compliant.txt"


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            kids = Path(f"/proc/{pid}/task/{tid}/children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            found |= {kid} | _children(kid)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_is_a_clean_quiet_exit_0() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "AUDITOR_DEBUG"}
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--port", str(port), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)  # its own process group: every descendant is findable
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not answer /healthz"
            time.sleep(0.2)
        answer = httpx.post(f"{base}/api/check", files={"file": ("报告.txt", REPORT.read_bytes())}, timeout=120)
        assert answer.status_code == 200
        workers = _children(proc.pid)
        assert workers, "the audit pool has no worker processes"

        proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # the server, or a process it left, still holds its stderr
            pytest.fail(f"still running 60 s after SIGTERM (exit status {proc.poll()}): processes left behind")
    finally:
        if _group_alive(proc.pid):  # whatever happened, leave no process of this test behind
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.communicate()

    assert proc.returncode == 0, (proc.returncode, err)
    for noise in ("leaked", "Traceback", "Warning", "warning", "Error"):
        assert noise not in err, err
    gone_by = time.monotonic() + 10
    while (_group_alive(proc.pid) or any(map(_alive, workers))) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes were left behind"
    assert not _group_alive(proc.pid), "processes of the server's group were left behind"
