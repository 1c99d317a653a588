"""The pre-commit hook definition: its files regex, and its entry run as pre-commit would run it
(the entry's words, then the matching staged files) on sample reports."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (found,) = [h for h in hooks if h["id"] == "auditor"]
    return dict(found)


def test_definition(hook: dict[str, Any]) -> None:
    assert hook["language"] == "python" and hook["entry"].split()[0] == "auditor"
    assert {"id", "name", "entry", "language", "files"} <= set(hook)


@pytest.mark.parametrize(("name", "matches"), [
    ("reports/2023年报告.docx", True), ("a.md", True), ("a.txt", True), ("a.pdf", True), ("a.html", True),
    ("A.DOCX", True), ("a.htm", True), ("a.py", False), ("a.docx.bak", False), ("a.xlsx", False),
])
def test_files_regex(hook: dict[str, Any], name: str, matches: bool) -> None:
    assert bool(re.search(hook["files"], name)) is matches


def run_entry(hook: dict[str, Any], files: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """pre-commit runs `entry` + file names; the console script is the one installed with us."""
    argv = shlex.split(hook["entry"])
    script = Path(sys.executable).with_name(argv[0])
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(cwd / ".cache")}
    return subprocess.run([*cmd, *argv[1:], *files], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_entry_passes_a_good_report_and_fails_a_bad_one(hook: dict[str, Any], tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "duty/complete.txt", tmp_path / "good.txt")  # passes without a warning
    shutil.copy(FIXTURES / "reports/plan_none.txt", tmp_path / "bad.txt")
    staged = [f for f in ("good.txt", "bad.txt", "setup.py") if re.search(hook["files"], f)]
    assert staged == ["good.txt", "bad.txt"]
    ok = run_entry(hook, ["good.txt"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "--quiet" in hook["entry"].split()  # problems only: a passing report prints its tally alone
    assert ok.stdout.splitlines() == ["共 1 份：合格 1，不合格 0，无法检查 0"]
    failed = run_entry(hook, staged, tmp_path)
    assert failed.returncode == 1
    lines = failed.stdout.splitlines()
    assert lines[-1].startswith("共 2 份：合格 1，不合格 1")
    problems = lines[:-1]
    assert problems and all(ln.startswith("bad.txt") for ln in problems)  # one line per problem
    marks = ["✘" in ln for ln in problems]
    assert marks == sorted(marks, reverse=True)  # failures first, then warnings
    assert any(" AR203 " in ln for ln in problems)
