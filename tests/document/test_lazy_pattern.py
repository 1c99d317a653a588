"""LazyPattern: answers as the compiled pattern does, and compiles only when first used."""

from __future__ import annotations

import re
import subprocess
import sys
from conftest import assert_left_uncompiled

from auditor.document.patterns import LazyPattern


def test_lazy_pattern_answers_as_re_compile() -> None:
    source = r"(?<=、),|([,。])\1+"
    lazy, rx = LazyPattern(source), re.compile(source)
    text = "一、,二。。三,,四"
    assert lazy.pattern == rx.pattern
    assert lazy.search(text).span() == rx.search(text).span()  # type: ignore[union-attr]
    assert lazy.match(text) is None and rx.match(text) is None
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in rx.finditer(text)]
    assert lazy.sub(lambda m: m.group(1) or "", text) == rx.sub(lambda m: m.group(1) or "", text)
    assert lazy.compiled() is lazy.compiled()
    assert lazy.fullmatch(",,") is not None and rx.fullmatch(",,") is not None
    assert lazy.fullmatch(text) is None and rx.fullmatch(text) is None
    assert lazy.findall(text) == rx.findall(text) == ["", "。", ","]


def test_rare_leading_patterns_are_not_compiled_by_a_plain_report() -> None:
    """The patterns of a web page's metadata, a transmittal letter, a signer's name (issue 23):
    compiled only when a document needs them."""
    assert_left_uncompiled("[leading._LABEL_VALUE, leading._NAME, leading._META_CELL, leading._TRANSMITS]")


def test_noise_patterns_are_not_compiled_by_a_plain_report() -> None:
    code = (
        "from auditor.document import normalize as n\n"
        "lazy = [n._PINYIN, n._WATERMARK, n._SITE_MARK, n._DOUBLED, n._NOISE]\n"
        "assert n.drop_noise(['某县2024年法治政府建设情况报告', '一、主要举措']) == "
        "['某县2024年法治政府建设情况报告', '一、主要举措']\n"
        "assert all(p._rx is None for p in lazy)\n"
        "assert n.drop_noise(['报告,,内容'])[0] == '报告,内容'\n"  # noise: compiled when needed
        "assert n._DOUBLED._rx is not None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_once_compiled_the_compiled_methods_answer() -> None:
    """A rule's patterns are searched per line: once compiled, a LazyPattern's searches are the
    compiled pattern's own (no Python call in between)."""
    lazy = LazyPattern("法治", re.UNICODE)
    assert lazy.search("推进法治建设").span() == (2, 4)  # type: ignore[union-attr]
    rx = lazy.compiled()
    assert lazy.search == rx.search and lazy.finditer == rx.finditer and lazy.sub == rx.sub
    assert rx.flags == re.compile("法治").flags  # its analysis is kept under the compiled pattern's key


def test_rule_patterns_compile_when_first_searched() -> None:
    """A rule's patterns (issue 23) are compiled only when a search needs them; a pattern that
    sets its own flags is compiled at once (only compiling tells its flags)."""
    from auditor.checks.contract import _compile
    from auditor.checks.matching import search_all
    from auditor.models import Line

    placeholder, word, flagged = _compile(["××|○○○", "法治", "(?i)todo"], "t.yaml", "R1", "patterns")
    assert isinstance(placeholder, LazyPattern) and isinstance(word, LazyPattern)
    assert isinstance(flagged, re.Pattern) and flagged.flags & re.IGNORECASE
    lines = (Line(no=1, text="推进法治建设", norm="推进法治建设"),)
    hits = search_all(lines, (placeholder, word))
    assert [(ln.no, h.group(), h.re) for ln, h in hits] == [(1, "法治", word)]
    assert placeholder._rx is None  # ruled out by its literals: never compiled
    assert word._rx is not None
