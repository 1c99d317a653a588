"""A named pipe in a batch directory is an `error` card at once, saying what it
is: opening one waits for a writer that never comes, so it used to hold the batch for the
whole time budget and then be called too slow (处理超时)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="POSIX named pipes")


def test_a_named_pipe_in_a_batch_is_refused_at_once(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "reports" / "compliant.txt", tmp_path / "good.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    t0 = time.monotonic()
    result = invoke("check", "--format", "json", "--no-cache", "--timeout", "20", tmp_path)
    assert time.monotonic() - t0 < 15  # not the time budget
    cards = {Path(r["path"]).name: r for r in json.loads(result.output)["reports"]}
    assert cards["pipe.txt"]["verdict"] == "error"
    assert cards["pipe.txt"]["error"].startswith("这不是普通文件（命名管道等）")
    assert cards["good.txt"]["verdict"] == "pass"
    assert result.exit_code == 2


def test_a_link_to_a_named_pipe_too(tmp_path: Path) -> None:
    from auditor import loaders
    from auditor.errors import DocumentLoadError

    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link.txt").symlink_to(tmp_path / "pipe")
    # should the reader open the pipe after all, a writer comes by after 3 s, so the test fails
    # (nothing raised) instead of hanging
    import threading

    def unblock() -> None:
        time.sleep(3)
        try:
            fd = os.open(tmp_path / "pipe", os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # no reader: nothing to unblock
            return
        os.close(fd)

    threading.Thread(target=unblock, daemon=True).start()
    with pytest.raises(DocumentLoadError, match="不是普通文件"):
        loaders.read_bytes(str(tmp_path / "link.txt"))


def test_a_dangling_link_says_so(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "reports" / "compliant.txt", tmp_path / "good.txt")
    (tmp_path / "moved.txt").symlink_to(tmp_path / "gone.txt")
    result = invoke("check", "--format", "json", "--no-cache", tmp_path)
    cards = {Path(r["path"]).name: r for r in json.loads(result.output)["reports"]}
    assert cards["moved.txt"]["error"] == "链接指向的文件不存在（符号链接已失效）"
    assert result.exit_code == 2
