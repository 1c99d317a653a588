"""Golden tests of the scorecard rendered at a fixed width (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_file
from auditor.reporters import ReportContext, get

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "terminal"
CASES = {
    "seed_002": ["fixtures/seeds/002_84eb398e434a8021.txt"],
    "compliant": ["fixtures/reports/compliant.txt"],
    "batch": ["fixtures/reports/compliant.txt", "fixtures/reports/no_signature.txt", "fixtures/reports/missing.txt"],
}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def render(paths: list[str], packs: Any, width: int = 100, *, rich: bool = False) -> str:
    """The plain form (as piped), or the rich form (as on a terminal) with colours stripped."""
    cards = [audit_file(p, packs, AuditOptions()) for p in paths]
    out = io.StringIO()
    get("text").write(cards, out, ctx=ReportContext(packs=packs, color=rich, width=width))
    return ANSI.sub("", out.getvalue())


@pytest.mark.parametrize("form", ["plain", "rich"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(packs: Any, name: str, form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = render(CASES[name], packs, rich=form == "rich")
    golden = GOLDEN / f"{name}.{form}.txt"
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


def test_piped_output_is_plain_and_line_oriented(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    cards = [audit_file(CASES["seed_002"][0], packs)]
    out = io.StringIO()  # not a terminal, no colour asked for: the plain form
    get("text").write(cards, out, ctx=ReportContext(packs=packs))
    text = out.getvalue()
    assert "✘ 不合格  AR103  第三部分“党政主要负责人履行第一责任人职责情况”单列" in text
    assert "─" not in text.split("汇总")[0]  # no table rules in the cards


def test_nothing_is_cut_off_at_narrow_width(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = render(CASES["seed_002"], packs, width=60, rich=True)
    flat = "".join(line.strip() for line in text.splitlines()).replace(" ", "")
    assert "仅在第4行" in flat and "修改建议" in flat
