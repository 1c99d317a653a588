"""Issue 23, cold start: patterns are compiled only when a search cannot do without them, and a
search answers as it would with every pattern compiled up front."""

from __future__ import annotations

import re
from typing import Any
import subprocess
import sys
from conftest import assert_left_uncompiled

from auditor.document.patterns import LazyPattern
from auditor.document.search import first_and_count, joined_form
from auditor.document.signs import compile_signs
from auditor.models import Line


def _lines(*texts: str) -> tuple[Line, ...]:
    return tuple(Line(no=i + 1, text=t, norm=t) for i, t in enumerate(texts))


def test_a_sign_compiles_only_the_patterns_its_search_needs() -> None:
    """One pattern of a sign cannot be ruled out by literals (so the sign is searched); the other
    needs 征求意见稿, absent from these short lines: it is never compiled, even though the text is
    short enough that a compiled pattern would be searched without the literal test."""
    sources = [r"[\u4e00-\u9fff]{2}报告$", r"(征求意见稿|送审稿)\s*$", r"法治(政府|建设)"]
    (sign,) = compile_signs([{"where": "title", "weight": 3, "max": 5, "patterns": sources}])
    lines = _lines("某县2023年法治政府建设情况报告", "一、主要举措", "推进法治建设。")
    assert sign.search(lines) == first_and_count(lines, tuple(re.compile(s) for s in sources), 5) == (0, 3)
    _, drafts, words = sign.patterns
    joined = joined_form(drafts)  # ($: run over the joined lines as a MULTILINE copy)
    assert isinstance(drafts, LazyPattern) and not drafts.ready
    assert isinstance(joined, LazyPattern) and joined is not drafts and not joined.ready
    assert isinstance(words, LazyPattern) and words.ready


def test_a_short_text_still_searches_compiled_patterns_as_before() -> None:
    """Once compiled, a pattern is searched in short text without the literal test, as it was;
    the answers are the same either way."""
    rx = LazyPattern(r"(征求意见稿|送审稿)", re.UNICODE)
    pats = (rx,)
    assert first_and_count(_lines("无关的一行"), pats, 3) == (None, 0)
    assert not rx.ready
    assert first_and_count(_lines("一行", "办法(送审稿)"), pats, 3) == (1, 1)
    assert rx.ready
    assert first_and_count(_lines("无关的一行"), pats, 3) == (None, 0)


def test_lazy_patterns_are_equal_as_compiled_patterns_are() -> None:
    """A pack loaded twice is equal (its role headings are compiled when first searched)."""
    a, b = LazyPattern("法治(政府)?", re.UNICODE), LazyPattern("法治(政府)?", re.UNICODE)
    assert a == b and hash(a) == hash(b) and a is not b
    assert re.compile("法治(政府)?") == re.compile("法治(政府)?")  # what it stands in for
    assert a != LazyPattern("法治(政府)?", re.UNICODE | re.MULTILINE) and a != LazyPattern("法治")
    a.compiled()
    assert a == b  # compiling changes nothing


def test_a_plain_report_leaves_the_rare_module_patterns_uncompiled() -> None:
    """Module patterns with an ideograph class cost ~1 ms each to compile; a report without
    spaced Latin runs, a name-less title and no plan quotes does not compile them."""
    assert_left_uncompiled("[normalize._GAP, roles._YEAR_PLAN, roles._LAST_YEAR]")


def test_a_pinyin_gloss_always_holds_a_toned_vowel() -> None:
    """normalize._noisy asks _PINYIN_AT (an ideograph class, ~1 ms to compile) only of text with a
    toned vowel: every match holds one. Checked on every string of up to 5 characters over the
    characters that matter, and on longer random ones."""
    import itertools
    import random

    from auditor.document import normalize

    rx = re.compile(normalize._PINYIN_AT.pattern)
    alphabet = "报(ǎàbüao)x"
    for n in range(1, 6):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            if rx.search(text):
                assert normalize._TONED_AT.search(text), text
    rnd = random.Random(23)
    for _ in range(20000):
        text = "".join(rnd.choice("报告(()))abzüāáǎàōǜ ,") for _ in range(rnd.randrange(16)))
        assert not rx.search(text) or normalize._TONED_AT.search(text), text
    assert normalize._noisy("报(bào)告") and not normalize._noisy("报(bao)告")


