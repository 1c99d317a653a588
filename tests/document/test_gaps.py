"""Spaces PDF producers put between ideographs and digits or Latin letters do not affect matching;
evidence still quotes the original, spaces included."""

from __future__ import annotations

import random

import pytest

from auditor.document.normalize import _gap_span, _is_space, close_gaps, normalize_line, normalize_lines, original_span
from auditor.document.patterns import is_chrome, parse_date


@pytest.mark.parametrize(("text", "want"), [
    ("2024 年 3 月 4 日", "2024年3月4日"),
    ("ICP 备案:渝 ICP 备 2021011583 号", "ICP备案:渝ICP备2021011583号"),
    ("２０２４ 年 ３ 月 ４ 日", "2024年3月4日"),  # full-width digits (WPS), folded first
    ("开展普法活动 56 场，覆盖 APP 用户", "开展普法活动56场,覆盖APP用户"),
    ("\u3000\u3000一是加强领导", "  一是加强领导"),  # indents are not gaps
    ("区长 张三", "区长 张三"),  # between ideographs: a separator, kept
    ("a b", "a b"),
])
def test_gaps_between_ideographs_and_digits_or_latin_close(text: str, want: str) -> None:
    assert normalize_line(text) == want


def test_gaps_never_cross_lines() -> None:
    lines, _ = normalize_lines(["办事处 ", " 2024年3月4日", "ICP 备案"])
    assert lines == ["办事处 ", " 2024年3月4日", "ICP备案"]


def test_matching_sees_the_closed_form() -> None:
    assert parse_date(normalize_line("2024 年 3 月 4 日"))[0] == (2024, 3, 4)  # type: ignore[index]
    assert is_chrome(normalize_line("ICP 备案:渝 ICP 备 2021011583 号"))


@pytest.mark.parametrize("text", ["2024 年 3 月 4 日", "渝 ICP\u3000备 2021011583 号", "甲\u200b12 乙", "无空格的一行"])
def test_original_span_maps_every_match_back(text: str) -> None:
    norm = close_gaps(normalize_line(text))
    for a in range(len(norm)):
        for b in range(a + 1, len(norm) + 1):
            lo, hi = original_span(text, norm, (a, b))
            original = text[lo:hi]
            assert normalize_line(original) == norm[a:b], (a, b, original)


def _walked(text: str, norm: str, span: tuple[int, int]) -> tuple[int, int]:
    """The mapping by the plain character-by-character walk (what `_gap_span` did before it
    learned to skip to the next space)."""
    at = []
    i = 0
    for ch in norm:
        while i < len(text) and _is_space(text[i]) and ch != " ":
            i += 1
        at.append(min(i, len(text)))
        i += 1
    at.append(min(i, len(text)))
    a, b = span
    start = at[a] if a < len(at) else len(text)
    end = at[b - 1] + 1 if 0 < b <= len(norm) else start
    return start, max(start, min(end, len(text)))


def test_gap_span_maps_as_the_character_walk_does() -> None:
    rng = random.Random(23)
    alphabet = ["年", "月", "2", "A", " ", "\u3000", "\t", "，", "x", "\u200b", "\xa0"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        norm = normalize_line(text)
        if len(norm) == len(text):
            continue
        for a in range(len(norm) + 2):
            b = rng.randint(0, len(norm) + 2)
            assert _gap_span(text, norm, (a, b)) == _walked(text, norm, (a, b)), (text, a, b)
