"""The README's promises: its rule tables are generated from the shipped packs and current, its
pre-commit `rev` exists."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from conftest import ROOT, load_script

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_rule_tables_are_current(packs: Any) -> None:
    """The tables are generated from the packs: a rule added, retitled or re-graded, or a pack
    added, fails this until `python docs/rule_tables.py` has been run."""
    tables = load_script("docs/rule_tables.py")
    text, problems = tables.render(README, packs, tables.load_notes())
    assert not problems
    assert text == README, "README.md's rule tables are out of date: run python docs/rule_tables.py"
    for pack in packs.values():
        assert all(f"\n| {r.id} | {r.severity.value} | " in README for r in pack.rules)


def test_the_rule_tables_stand_in_their_packs_sections(packs: Any) -> None:
    from pathlib import Path

    for pack in packs.values():
        start = README.index(f"(`rules/{Path(pack.source).name}`")
        section = README[start:README.index("\n## ", start)]
        assert f"<!-- rules:{pack.id} -->" in section and f"<!-- /rules:{pack.id} -->" in section


def test_the_generator_rewrites_stale_rows_and_says_what_it_cannot_do(packs: Any) -> None:
    tables = load_script("docs/rule_tables.py")
    notes = tables.load_notes()
    rule = packs["annual"].rules[0]
    stale = README.replace(f"| {rule.id} | {rule.severity.value} | {rule.title} |", f"| {rule.id} | error | 旧标题 |")
    assert stale != README
    assert tables.render(stale, packs, notes) == (README, [])
    # a rule with no note shows its hint; a note of no rule, a pack with no table, are problems
    fewer = {k: v for k, v in notes.items() if k != rule.id}
    text, problems = tables.render(README, packs, {**fewer, "ZZ999": "gone"})
    assert f"| {rule.id} | {rule.severity.value} | {rule.title} | {rule.hint} |" in text and tables.without_note(packs, fewer) == [rule.id]
    assert problems == ["docs/rule-notes.yaml: ZZ999 is a rule of no shipped pack"]
    _, problems = tables.render(README.replace("<!-- rules:duty -->", "<!-- rules:dutyx -->"), packs, notes)
    assert any("pack 'duty' has no table" in p for p in problems)


def test_the_generator_command_checks_and_rewrites(tmp_path: Any, monkeypatch: Any, capsys: Any) -> None:
    tables = load_script("docs/rule_tables.py")
    copy = tmp_path / "README.md"
    copy.write_text(README.replace("| AR001 | warning |", "| AR001 | error |"), encoding="utf-8")
    monkeypatch.setattr(tables, "README", copy)
    assert tables.main(["--check"]) == 1 and "out of date" in capsys.readouterr().err
    assert tables.main([]) == 0 and copy.read_text(encoding="utf-8") == README
    assert tables.main(["--check"]) == 0


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