def test_plain_text_does_not_compile_the_pinyin_pattern() -> None:
    code = (
        "from auditor.document import normalize as n\n"
        "assert not n._noisy('某县(区)2024年法治政府建设情况报告')\n"
        "assert not n._PINYIN_AT.ready\n"
        "assert n._noisy('報(bào)告') and n._PINYIN_AT.ready\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _answers(rx: Any, text: str) -> tuple[Any, ...]:
    span = lambda m: m and m.span()  # noqa: E731
    return (span(rx.search(text)), span(rx.match(text)), span(rx.fullmatch(text)),
            [m.span() for m in rx.finditer(text)], rx.findall(text), rx.sub("□", text))


def test_a_pattern_ruled_out_by_its_literals_answers_as_the_compiled_one() -> None:
    """Before compiling, a LazyPattern answers “no match” for a string lacking a literal every
    match needs (from the stored analyses): over the shipped packs' role headings, signs and
    year patterns and the fixtures' lines, each answer is the compiled pattern's."""
    from conftest import FIXTURES

    from auditor.document import search
    from auditor.packs.ruleset import load_builtin_packs

    packs = load_builtin_packs()
    sources = {rx.pattern for p in packs.values() for role in p.roles for rx in role.headings}
    sources |= {rx.pattern for p in packs.values() for rx in p.year.preamble}
    sources |= {s for p in packs.values() for sign in p.detect_signs for s in sign.sources}
    lines = sorted({ln.strip() for d in ("seeds", "reports") for f in (FIXTURES / d).glob("*.txt")
                    for ln in f.read_text(encoding="utf-8", errors="replace").splitlines()[::4]})
    lines += ["", "三、2024年工作计划", "二、存在的不足和原因", "关于2023年法治政府建设情况的报告"]
    ruled_out = 0
    for source in sorted(sources):
        if search._analysed(source, re.UNICODE)[1] == ():  # known from here on, as a seeded run knows it
            continue
        rx = re.compile(source)
        for text in lines:
            lazy = LazyPattern(source, re.UNICODE)
            assert _answers(lazy, text) == _answers(rx, text), (source, text)
            ruled_out += not lazy.ready
    assert ruled_out > 1000  # most answers came without compiling


def test_literals_rule_out_nothing_a_case_blind_pattern_finds() -> None:
    from auditor.document import search

    for source in ("(?i)word版", "(?i:word)版"):
        search._analysed(source, 0)
        lazy = LazyPattern(source)
        assert lazy.search("WORD版可编辑") is not None and lazy.ready


def test_a_pattern_analysed_after_its_first_compile_is_ruled_out_next_time() -> None:
    """A pattern compiled before its analysis was known is analysed when the analyses are next
    stored (search.analyse), so the next run rules it out without compiling."""
    from auditor.document import search

    source = "(述职|述法)报告(?=送审稿)"
    first = LazyPattern(source, re.UNICODE)
    assert first.search("无关") is None and first.ready  # not known: compiled
    search.analyse(())
    again = LazyPattern(source, re.UNICODE)
    assert again.search("无关") is None and not again.ready
    assert again.search("述法报告送审稿") is not None and again.ready


def test_module_patterns_ruled_out_by_their_literals_answer_as_compiled() -> None:
    """Every module-level LazyPattern of the document and check modules, gated by its literals
    before compiling: the same answers as the compiled pattern over the fixtures' lines."""
    import importlib
    import pkgutil

    from conftest import FIXTURES

    import auditor.checks
    import auditor.document
    from auditor.document import search

    found: dict[tuple[str, int], LazyPattern] = {}
    for package in (auditor.document, auditor.checks):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, LazyPattern):
                    found[(value.pattern, value.flags)] = value
    assert len(found) >= 40
    lines = sorted({ln.strip() for d in ("seeds", "reports", "duty") for f in (FIXTURES / d).glob("*.txt")
                    for ln in f.read_text(encoding="utf-8", errors="replace").splitlines()[::3]})
    lines += ["索引号: 11500000", "【提纲】一、总体情况", "第1页/共5页", "当前位置: 首页 > 政务公开", "报(bào)告",
              "2024.3.1", "出庭应诉率达到100%", "设为首页 | 加入收藏", "见《某县2023年工作要点》",
              "2023-12-31", "2024/1/5 12", "截至2024年3月底,完成率百分之九十五。", "2023年1-6月,受理案件12件;",
              "要求在10月底前完成全年任务。", "所在的位置>政务公开", "网站首页»通知公告",
              "全年未发生行政诉讼案件,败诉率为0。", "没有发生纠纷"]
    ruled_out = 0
    for (source, flags) in sorted(found):
        search._analysed(source, flags)
        rx = re.compile(source, flags)
        for text in lines:
            lazy = LazyPattern(source, flags)
            assert _answers(lazy, text) == _answers(rx, text), (source, text)
            ruled_out += not lazy.ready
    assert ruled_out > 1000


