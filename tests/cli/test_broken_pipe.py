"""`auditor check … | head`: when the reader of stdout leaves early, auditor ends quietly (no
traceback, no "Broken pipe" message) with the run's own exit status, and still writes its
`-o` files. The reader is gone before auditor writes a byte: the pipe's read end is closed
before the command starts, so every write to stdout fails with EPIPE, deterministically.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")


def _no_reader(*args: str | Path, cwd: Path) -> tuple[int, str]:
    """(exit status, stderr) of `auditor ARGS` writing into a pipe nobody reads."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=120,
                              env={**os.environ, "AUDITOR_CACHE_DIR": str(cwd / ".cache")})
    finally:
        os.close(write_end)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize(("args", "status"), [
    (["check", FIXTURES / "reports" / "compliant.txt"], 0),  # click alone made this 1: a false CI failure
    (["check", FIXTURES / "seeds"], 1),
    (["check", "--format", "json", FIXTURES / "reports" / "compliant.txt", "missing.txt"], 2),
    (["check", "--format", "sarif", FIXTURES / "reports" / "compliant.txt"], 0),
    (["rules"], 0),
    (["explain", "AR203"], 0),
])
def test_the_reader_leaving_early_keeps_the_runs_status(tmp_path: Path, args: list[str | Path],
                                                         status: int) -> None:
    code, err = _no_reader(*args, cwd=tmp_path)
    assert code == status
    assert err == ""  # quiet: no traceback, no "Broken pipe", no "Exception ignored"


def test_output_files_are_still_written(tmp_path: Path) -> None:
    out = tmp_path / "out.sarif"
    code, err = _no_reader("check", "--format", "json", FIXTURES / "seeds", "-o", f"sarif:{out}", cwd=tmp_path)
    assert (code, err) == (1, "")
    assert len(json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]) > 0


def test_stderr_into_the_same_closed_pipe_keeps_the_status_too(tmp_path: Path) -> None:
    """`auditor check … 2>&1 | head`: the notes on stderr (-v's skipped files, the fail-policy
    note) go into the closed pipe as well; they neither end the run early nor change its status."""
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")  # -v says it skipped this
    (tmp_path / "000.docx").write_bytes((FIXTURES / "formats" / "000.docx").read_bytes())
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "auditor", "check", "-v", "--fail-on", "warning", "."],
                              stdout=write_end, stderr=write_end, cwd=tmp_path, timeout=120,
                              env={**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path / ".cache")})
    finally:
        os.close(write_end)
    assert proc.returncode == 1  # 000.docx passes but has warnings: --fail-on warning fails it
