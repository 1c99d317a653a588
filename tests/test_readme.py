"""The README's promises: its rule tables match the shipped packs, its pre-commit `rev` exists."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| ([A-Z]{1,4}\d{3}) \| (error|warning) \| ([^|]+?) \|(?: [^|]+ \|)+$", re.MULTILINE)


def readme_rows() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    for m in ROW.finditer(README):
        assert m.group(1) not in rows, f"{m.group(1)} is listed twice in README.md"
        rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def test_every_shipped_rule_is_in_the_readme_with_its_severity_and_title(packs: Any) -> None:
    rows = readme_rows()
    shipped = {r.id: (r.severity.value, r.title) for p in packs.values() for r in p.rules}
    missing = sorted(set(shipped) - set(rows))
    assert not missing, f"README.md's rule tables lack {', '.join(missing)}"
    for rid, (severity, title) in shipped.items():
        assert rows[rid] == (severity, title), f"README.md row of {rid} differs from the pack"
    assert set(rows) == set(shipped), f"README.md lists rules no pack has: {sorted(set(rows) - set(shipped))}"


def test_the_rule_tables_stand_in_their_packs_sections(packs: Any) -> None:
    from pathlib import Path

    for pack in packs.values():
        start = README.index(f"(`rules/{Path(pack.source).name}`")
        section = README[start:README.index("\n## ", start)]
        assert {m.group(1) for m in ROW.finditer(section)} == {r.id for r in pack.rules}


def test_pre_commit_rev_is_a_commit_that_defines_the_hook() -> None:
    m = re.search(r"^\s+rev: (\S+)", README, re.MULTILINE)
    assert m, "the pre-commit snippet names no rev"
    rev = m.group(1)
    assert re.fullmatch(r"[0-9a-f]{40}", rev), "no release is tagged: rev must be a full commit id"
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    shallow = subprocess.run([git, "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True)
    found = subprocess.run([git, "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
    if found.returncode != 0 and shallow.stdout.strip() == "true":
        pytest.skip("shallow clone: the pinned commit may be outside it")
    assert found.returncode == 0, f"README's pre-commit rev {rev} is not a commit of this repository"
    hooks = subprocess.run([git, "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert hooks.returncode == 0 and "id: auditor" in hooks.stdout
