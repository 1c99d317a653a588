"""Sign/rule patterns rewritten to start with a literal (so `re` skips to it instead of trying
every position) match exactly where, and what, the original patterns matched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS_DIRS = ("corpus", "seeds", "reports", "duty", "kinds", "forms")

# (original, rewritten, file the rewritten one lives in)
REWRITES = [
    (r"(?<!本)报告(显示|指出|称|提到|表明)", r"报告(?<!本报告)(显示|指出|称|提到|表明)",
     "rules/kinds/not-reports.yaml"),
    (r"(?<!本)报告(同时|还|也)?(显示|指出|称|提到|表明|介绍|认为)",
     r"报告(?<!本报告)(同时|还|也)?(显示|指出|称|提到|表明|介绍|认为)", "rules/kinds/not-reports.yaml"),
]


def _corpus_lines() -> list[str]:
    out: list[str] = []
    for d in CORPUS_DIRS:
        for p in sorted((FIXTURES / d).rglob("*")):
            if p.is_file() and p.suffix in (".txt", ".md", ".html", ""):
                out.extend(p.read_text(encoding="utf-8", errors="replace").splitlines())
    return out


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("old,new,where", REWRITES)
def test_rewritten_pattern_is_the_shipped_one(old: str, new: str, where: str) -> None:
    text = (FIXTURES.parent / where).read_text(encoding="utf-8")
    assert new.replace("\\", "\\\\") in text or new in text
    assert old not in text


@pytest.mark.parametrize("old,new,where", REWRITES)
def test_rewrite_matches_like_the_original_on_the_corpus(old: str, new: str, where: str) -> None:
    lines = _corpus_lines()
    assert len(lines) > 1000
    ro, rn = re.compile(old), re.compile(new)
    hits = 0
    for ln in lines:
        expected = _matches(ro, ln)
        assert _matches(rn, ln) == expected, ln
        hits += len(expected)
    # also where the corpus has the tricky contexts: 本报告显示 (no match) next to 报告显示 (match)
    for probe in ("本报告显示", "该报告显示,本报告指出", "报告还认为本报告也介绍", "本报告同时表明报告称"):
        assert _matches(rn, probe) == _matches(ro, probe)


PIECES = st.sampled_from(["本", "报告", "本报告", "同时", "还", "也", "显示", "指出", "称", "提到", "表明", "介绍",
                          "认为", "报", "告", ",", "。"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_rewrites_match_like_the_originals_on_generated_text(text: str) -> None:
    for old, new, _ in REWRITES:
        assert _matches(re.compile(new), text) == _matches(re.compile(old), text)
