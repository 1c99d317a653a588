"""Shared text patterns: numerals, headings, dates, years, website chrome.

All patterns run on normalized lines (full-width punctuation already ASCII, Simplified).
"""

from __future__ import annotations

import re
import sys
from typing import Any, Callable, Iterator


Needs = tuple[tuple[str, ...], ...]  # sets of literals: every match holds a member of each


def _no_needs(pattern: str, flags: int) -> Needs:
    return ()


#: The literals every match of a pattern holds, when they are known without parsing it (()
#: when not): auditor.document.search installs its lookup of the stored analyses here.
_known_needs: Callable[[str, int], Needs] = _no_needs


def install_needs(lookup: Callable[[str, int], Needs]) -> None:
    """Where LazyPattern learns, before compiling, which literals a match needs."""
    global _known_needs
    _known_needs = lookup


class LazyPattern:
    """A module-level pattern compiled on first use. Compiling costs 0.1–3.5 ms a pattern at
    every start; the patterns only rarely needed (noise removal …) are declared with this so a
    one-report check does not pay for them. Offers the `re.Pattern` methods the modules use.
    Until it is compiled, a search of a string that lacks a literal every match holds (known
    from the stored analyses, see install_needs) answers “no match” without compiling it.
    Once compiled, the compiled pattern's own methods stand in for these on the instance: a
    search then costs what it costs on a compiled pattern (rule patterns are searched per line)."""

    _BOUND = ("search", "match", "fullmatch", "finditer", "findall", "sub")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._rx: re.Pattern[str] | None = None
        self._needs: Needs | None = None  # looked up on the first search

    def __eq__(self, other: object) -> bool:
        """Equal as compiled patterns are: the same text and flags (a pack loaded twice is equal)."""
        if not isinstance(other, LazyPattern):
            return NotImplemented
        return self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    @property
    def ready(self) -> bool:
        """Whether it is compiled already."""
        return self._rx is not None

    def compiled(self) -> re.Pattern[str]:
        if self._rx is None:
            rx = self._rx = re.compile(self.pattern, self.flags)
            for name in self._BOUND:
                setattr(self, name, getattr(rx, name))
        return self._rx

    def _ruled_out(self, string: str) -> bool:
        """Whether `string` lacks a literal every match holds (then no part of it can match: a
        match's text, lookarounds aside, lies within the string whatever `pos` and `endpos`)."""
        needs = self._needs
        if needs is None:
            needs = self._needs = _known_needs(self.pattern, self.flags)
        for alternatives in needs:
            for lit in alternatives:
                if lit in string:
                    break
            else:
                return True
        return False

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._ruled_out(string):
            return None
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._ruled_out(string):
            return None
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._ruled_out(string):
            return None
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self._ruled_out(string):
            return iter(())
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        if self._ruled_out(string):
            return []
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        if self._ruled_out(string):
            return string
        return self.compiled().sub(repl, string, count)


#: a pattern as the searches take it: compiled, or compiled on first use
Rx = re.Pattern[str] | LazyPattern

# a pattern that sets its flags itself ((?i)…): its compiled flags are known only by compiling it
GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def lazy(source: str) -> Rx:
    """A rule's pattern, compiled when first searched (most are ruled out in most reports by a
    literal every match holds: auditor.document.search); with the flags re.compile gives it, so
    that its analysis is the compiled pattern's."""
    if GLOBAL_FLAGS.match(source):
        return re.compile(source)
    return LazyPattern(source, re.UNICODE)


CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = "一二三四五六七八九十"


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; None when not a Chinese numeral up to 99."""
    if not text or any(c not in _NUM for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = CN_DIGITS.get(tens, 0) if tens else 1
    o = CN_DIGITS.get(ones, 0) if ones else 0
    if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS) or len(ones) > 1:
        return None
    return t * 10 + o


def cn_year(text: str) -> int | None:
    """二〇二四 → 2024."""
    if len(text) != 4 or any(c not in CN_DIGITS for c in text):
        return None
    return int("".join(str(CN_DIGITS[c]) for c in text))


# 一、 一. 一， 第一部分 (optionally after Markdown #), then the heading text.
TOP_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?(?:第([一二三四五六七八九十]{1,3})部分\s*[、:,.]?\s*|([一二三四五六七八九十]{1,3})\s*[、.,]\s*)(?=\S)"
)
# （一） (一) 一) 1. 1、 (1) — sub-parts and enumerated items at the start of a line.
SUB_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?(?:[(]([一二三四五六七八九十]{1,3})[)]|([一二三四五六七八九十]{1,3})[)]|(\d{1,2})\s*[、.](?!\d)|[(](\d{1,2})[)])\s*(?=\S)"
)
# 一是 二是 … and 第一， 第二， … inside a paragraph: enumerated measures written inline
# (the comma keeps 第一责任人 out).
INLINE_ENUM = LazyPattern(r"(?:^|[。;:,\s])(?:([一二三四五六七八九十]{1,2})是|第([一二三四五六七八九十]{1,2})[,、])")

_DAY = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
# The dates and years below start with the class of their first character (a lookbehind or a
# choice between 19 and 20 put after it), so that `re` scans for it instead of trying the pattern
# at every position; the same matches and groups as `((?:19|20)\d{2}|[二〇…]{4})\s*年…`,
# `(?<!\d)((?:19|20)\d{2})\s*([-./])…` and `(?<!\d)(20\d{2})\s*年` (tests/checks/test_pattern_forms.py).
DATE_CN = re.compile(r"([12二〇○零一三四五六七八九O](?:(?<=1)9\d{2}|(?<=2)0\d{2}|(?<=[二〇○零一三四五六七八九O])"
                     r"[二〇○零一三四五六七八九O]{3}))\s*年\s*" + _DAY + r"\s*月\s*" + _DAY + r"\s*日")
DATE_NUM = re.compile(r"([12](?<!\d[12])(?:(?<=1)9|(?<=2)0)\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")
YEAR = re.compile(r"(2(?<!\d2)0\d{2})\s*年")
YEAR_CN = re.compile(r"([二〇○零一三四五六七八九]{4})\s*年")

SENTENCE_PUNCT = re.compile(r"[。;；:：!?,，]")


def parse_date(text: str) -> tuple[tuple[int, int, int], re.Match[str]] | None:
    """The first date in the text as (y, m, d), with its match; None when there is none."""
    m = DATE_CN.search(text)
    if m:
        y = int(m.group(1)) if m.group(1).isdigit() else cn_year(m.group(1))
        mo = int(m.group(2)) if m.group(2).isdigit() else cn_number(m.group(2))
        d = int(m.group(3)) if m.group(3).isdigit() else cn_number(m.group(3))
        if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
            return (y, mo, d), m
    m2 = DATE_NUM.search(text)
    if m2:
        y, mo, d = int(m2.group(1)), int(m2.group(3)), int(m2.group(4))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return (y, mo, d), m2
    return None


def years_in(text: str) -> list[tuple[int, int]]:
    """(year, offset) for each 20NN年 or 二〇NN年 in the text."""
    found = [(int(m.group(1)), m.start()) for m in YEAR.finditer(text)]
    for m in YEAR_CN.finditer(text):
        y = cn_year(m.group(1))
        if y and 1990 <= y <= 2099:
            found.append((y, m.start()))
    return sorted(found, key=lambda t: t[1])


# Website leftovers saved with a page: never report content, and never the signature.
CHROME = re.compile(
    r"^(?:国务院部门网站|地方政府网站|市政府部门网站|区\(县\)政府网站|县\(区\)政府网站|其他网站|相关网站|友情链接|网站地图|联系我们|"
    r"用户登录|还没有账号\??|立即注册|登录|注册|首页|返回顶部|打印本页|关闭窗口|【?打印】?|【?关闭】?|分享到.*|扫一扫.*|"
    r"(?:您当前所在)?的?(?:当前)?位置[:>].*|您当前所在位置.*|今天是[:]?.*|索引号[:].*|发文字号[:].*|发文机关[:].*|成文日期[:].*|"
    r"发布日期[:].*|发布时间[:].*|主题分类[:].*|浏览次数[:].*|来源[:].*|字号[:].*|【字体[:].*|"
    r".*版权所有.*|.*ICP备.*|.*网站标识码.*|.*公网安备.*|主办[:].*|承办[:].*|技术支持[:].*|.*政府网站$|.*部门网站$|"
    # site clocks and publication stamps without a label: a report's date never has a weekday
    # or a time of day (2019年10月31日 星期四, 2024-03-10 09:30)
    r".{0,16}?(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*(?:星期|周)[一二三四五六日天].*|"
    r".{0,16}?(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s+\d{1,2}:\d{2}.*|"
    r"(?:信息来源|文章来源|作者|责任编辑|编辑|点击数|阅读次数|访问量)[:].*|.*\s(?:来源|浏览次数|点击数|阅读次数)[:].*|"
    # notes under a signature: not content, and they must not hide it either
    r"\(此件.{0,12}\)|\(联系人.{0,60}\)|联系人[:].{0,60}|\(信息公开选项[:].{0,20}\)|"
    r"首页\s*[>›»].*)$"  # a breadcrumb without its 当前位置 label
)


def is_chrome(norm: str) -> bool:
    s = norm.strip()
    if not s or len(s) > 120 or TOP_HEADING.match(s) or SUB_HEADING.match(s):
        return False
    return bool(CHROME.match(s))
