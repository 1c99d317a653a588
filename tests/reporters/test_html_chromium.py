"""The HTML report as a person sees it: opened in headless Chromium (Debian's `chromium` package).

`--dump-dom` gives the DOM after the page's script ran, so the filters driven by the address
(`#verdict=fail`, `#rule=AR301`) are checked on what is shown or hidden; `--screenshot` checks the
page renders. Chromium runs with every background network feature off and its own throw-away
profile. Skipped, saying why, where /usr/bin/chromium is not installed (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from auditor.models import Scorecard, Status

from .conftest import EMPTY_PATH, SEED_PATHS, render, summary

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and os.path.exists(p)), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed: apt-get install -y chromium (Debian package)"
)


def chromium(tmp_path: Path, url: str, *args: str) -> str:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
           "--disable-extensions", f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def page(cards: list[Scorecard], ctx: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "报告.html"
    path.write_text(render("html", cards, ctx), encoding="utf-8")
    return path


def shown_cards(dom: str) -> dict[str, bool]:
    """data-path of each report card → whether it is shown (not hidden) in the dumped DOM."""
    out = {}
    for tag in re.findall(r"<article\b[^>]*>", dom):
        m = re.search(r'data-path="([^"]*)"', tag)
        assert m
        out[m.group(1)] = not re.search(r"\shidden(=|\s|>)", tag)
    return out


def test_page_shows_reports_and_verdicts(page: Path, cards: list[Scorecard], tmp_path: Path) -> None:
    dom = chromium(tmp_path, page.as_uri(), "--dump-dom")
    for path in [*SEED_PATHS, EMPTY_PATH]:
        assert path in dom
    assert summary(cards) in dom and "不合格" in dom and "无法检查：文件为空" in dom
    assert f"显示 {len(cards)} / {len(cards)} 份" in dom  # the script ran, nothing filtered
    assert all(shown_cards(dom).values())


def test_verdict_filter_from_the_address(page: Path, cards: list[Scorecard], tmp_path: Path) -> None:
    dom = chromium(tmp_path, page.as_uri() + "#verdict=fail", "--dump-dom")
    failing = [c.path for c in cards if c.verdict == "fail"]
    assert shown_cards(dom) == {c.path: c.verdict == "fail" for c in cards}
    assert f"显示 {len(failing)} / {len(cards)} 份" in dom
    rows = re.findall(r"<tr\b[^>]*data-verdict=\"(\w+)\"[^>]*>", dom)
    hidden_rows = re.findall(r"<tr\b[^>]*data-verdict=\"(\w+)\"[^>]*\shidden[^>]*>", dom)
    assert sorted(hidden_rows) == sorted(v for v in rows if v != "fail")


def test_rule_filter_from_the_address(page: Path, cards: list[Scorecard], tmp_path: Path) -> None:
    dom = chromium(tmp_path, page.as_uri() + "#rule=AR301", "--dump-dom")
    expected = {c.path: any(r.rule == "AR301" and r.status in (Status.FAIL, Status.WARN) for r in c.results)
                for c in cards}
    assert expected[SEED_PATHS[2]] is True
    assert shown_cards(dom) == expected
    assert re.search(r'<th class="rule sel" data-rule="AR301"', dom)  # the column is highlighted


def test_screenshot_renders(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    chromium(tmp_path, page.as_uri() + "#verdict=fail", "--window-size=1280,1600", "--hide-scrollbars",
             f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    assert len(data) > 50_000  # a page with text and colour, not a blank one


def test_sort_by_score_from_the_address(page: Path, cards: list[Scorecard], tmp_path: Path) -> None:
    dom = chromium(tmp_path, page.as_uri() + "#sort=score", "--dump-dom")
    order = re.findall(r"<article\b[^>]*data-path=\"([^\"]*)\"", dom)
    expected = [c.path for c in sorted(cards, key=lambda c: (-1 if c.score is None else c.score))]
    assert order == expected and order[0] == EMPTY_PATH
    rows = re.findall(r'<tr\b[^>]*data-path="([^"]*)"', dom)
    assert rows == expected
