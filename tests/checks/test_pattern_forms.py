"""Patterns of the per-report path spelled so that `re` can skip ahead (each starts with a literal
or a class, the lookbehind after its first character), held equal to their plain spelling: the
same matches, spans and groups on every line of the fixtures (as written and as normalized), at
every start and end inside a line (the kinds search spans of a line), and on generated text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks import core_areas, dates_in_period, numerals
from auditor.document import normalize, patterns
from auditor.packs import plan_words

from conftest import FIXTURES

_CN = numerals._CN_DIGITS
_MEASURES = plan_words.measures()
_DATA = plan_words.read(plan_words.data_file("measures.yaml"), ("units", "actions"))


def _plain_forms() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(name, the plain spelling, the pattern used)."""
    cn_num, not_before = plan_words._CN_NUM, plan_words._NOT_BEFORE_CN
    units = plan_words._any(_DATA["units"])
    return [
        ("COUNT", re.compile(rf"(?<![第\d.{_CN}])(?P<num>\d+(?:\.\d+)?|[{_CN}]+)\s*(?P<mult>[万亿])?\s*(?P<approx>余|多)?"
                             rf"(?P<unit>{'|'.join(numerals.UNITS)})"), numerals.COUNT),
        ("none", re.compile(r"(无|未发生|没有|零)[\u4e00-\u9fff]{0,10}?(案件|纠纷|诉讼|败诉)|(败诉率|纠错率)为?(零|0)"),
         core_areas._NONE),
        ("quantity", re.compile(rf"(?:\d+(?:\.\d+)?|{not_before}{cn_num})\s*(?:余|多)?\s*(?:{units})"), _MEASURES.quantity),
        ("action", re.compile(f"{plan_words._NOT_AFTER_SHI}(?:{plan_words._any(_DATA['actions'])})([^,.;:!?。、]*)"),
         _MEASURES.action),
        ("pinyin", re.compile(normalize._PINYIN.pattern),
         normalize._PINYIN_AT),
        ("DATE_CN", re.compile(r"((?:19|20)\d{2}|[二〇○零一三四五六七八九O]{4})\s*年\s*" + patterns._DAY + r"\s*月\s*"
                               + patterns._DAY + r"\s*日"), patterns.DATE_CN),
        ("DATE_NUM", re.compile(r"(?<!\d)((?:19|20)\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)"), patterns.DATE_NUM),
        ("YEAR", re.compile(r"(?<!\d)(20\d{2})\s*年"), patterns.YEAR),
        ("date", re.compile(plan_words._DATE), re.compile(plan_words._DATE_AT)),
        ("year-month", re.compile(r"(?<!\d)(20\d{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:-\s*\d{1,2}\s*)?月"),
         dates_in_period._YEAR_MONTH),
    ]


FORMS = _plain_forms()
GROUPS = {"COUNT", "quantity", "action", "pinyin", "DATE_CN", "DATE_NUM", "YEAR", "year-month"}  # whose groups are read (the others' only the match)


def _found(rx: re.Pattern[str], text: str, a: int = 0, b: int | None = None, groups: bool = True) -> list[Any]:
    end = len(text) if b is None else b
    return [(m.span(), m.groups() if groups else None) for m in rx.finditer(text, a, end)]


@pytest.fixture(scope="module")
def lines(every_document: Any) -> list[str]:
    """Every line of every fixture, corpus and perf-corpus text, as written and as normalized."""
    found = list(dict.fromkeys(s for _, doc in every_document for ln in doc.lines for s in (ln.text, ln.norm)))
    for p in sorted(FIXTURES.rglob("*.yaml")) + sorted((FIXTURES.parent / "rules").rglob("*.yaml")):
        found += p.read_text(encoding="utf-8").splitlines()  # labels, the rules' examples
    assert len(found) > 3000
    return found


@pytest.mark.parametrize("name", [f[0] for f in FORMS])
def test_the_fast_form_matches_like_the_plain_one_on_every_fixture_line(name: str, lines: list[str]) -> None:
    _, plain, fast = next(f for f in FORMS if f[0] == name)
    groups = name in GROUPS
    hits = 0
    for ln in lines:
        expected = _found(plain, ln, groups=groups)
        assert _found(fast, ln, groups=groups) == expected, ln
        hits += len(expected)
        if expected and len(ln) < 400:  # a span of the line: the lookbehind sees what stands before it
            for a in range(0, len(ln), 3):
                assert _found(fast, ln, a, len(ln) - a // 2, groups) == _found(plain, ln, a, len(ln) - a // 2, groups), ln
    assert hits > (0 if name == "pinyin" else 20)


PIECES = st.sampled_from(["1", "2", "0", "12", ".", "5", "19", "20", "2023", "1998", "年", "月", "日", "-", "/", "二〇二三", "O", "一", "二", "十", "百", "千", "万", "亿", "两", "零", "〇", "第", "统",
                          "余", "多", "件", "次", "人次", "场", "名", "%", " ", ",", "。", "无", "未发生", "没有", "案件", "纠纷",
                          "败诉", "败诉率", "纠错率", "为", "开展", "组织", "落", "实", "行", "培训", "(", ")", "bào", "报",
                          "ǎ", "中"])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=24).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=30))
def test_the_fast_forms_match_like_the_plain_ones_on_generated_text(text: str, a: int) -> None:
    for name, plain, fast in FORMS:
        groups = name in GROUPS
        assert _found(fast, text, groups=groups) == _found(plain, text, groups=groups), name
        start = min(a, len(text))
        assert _found(fast, text, start, groups=groups) == _found(plain, text, start, groups=groups), name


def test_a_time_found_by_its_branches_apart_is_time_s(lines: list[str]) -> None:
    """`measure_in` searches the time words and the dates apart (the leftmost, the words' on a tie):
    on every fixture, corpus and perf-corpus line, and where a word and a date start together, it
    finds what `Measures.time` finds."""
    from auditor.checks._plan import _time

    m = _MEASURES
    found = 0
    for ln in [*lines, "每月10日前", "3月底前每季度", "年内12月底前", "一季度每年"]:
        want = m.time.search(ln)
        got = _time(ln, m)
        assert (got.span(), got.group()) == (want.span(), want.group()) if want else got is None, ln
        found += want is not None
    assert found > 50
    tied = m._replace(time=re.compile("十二月|" + plan_words._DATE), time_words=re.compile("十二月"))
    for text in ("十二月底前完成", "十二月份", "在十二月前"):
        want, got = tied.time.search(text), _time(text, tied)
        assert want is not None and got is not None and (got.span(), got.group()) == (want.span(), want.group())
