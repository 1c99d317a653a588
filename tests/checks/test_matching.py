"""search_all runs patterns over the joined lines when that finds exactly what a line-by-line run finds."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.matching import joined_form, may_match, search_all
from auditor.models import Line

PATTERNS = [
    r"[Xx](?<![A-Za-z][Xx])[Xx]+(?![A-Za-z])", r"【[^】]{0,20}待补充[^】]{0,20}】", r"^一、", r"年$",
    r"\*(?<!\*\*)\s*(次|件)", r"_(?<=[^\x00-\x7f]_)(?=[^\x00-\x7f])", r"(?<=[^\x00-\x7f] ) *(件|次)(?=[,。])",
    r"\d+\s*件", r"a\s+b", r"[^a]{2}", r"x(?!\s)", r"(?<!\s)y", r"\bword\b", r"(ab)\1",
]


def _lines(texts: list[str]) -> list[Line]:
    return [Line(no=i + 1, text=t, norm=t) for i, t in enumerate(texts)]


def _by_line(lines: list[Line], patterns: list[re.Pattern[str]]) -> list[tuple[int, int, int, str]]:
    out = [(ln.no, m.start(), m.end(), m.group()) for rx in patterns for ln in lines for m in rx.finditer(ln.norm)]
    return sorted(out, key=lambda h: (h[0], h[1]))


def test_brackets_are_not_anchors_and_lookarounds_are_judged_by_their_body() -> None:
    assert joined_form(re.compile(r"【[^】]{0,20}】")) is not None  # [^…] is no anchor: runs joined
    assert joined_form(re.compile(r"\*(?<!\*\*)\s*次")) is not None  # \s outside the lookaround
    assert joined_form(re.compile(r"x(?!\s)")) is None  # a newline would answer the lookahead
    assert joined_form(re.compile(r"^一、")) is None  # anchored at the start: one attempt per line is cheaper
    assert joined_form(re.compile(r"年$")).flags & re.MULTILINE  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="xX*_ 件次,。【】待补充年一、ab\t0123456789yword", max_size=12), min_size=0, max_size=6),
       st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=4, unique=True))
def test_same_hits_as_line_by_line(texts: list[str], sources: list[str]) -> None:
    lines = _lines(texts)
    patterns = [re.compile(p) for p in sources]
    got = [(ln.no, h.start(), h.end(), h.group()) for ln, h in search_all(lines, tuple(patterns))]
    assert got == _by_line(lines, patterns)
    joined = "\n".join(texts)
    assert set(may_match(tuple(patterns), joined)) >= {rx for rx in patterns if any(rx.search(t) for t in texts)}


# ---- the prefilter: a pattern is skipped only when no match is possible ----------------------

def _shipped_patterns() -> list[re.Pattern[str]]:
    from auditor.packs.ruleset import load_builtin_packs

    found = []
    for pack in load_builtin_packs().values():
        for rule in pack.rules:
            found += list(getattr(rule.params, "patterns", None) or ())
    return found


TRICKY = [r"(?:ab|cd){2}x", r"a(?=b)?_", r"[X-Z]_{2,}q", r"(X|Y)?Z", r"(?i:x)y", r"x|\d", r"__?X", r"(?:X\w)+",
          r"[^X]_", r"×(?<=a×)", r"(本报|新华社)?记者", r"(^|[,。])\s*我(?!们)", r"^\s*第[一二]+条", r"(ab|b)c*d",
          r"(a|b|c|d|e|f|g|h|i)率", r"(a|b|c|d|e|f|g|h|i)(X|Y)", r"(ab|cb|db|eb|fb|gb|hb|ib|jb)X?"]


def test_required_characters_of_placeholder_patterns() -> None:
    from auditor.checks.matching import required_literals

    assert required_literals(re.compile(r"××|○○○")) == (("×", "○"), ("××", "○○○"))
    assert required_literals(re.compile(r"_{2,}")) == (("_",), ("__",))
    assert required_literals(re.compile(r"T(?<![A-Za-z]T)(ODO|BD)|FIXME")) == (("F", "T"), ("FIXME", "TBD", "TODO"))
    assert required_literals(re.compile(r"法治.{0,5}报告")) == (("报",), ("法",))  # starts with 法: re skips
    assert required_literals(re.compile(r"原因")) == (("原",),)
    assert required_literals(re.compile(r"(本报|新华社)?记者")) == (("记",), ("记者",))
    assert required_literals(re.compile(r"X", re.IGNORECASE)) == ()
    assert required_literals(re.compile(r"(?i:x)y")) == (("y",),)
    assert required_literals(re.compile(r"x|\d")) == ()  # one branch needs nothing
    # too many first characters to test, but every literal holds 率 (AR205's rates: 出庭率, 完成率 …)
    assert required_literals(re.compile(r"(出庭|完成|覆盖|审查|办结|结案|满意|知晓|参与|公开)率")) == (("率",),)
    assert required_literals(re.compile(r"(a|b|c|d|e|f|g|h|i)(X|Y)")) == ()  # no character in every one


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="xXyYZ×○_*【】[]待补充填写年月日20 \n件次FIXMETODOTBDab-./qcd本报新华社记者我们,。第一二条率efghij",
               max_size=40),
       st.sampled_from([re.compile(p) for p in TRICKY] + _shipped_patterns()))
def test_prefilter_never_rules_out_a_match(text: str, rx: re.Pattern[str]) -> None:
    from auditor.checks.matching import _absent, required_literals

    needs = required_literals(rx)
    if needs and _absent(needs, text):
        assert rx.search(text) is None


def test_pattern_analyses_are_kept_between_runs(tmp_path: Any, monkeypatch: Any) -> None:
    """A run stores each pattern's analysis; the next run seeded from the store parses no pattern
    and gets the same joined form and literals."""
    from auditor.document import search
    from auditor.pool.cache import ValidatedStore, save_pattern_analyses, seed_pattern_analyses

    patterns = [re.compile(r"××|○○○"), re.compile(r"年$"), re.compile(r"^一、"), re.compile(r"x(?!\s)")]
    monkeypatch.setattr(search, "_ANALYSES", {})
    monkeypatch.setattr(search, "_JOINED", {})
    first = [(joined_form(rx), search.required_literals(rx)) for rx in patterns]
    store = ValidatedStore(tmp_path)
    save_pattern_analyses(store)
    assert list(tmp_path.glob("patterns-*.json"))

    monkeypatch.setattr(search, "_ANALYSES", {})
    monkeypatch.setattr(search, "_JOINED", {})

    def no_parsing(*args: Any) -> None:
        raise AssertionError("a seeded pattern was parsed again")

    monkeypatch.setattr(search, "_parse", no_parsing)
    seed_pattern_analyses(store)
    again = [(joined_form(rx), search.required_literals(rx)) for rx in patterns]
    assert [(j is None, j.flags if j else 0, n) for j, n in again] == [(j is None, j.flags if j else 0, n)
                                                                      for j, n in first]
    assert first[1][0] is not None and first[1][0].flags & re.MULTILINE and first[2][0] is None


def test_a_damaged_analysis_row_is_analysed_again(monkeypatch: Any) -> None:
    from auditor.document import search

    monkeypatch.setattr(search, "_ANALYSES", {})
    search.seed_analyses([["原因", 32, 7, []], ["x", "32", 0, []], "junk", [1, 2]])
    assert search._ANALYSES == {}
    assert search.required_literals(re.compile("原因")) == (("原",),)