def test_the_patterns_left_compiled_for_the_merge_are_lazy_now() -> None:
    """The lines i23-cold left compiled at import while i23-rules rewrote them (DATE_NUM, the
    year-month of dates_in_period, PERCENT, the breadcrumb label, whole_year's sentence
    patterns) are LazyPatterns in i23-rules' spellings, so the test above holds each answer
    equal to the compiled pattern's."""
    from auditor.checks import dates_in_period, numerals, whole_year
    from auditor.document import leading, patterns

    merged = {
        patterns.DATE_NUM: r"([12](?<!\d[12])(?:(?<=1)9|(?<=2)0)\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)",
        dates_in_period._YEAR_MONTH: r"(2(?<!\d2)0\d{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:-\s*\d{1,2}\s*)?月",
        numerals.PERCENT: r"(?P<num>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)",
        leading._CRUMB_LABEL: r"(当前|所在)?(的)?位置\s*[:：>]|^\S{0,3}首页\s*(>|»|›|→)",
        whole_year._SENTENCE: r"[^。;!?；！？]+[。;!?；！？]?",
        whole_year._DEADLINE: r"\s*(?:底|末|份|中旬|上旬|下旬|\d{1,2}\s*日)?\s*之?前",
        whole_year._REQUIRED: r"(?:要求|明确|计划|力争|确保|规定|部署|务必|须|应当?)\s*(?:在|于)?\s*$",
    }
    for rx, source in merged.items():
        assert isinstance(rx, LazyPattern) and rx.pattern == source, source


def test_ideographs_counts_what_the_class_it_replaces_finds() -> None:
    """_plan.ideographs stands for len(re.findall("[\\u4e00-\\u9fff]", text)) (a class that costs
    ~1 ms to compile at every start): equal on every code point, and on text mixing them."""
    import random

    from auditor.checks._plan import ideographs

    cls = re.compile("[\u4e00-\u9fff]")
    for cp in range(0x110000):
        ch = chr(cp)
        assert ideographs(ch) == len(cls.findall(ch)), hex(cp)
    rnd = random.Random(23)
    edges = [0x4DFF, 0x4E00, 0x4E01, 0x9FFE, 0x9FFF, 0xA000, 0x41, 0x3000, 0xFF0C, 0x20000]
    for _ in range(2000):
        text = "".join(chr(rnd.choice(edges) if rnd.random() < 0.7 else rnd.randrange(0x110000))
                       for _ in range(rnd.randrange(12)))
        assert ideographs(text) == len(cls.findall(text)), text
    assert ideographs("开展执法人员轮训") == 8 and ideographs("a1,。") == 0
