"""Sign/rule patterns rewritten to start with a literal (so `re` skips to it instead of trying
every position) match exactly where, and what, the original patterns matched; or, for signs whose
match no longer includes the punctuation before it, end where the originals ended, as often, and
weigh the same (first line and count, joined and line by line)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document.normalize import fold
from auditor.document.search import first_and_count
from auditor.models import Line

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CORPUS_DIRS = ("corpus", "seeds", "reports", "duty", "kinds", "forms")

# (original, rewritten, file the rewritten one lives in)
REWRITES = [
    (r"(?<!本)报告(显示|指出|称|提到|表明)", r"报告(?<!本报告)(显示|指出|称|提到|表明)",
     "rules/kinds/not-reports.yaml"),
    (r"(?<!本)报告(同时|还|也)?(显示|指出|称|提到|表明|介绍|认为)",
     r"报告(?<!本报告)(同时|还|也)?(显示|指出|称|提到|表明|介绍|认为)", "rules/kinds/not-reports.yaml"),
    # AR401/DR401 (20XX年): spelled so that every branch visibly holds an x/X/×, which the search
    # prefilter reads from the parse tree and tests with `in` before running the pattern
    *((r"[\dxX×](?<![A-Za-z\d][\dxX×])(?:(?<=[xX×])[\dxX×]{3}|(?=\d{0,2}[xX×])[\dxX×]{3})\s*年",
       r"(?:[xX×](?<![A-Za-z\d][xX×])[\dxX×]{3}|\d(?<![A-Za-z\d]\d)(?:[xX×][\dxX×]{2}|\d[xX×][\dxX×]|\d\d[xX×]))\s*年",
       pack) for pack in ("rules/annual-report.yaml", "rules/duty-report.yaml")),
    # the abstract kind's run of English words: the first letter taken out of the repeat, so the
    # pattern starts with a class `re` scans for instead of entering the repeat at every position
    # (issue 23: 66 → 17 µs a report); the same choices in the same order, so the same matches
    (r"(?:[A-Za-z]{1,24}[ ,;.()'-]{1,3}){10}[A-Za-z]",
     r"[A-Za-z][A-Za-z]{0,23}[ ,;.()'-]{1,3}(?:[A-Za-z]{1,24}[ ,;.()'-]{1,3}){9}[A-Za-z]",
     "rules/kinds/not-reports.yaml"),
    # AR204/DR202's counts with a unit: \d+ spelled \d\d* so the pattern starts with a class
    *((r"\d+(\.\d+)?\s*(余|多)?\s*(" + units + ")", r"\d\d*(\.\d+)?\s*(余|多)?\s*(" + units + ")", pack) for units, pack in (
        ("人次|次|件|份|场|个|家|名|人|万元|亿元|元|%|项|起|条|篇|期|户|批|所|类|部|套|场次|小时|天|公里|平方米",
         "rules/annual-report.yaml"),
        ("人次|次|件|场|期|项|个|篇|份|%", "rules/duty-report.yaml"))),
]

# matches where, and what, the original matched; the groups differ (a sign reads none): the
# paper kind's 既有/现有/已有…研究 spelled as three branches that each start with a literal, so
# `re` skips to the branches' first characters (issue 23: 45 → 12 µs a report)
SAME_SPANS = [
    (r"本文|笔者|本研究|研究发现|(既有|现有|已有)(的)?研究|学者|样本|实证",
     r"本文|笔者|本研究|研究发现|既有(的)?研究|现有(的)?研究|已有(的)?研究|学者|样本|实证",
     "rules/kinds/not-reports.yaml"),
    # the feature kind's 记者 and the duty pack's opening: each branch starts with its literal
    (r"(告诉|对)记者|记者(了解到|获悉|从.{0,12}获悉|采访)", r"告诉记者|对记者|记者(?:了解到|获悉|从.{0,12}获悉|采访)",
     "rules/kinds/not-reports.yaml"),
    (r"述法如下|(述法|履职)情况(报告|汇报)如下", r"述法如下|述法情况(?:报告|汇报)如下|履职情况(?:报告|汇报)如下",
     "rules/duty-report.yaml"),
]

# an optional group before a required word dropped: the matches end where the original's ended
# and are as many (the dropped words stand on the line of the word), so a sign weighs the same
SAME_COUNTS = [
    (r"(特)?制定本(方案|计划|要点|规划|意见)", r"制定本(方案|计划|要点|规划|意见)", "rules/kinds/not-reports.yaml"),
    (r"(本报|本台|新华社)?记者", r"记者", "rules/kinds/not-reports.yaml"),
    (r"(有关|相关)?情况说明如下", r"情况说明如下", "rules/kinds/not-reports.yaml"),
]


# matches end where the original's did and are as many; the start no longer includes the
# punctuation (or line start) the original consumed before 该: a sign only counts matches
SAME_ENDS = [
    (r"(^|[,。;:])该(省|市|区|县|州|旗|盟|镇|乡|街道|局|委|厅)(?![\u4e00-\u9fff]{0,2}(案|项|制度|项目|文件|办法|规定))",
     r"该(?<![^\n,。;:]该)(省|市|区|县|州|旗|盟|镇|乡|街道|局|委|厅)(?![\u4e00-\u9fff]{0,2}(案|项|制度|项目|文件|办法|规定))",
     "rules/kinds/not-reports.yaml"),
]


def _corpus_lines() -> list[str]:
    out: list[str] = []
    for d in CORPUS_DIRS:
        for p in sorted((FIXTURES / d).rglob("*")):
            if p.is_file() and p.suffix in (".txt", ".md", ".html", ""):
                text = p.read_text(encoding="utf-8", errors="replace")
                out.extend(text.splitlines())
                out.extend(fold(text).splitlines())  # as the signs see it (，→ , …)
    return out


def _corpus_documents() -> list[tuple[Path, list[str]]]:
    """Each text document of the corpus folded, as its lines: as detection weighs a document."""
    return [(p, fold(p.read_text(encoding="utf-8", errors="replace")).splitlines())
            for d in CORPUS_DIRS for p in sorted((FIXTURES / d).rglob("*.txt"))]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


def _shipped_patterns(where: str) -> set[str]:
    def walk(node: Any) -> Iterator[str]:  # every string of the file: patterns, a pack's detect lists
        if isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
        elif isinstance(node, str):
            yield node

    return set(walk(yaml.safe_load((FIXTURES.parent / where).read_text(encoding="utf-8"))))


@pytest.mark.parametrize("old,new,where", REWRITES + SAME_ENDS + SAME_SPANS + SAME_COUNTS)
def test_rewritten_pattern_is_the_shipped_one(old: str, new: str, where: str) -> None:
    shipped = _shipped_patterns(where)
    assert new in shipped
    assert old not in shipped


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
    for probe in ("本报告显示", "该报告显示,本报告指出", "报告还认为本报告也介绍", "本报告同时表明报告称",
                  "20XX年", "20xx 年", "2×××年", "X2024年", "a20XX年", "202X年", "2024年", "XXXX年", "9XX9年",
                  ENGLISH, ENGLISH.replace(" ", "  "), "ab, " * 9 + "c", "ab, " * 10 + "c", "a" * 30 + " b" * 11):
        assert _matches(rn, probe) == _matches(ro, probe)


ENGLISH = "Construction of a law-based government (annual report), reviewed; the county's plan, and more words"

PIECES = st.sampled_from(["20", "X", "x", "×", "2", "a", "Ab", "abcdefghijklmnopqrstuvwxyz", " ", ", ", "(", "'-", "年", "本", "报告", "本报告", "同时", "还", "也", "显示", "指出", "称", "提到", "表明", "介绍",
                          "认为", "报", "告", ",", "。"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_rewrites_match_like_the_originals_on_generated_text(text: str) -> None:
    for old, new, _ in REWRITES:
        assert _matches(re.compile(new), text) == _matches(re.compile(old), text)


def _ends(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.end() for m in pattern.finditer(text)]


def _weighed(pattern: str, lines: list[str]) -> tuple[int | None, int]:
    rx = (re.compile(pattern),)  # a fresh tuple: the search plan is built for it
    return first_and_count(tuple(Line(no=i + 1, text=t, norm=t) for i, t in enumerate(lines)), rx, 10**6)


@pytest.mark.parametrize("old,new,where", SAME_ENDS)
def test_same_ends_rewrite_on_the_corpus(old: str, new: str, where: str) -> None:
    lines = _corpus_lines()
    ro, rn = re.compile(old), re.compile(new)
    for ln in lines:
        assert _ends(rn, ln) == _ends(ro, ln), ln
    probes = ("该市", "据悉,该县", "。该局", "我该市", "该省案", "该区项目", "该局表示,该委", "该街道", "该县")
    for probe in probes:
        assert _ends(rn, probe) == _ends(ro, probe)
    assert sum(len(_ends(ro, probe)) for probe in probes) >= 5  # the probes do reach matches
    assert _weighed(new, lines) == _weighed(old, lines)
    # each document on its own, as detect weighs it (the count reached early, lines joined)
    for p, doc in _corpus_documents():
        assert _weighed(new, doc) == _weighed(old, doc), p
    assert _weighed(new, list(probes)) == _weighed(old, list(probes))


def _assert_same_ends_and_weight(rewrites: list[tuple[str, str, str]], text: str) -> None:
    """Each rewrite's matches end where the original's do on every line of `text`, and it weighs the same."""
    lines = text.split("\n")
    for old, new, _ in rewrites:
        for ln in lines:
            assert _ends(re.compile(new), ln) == _ends(re.compile(old), ln)
        assert _weighed(new, lines) == _weighed(old, lines)


SAME_END_PIECES = st.sampled_from(["该", "市", "县", "街道", "局", ",", "。", ";", ":", "\n", "案", "项目", "制度",
                                   "我", "的", " "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(SAME_END_PIECES, st.text(max_size=3)), max_size=20).map("".join))
def test_same_ends_rewrites_on_generated_text(text: str) -> None:
    _assert_same_ends_and_weight(SAME_ENDS, text)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


SPAN_PIECES = st.sampled_from(["本", "文", "笔者", "研究", "发现", "既有", "现有", "已有", "的", "有", "学者", "样本",
                               "实证", "既", "现", "已", ",", " ", "告诉", "对", "记者", "了解到", "获悉", "从", "采访",
                               "述法", "履职", "情况", "报告", "汇报", "如下"])


@pytest.mark.parametrize("old,new,where", SAME_SPANS)
def test_same_spans_rewrite_on_the_corpus(old: str, new: str, where: str) -> None:
    ro, rn = re.compile(old), re.compile(new)
    hits = 0
    for ln in _corpus_lines():
        assert _spans(rn, ln) == _spans(ro, ln), ln
        hits += len(_spans(ro, ln))
    probes = ("既有的研究现有研究已有的的研究", "本研究发现", "本文笔者", "研究发现既有研究", "对记者说,记者获悉",
              "告诉记者记者从某县获悉", "述法情况报告如下", "履职情况汇报如下述法如下")
    for probe in probes:
        assert _spans(rn, probe) == _spans(ro, probe)
    assert hits > 20 or sum(len(_spans(ro, probe)) for probe in probes) >= 2


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(SPAN_PIECES, st.text(max_size=3)), max_size=20).map("".join))
def test_same_spans_rewrites_on_generated_text(text: str) -> None:
    for old, new, _ in SAME_SPANS:
        assert _spans(re.compile(new), text) == _spans(re.compile(old), text)


# one pattern written as two whose matches are the original's (disjoint: a match's start is the
# line start or a mark, with only spaces before its 我), so a sign weighs the same: the mark-led
# half starts with a class `re` scans for; the original, starting with (^|…), was tried at every
# position of the body (issue 23)
SPLITS = [
    (r"(^|[,。;:])\s*我(?![省市区县州旗盟镇乡局委厅办院们国部所站队单街])",
     (r"^\s*我(?![省市区县州旗盟镇乡局委厅办院们国部所站队单街])", r"[,。;:]\s*我(?![省市区县州旗盟镇乡局委厅办院们国部所站队单街])"),
     "rules/duty-report.yaml"),
]


def _weighed_all(patterns: tuple[str, ...], lines: list[str], limit: int) -> tuple[int | None, int]:
    rx = tuple(re.compile(p) for p in patterns)  # a fresh tuple: the search plan is built for it
    return first_and_count(tuple(Line(no=i + 1, text=t, norm=t) for i, t in enumerate(lines)), rx, limit)


@pytest.mark.parametrize("old,new,where", SPLITS)
def test_split_pattern_is_the_shipped_one(old: str, new: tuple[str, ...], where: str) -> None:
    shipped = _shipped_patterns(where)
    assert set(new) <= shipped and old not in shipped


@pytest.mark.parametrize("old,new,where", SPLITS)
def test_split_weighs_like_the_original_on_the_corpus(old: str, new: tuple[str, ...], where: str) -> None:
    ro, parts = re.compile(old), [re.compile(p) for p in new]
    counted = 0
    for ln in _corpus_lines():
        want = len(ro.findall(ln))
        assert sum(len(p.findall(ln)) for p in parts) == want, ln
        counted += want
    assert counted > 20
    for p, doc in _corpus_documents():
        for limit in (1, 3, 10**6):
            assert _weighed_all(new, doc, limit) == _weighed_all((old,), doc, limit), p


SPLIT_PIECES = st.sampled_from(["我", "我县", "我们", ",", "。", ";", ":", " ", "\n", "本人", "a", "的"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(SPLIT_PIECES, st.text(max_size=3)), max_size=20).map("".join))
def test_split_weighs_like_the_original_on_generated_text(text: str) -> None:
    for old, new, _ in SPLITS:
        for limit in (1, 3, 10**6):
            assert _weighed_all(new, text.split("\n"), limit) == _weighed_all((old,), text.split("\n"), limit)


COUNT_PIECES = st.sampled_from(["特", "制定本", "方案", "计划", "要点", "本报", "本台", "新华社", "记者", "有关", "相关",
                                "情况说明如下", "情况", "说明", "如下", ",", "。", " ", "\n"])


@pytest.mark.parametrize("old,new,where", SAME_COUNTS)
def test_same_counts_rewrite_on_the_corpus(old: str, new: str, where: str) -> None:
    ro, rn = re.compile(old), re.compile(new)
    for ln in _corpus_lines():
        assert _ends(rn, ln) == _ends(ro, ln), ln
    for p, doc in _corpus_documents():
        assert _weighed(new, doc) == _weighed(old, doc), p
    probes = ["特制定本方案", "本报记者本台记者", "有关情况说明如下,相关情况说明如下", "记者记者", "制定本计划特制定本要点"]
    assert sum(len(_ends(ro, probe)) for probe in probes) >= 2
    for probe in probes:
        assert _ends(rn, probe) == _ends(ro, probe)
        assert _weighed(new, probe.split(",")) == _weighed(old, probe.split(","))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(COUNT_PIECES, st.text(max_size=3)), max_size=20).map("".join))
def test_same_counts_rewrites_on_generated_text(text: str) -> None:
    _assert_same_ends_and_weight(SAME_COUNTS, text)
