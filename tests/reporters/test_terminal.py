"""Golden tests of the scorecard rendered at a fixed width (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_file
from auditor.reporters import ReportContext, get

from auditor.reporters.linebreak import cells
from conftest import ROOT, check_golden

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


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("form", ["plain", "rich"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(packs: Any, name: str, form: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = render(CASES[name], packs, width, rich=form == "rich")
    check_golden(GOLDEN / f"{name}.{form}.{width}.txt", text)


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
    assert "只在第4行" in flat and "修改建议" in flat


CLOSING = tuple("，。、；：？！）》」』】”’…,.;:?!)")
OPENING = tuple("（《「『【“‘(")


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_chinese_line_breaking(packs: Any, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """No line of a cell starts with closing punctuation or ends with opening punctuation."""
    monkeypatch.chdir(ROOT)
    paths = [*CASES["seed_002"], *CASES["batch"], "fixtures/duty/thematic.txt"]
    text = render(paths, packs, width, rich=True)
    for line in text.splitlines():
        assert cells(line.rstrip()) <= width
        for cell in re.split(r"\s{2,}", line.strip()):
            assert not cell.startswith(CLOSING), f"a line starts with closing punctuation: {line!r}"
            assert not cell.endswith(OPENING), f"a line ends with opening punctuation: {line!r}"


@pytest.mark.parametrize("width", [80, 100, 120])
def test_file_names_are_never_broken(packs: Any, width: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """In the header, the summary matrix and the list of unreadable files a name stays whole
    (a name wider than the whole line is the one exception)."""
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "fixtures/reports/compliant.txt").read_text(encoding="utf-8")
    names = ["reports/2023/某某县某某镇人民政府2023年度法治政府建设报告.txt",  # 62 cells
             "reports/2023/drafts/zhen-renmin-zhengfu-2023-fazhi-baogao-v3.txt"]  # 64 cells
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    missing = "reports/2023/缺失的某某街道2023年法治政府建设情况报告.pdf"
    out = render([*names, missing], packs, width, rich=True)
    for name in [*names, missing]:
        assert out.count(name) >= 2, f"{name} is broken at width {width}"  # header or matrix, and the list


def test_narrow_tables_put_the_title_above_its_details(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    narrow = render(CASES["seed_002"], packs, 80, rich=True)
    assert "检查项与说明" in narrow and "说明与证据" not in narrow
    # every title is on one line at 80 columns
    for title in ("第三部分“党政主要负责人履行第一责任人职责情况”单列", "第一部分“主要举措和成效”单列"):
        assert title in narrow
    wide = render(CASES["seed_002"], packs, 120, rich=True)
    assert "说明与证据" in wide and "第一部分“主要举措和成效”单列" in wide
