"""`auditor serve` on a port that is taken (the page started twice): one Chinese line saying
the first one is probably running and where, exit status 2; not "请在浏览器中打开" followed by
uvicorn's English bind error and exit 3."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

pytest.importorskip("uvicorn", reason="the web extras are not installed")


def test_a_taken_port_is_said_in_chinese_before_anything_starts() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "auditor", "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"端口 {port} 已被占用" in proc.stderr and f"http://127.0.0.1:{port}" in proc.stderr
    assert "请在浏览器中打开" not in proc.stderr and "ERROR" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_free_port_is_free() -> None:
    from auditor.web.server import cannot_listen

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert cannot_listen("127.0.0.1", port) is None
