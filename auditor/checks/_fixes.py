"""Mechanical corrections of the 公文规范 kinds: what a wrong form is to be written as, at the
place it was found (`auditor.models.Fix`). `auditor annotate` writes them into the .docx as
tracked changes; the scorecard and the JSON list them place by place.

Only corrections that follow from the mark itself are made here: a half-width mark in Chinese
text becomes its full-width form (quotes by the side they stand on), a doubled mark one mark, a
listed substitution (“、” → “，” after 一是), a date in the standard form (2024.3.4 → 2024年3月4日).
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from auditor.models import Fix

_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_DOTS = ".．•・∙⋅‧-"
MIDDLE_DOT = "·"  # U+00B7, the 间隔号 GB/T 15834 shows (“12·4”)


class Replacement(NamedTuple):
    """How a group's matches are corrected: `fullwidth` (each half-width mark → its full-width
    form, quotes by side), `collapse` (a doubled mark → one, when both are the same mark),
    `replace` (each `old` in the match → `new`), `middle_dot` (a dot between month and day → ·)."""

    group: str
    mode: Literal["fullwidth", "collapse", "replace", "middle_dot"]
    old: str = ""
    new: str = ""


def minimal(text: str, start: int, found: str, replace: str) -> Fix | None:
    """The Fix of `found` (at `start` of `text`) → `replace`, trimmed to the characters that change."""
    if found == replace:
        return None
    a = 0
    while a < min(len(found), len(replace)) and found[a] == replace[a]:
        a += 1
    b = 0
    while b < min(len(found), len(replace)) - a and found[-1 - b] == replace[-1 - b]:
        b += 1
    old, new = found[a:len(found) - b], replace[a:len(replace) - b]
    if not old:  # a pure insertion: anchor it on the character before
        if a == 0:
            return None
        a -= 1
        old, new = found[a], found[a] + new
    return Fix(start + a, old, new)


def _quote(text: str, i: int, mark: str) -> str:
    """A straight quote's full-width form: the line's straight quotes pair up in order, so one
    with an even number of its kind before it opens (“), the next one closes (”)."""
    opening = text[:i].count(mark) % 2 == 0
    if mark == '"':
        return "“" if opening else "”"
    return "‘" if opening else "’"


def corrected(text: str, start: int, end: int, how: Replacement) -> Fix | None:
    """The correction of text[start:end] under `how`, None when there is none to make."""
    found = text[start:end]
    if how.mode == "fullwidth":
        out = []
        for k, ch in enumerate(found):
            if ch in ('"', "'"):
                out.append(_quote(text, start + k, ch))
            else:
                out.append(_WIDE.get(ch, ch))
        new = "".join(out)
    elif how.mode == "collapse":
        if len(found) != 2 or found[0] != found[1]:
            return None
        new = found[0]
    elif how.mode == "replace":
        if not how.old:
            return None
        new = found.replace(how.old, how.new)
    else:  # middle_dot
        new = "".join(MIDDLE_DOT if ch in _DOTS else ch for ch in found)
    return minimal(text, start, found, new)


_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_DATE_NUM = re.compile(r"((?:19|20)\d{2}|\d{2})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?")
_DATE_CN = re.compile(r"([〇○零O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_small(s: str) -> int | None:
    """一 … 三十一 as a number."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGIT.get(tens, 0) if tens else 1
        o = _CN_DIGIT.get(ones, 0) if ones else 0
        return t * 10 + o
    return _CN_DIGIT.get(s) if len(s) == 1 else None


def date_fix(text: str) -> Fix | None:
    """A 成文日期 written another way (2024.3.8, 2024-03-08, 2024年03月08日, 二〇二四年三月八日)
    → 2024年3月8日; None for a two-digit year (the century is not for auditor to guess)."""
    m = _DATE_NUM.search(text)
    if m:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        if len(year) != 4:
            return None
    else:
        m = _DATE_CN.search(text)
        if not m:
            return None
        year = "".join(str(_CN_DIGIT[c]) for c in m.group(1))
        month_v, day_v = _cn_small(m.group(2)), _cn_small(m.group(3))
        if month_v is None or day_v is None:
            return None
        month, day = month_v, day_v
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    found, right = m.group(0).rstrip(), f"{year}年{month}月{day}日"
    return Fix(m.start(), found, right) if found != right else None  # the whole date: it reads better
