"""Figures in report text: counts (45件, 十二次, 1.2万人次) and percentages (98%, 百分之百).

Arabic numerals are read here; Chinese ones by `cn2an` (a maintained converter that knows
十二, 一万二千, 两百), imported only when a Chinese numeral is actually read: it takes a
fifth of a second to import, and most figures in reports are Arabic.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
#: measure words that make a number a count of something (人次 before 人)
UNITS = ("人次", "件次", "件", "次", "场", "人", "名", "个", "项", "份", "篇", "条", "户", "起", "家", "所", "期", "批", "宗")
# A count: a number not inside another (第一, 1.5, 十二 of 三十二), its multiplier, “about”, its
# measure word. Spelled to start with the class of a number's first character, the lookbehind
# after it, so that `re` scans for a digit instead of trying the pattern at every position (the
# same matches and groups as `(?<![第\d.…])(?P<num>\d+(?:\.\d+)?|[…]+)…`: tests/checks/test_numerals.py).
_NUM = (rf"(?P<num>[\d{_CN_DIGITS}](?<![第\d.{_CN_DIGITS}].)(?:(?<=\d)\d*(?:\.\d+)?|(?<=[{_CN_DIGITS}])[{_CN_DIGITS}]*))"
        r"\s*(?P<mult>[万亿])?\s*(?P<approx>余|多)?")
COUNT = re.compile(_NUM + rf"(?P<unit>{'|'.join(UNITS)})")
PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[零〇一二两三四五六七八九十百点]+)")
_SIMPLE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class Figure(NamedTuple):
    value: float
    unit: str  # the measure word; "%" for a percentage
    span: tuple[int, int]
    text: str


def cn_value(text: str) -> float | None:
    """十二 → 12, 一万二千 → 12000, 两 → 2; None when it is no number (一些)."""
    if len(text) == 1 and text in _SIMPLE:
        return float(_SIMPLE[text])
    import cn2an  # type: ignore[import-untyped,unused-ignore]

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _value(num: str, mult: str | None) -> float | None:
    value = float(num) if num[0].isdigit() else cn_value(num)
    if value is None:
        return None
    return value * {"万": 1e4, "亿": 1e8}.get(mult or "", 1)


def counts(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """The counts in text[start:end], in order."""
    out = []
    for m in COUNT.finditer(text, start, len(text) if end is None else end):
        value = _value(m.group("num"), m.group("mult"))
        if value is not None:
            out.append(Figure(value, m.group("unit"), m.span(), m.group()))
    return out


def percent(text: str, start: int = 0, end: int | None = None) -> Figure | None:
    """The first percentage in text[start:end]."""
    m = PERCENT.search(text, start, len(text) if end is None else end)
    if m is None:
        return None
    if m.group("num"):
        return Figure(float(m.group("num")), "%", m.span(), m.group())
    cn = m.group("cn")
    value = 100.0 if cn == "百" else cn_value(cn.replace("点", "."))  # 百分之百: cn2an reads no bare 百
    return Figure(value, "%", m.span(), m.group()) if value is not None else None
