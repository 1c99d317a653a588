"""Golden tests of the scorecard rendered at a fixed width (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

from auditor.engine import AuditOptions, audit_file
from auditor.reporters import ReportContext, get

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "terminal"
CASES = {
    "seed_002": ["fixtures/seeds/002_84eb398e434a8021.txt"],
    "compliant": ["fixtures/reports/compliant.txt"],
    "batch": ["fixtures/reports/compliant.txt", "fixtures/reports/no_signature.txt", "fixtures/reports/missing.txt"],
}


def render(paths: list[str], packs: Any, width: int = 100) -> str:
    cards = [audit_file(p, packs, AuditOptions()) for p in paths]
    out = io.StringIO()
    get("text").write(cards, out, ctx=ReportContext(packs=packs, color=False, width=width))
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(packs: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = render(CASES[name], packs)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_plain_output_has_no_escape_codes(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert "\x1b[" not in render(CASES["seed_002"], packs)


def test_color_when_asked(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cards = [audit_file(CASES["seed_002"][0], packs)]
    out = io.StringIO()
    get("text").write(cards, out, ctx=ReportContext(packs=packs, color=True, width=100))
    assert "\x1b[" in out.getvalue()


def test_nothing_is_cut_off_at_narrow_width(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = render(CASES["seed_002"], packs, width=60)
    flat = "".join(line.strip() for line in text.splitlines()).replace(" ", "")
    assert "仅在第4行" in flat and "修改建议" in flat
