"""Word automatic numbering (numbering.xml) rendered as the labels a reader sees: 一、 （一） 1.

The numbers of Word-numbered headings are not in the paragraph text at all, so without this a
report whose 一、…五、 come from a list style has no numbered parts for the checks to find.
Counters follow Word's model: they belong to the abstract list (w:num instances that share one
continue each other) unless a w:num overrides a level's start, which restarts that level the
first time the instance is used; using a level resets the deeper ones (unless w:lvlRestart=0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from xml.etree import ElementTree as ET


class _StyleChain(Protocol):
    def chain(self, style_id: str | None, w: str) -> list[ET.Element]: ...


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    pstyle: str | None = None
    suff: str = "tab"


_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out, zero = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, power)
        if d:
            out += (digits[0] if zero and out else "") + digits[d] + unit
            zero = False
        elif out:
            zero = True
    if out.startswith(digits[1] + units[0]):  # 十一, not 一十一
        out = out[1:]
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letter(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB (at most a few: no real list gets that long).
    return chr(ord("A") + (n - 1) % 26) * min((n - 1) // 26 + 1, 8) if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a w:numFmt."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting", "koreanCounting"):
        return _chinese(n)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= 12:
        return _BRANCHES[n - 1]
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        r = _letter(n)
        return r if fmt == "upperLetter" else r.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 0 < n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


#: Word's own bound on a list's start value; counters never go past it. A crafted level starting
#: at 2³¹−1 in letter numbering would otherwise render labels of 80 million letters each.
MAX_COUNTER = 32767
MAX_LEVEL_TEXT = 64  # characters of a w:lvlText pattern (Word's are a few)


def _int(elem: ET.Element | None, w: str, default: int | None) -> int | None:
    try:
        value = elem.get(f"{w}val", "") if elem is not None else None
        return default if value is None else max(-MAX_COUNTER, min(MAX_COUNTER, int(value[:12])))
    except ValueError:
        return default


class Numbering:
    """Label renderer with the running counters of one document."""

    def __init__(self, w: str, root: ET.Element | None) -> None:
        self.w = w
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.counters: dict[str, dict[int, int | None]] = {}
        self.used: set[str] = set()
        if root is None:
            return
        for an in root.findall(f"{w}abstractNum"):
            self.abstract[an.get(f"{w}abstractNumId", "")] = self._levels(an)
        for num in root.findall(f"{w}num"):
            abs_el = num.find(f"{w}abstractNumId")
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.findall(f"{w}lvlOverride"):
                ilvl = _int_attr(ov.get(f"{w}ilvl", "0"))
                so = _int(ov.find(f"{w}startOverride"), w, None)
                if so is not None:
                    starts[ilvl] = so
                levels.update(self._levels(ov))
            abs_id = abs_el.get(f"{w}val", "") if abs_el is not None else ""
            self.nums[num.get(f"{w}numId", "")] = (abs_id, starts, levels)

    def _levels(self, parent: ET.Element) -> dict[int, _Level]:
        w, out = self.w, {}
        for lvl in parent.findall(f"{w}lvl"):
            ilvl = _int_attr(lvl.get(f"{w}ilvl"))
            fmt, text, ps = lvl.find(f"{w}numFmt"), lvl.find(f"{w}lvlText"), lvl.find(f"{w}pStyle")
            out[ilvl] = _Level(
                start=_int(lvl.find(f"{w}start"), w, 1) or 0,
                fmt=fmt.get(f"{w}val", "decimal") if fmt is not None else "decimal",
                text=text.get(f"{w}val", "")[:MAX_LEVEL_TEXT] if text is not None else "",
                restart=_int(lvl.find(f"{w}lvlRestart"), w, None),
                legal=lvl.find(f"{w}isLgl") is not None,
                pstyle=ps.get(f"{w}val") if ps is not None else None,
                suff=suff.get(f"{w}val", "tab") if (suff := lvl.find(f"{w}suff")) is not None else "tab",
            )
        return out

    def _num_pr(self, ppr: ET.Element | None, style_id: str | None,
                styles: _StyleChain, w: str) -> tuple[str | None, int | None]:
        """numId and level from the paragraph, else from its style chain (style-based lists)."""
        holders = [ppr] + [st.find(f"{w}pPr") for st in styles.chain(style_id, w)]
        for holder in holders:
            npr = holder.find(f"{w}numPr") if holder is not None else None
            if npr is not None:
                num_el, lvl_el = npr.find(f"{w}numId"), npr.find(f"{w}ilvl")
                if num_el is None and lvl_el is not None:
                    continue  # a level alone: keep looking for the list it belongs to
                return (num_el.get(f"{w}val") if num_el is not None else None,
                        _int(lvl_el, w, None))
        return None, None

    def label(self, ppr: ET.Element | None, style_id: str | None, styles: _StyleChain, w: str) -> str:
        """The rendered label of this paragraph (advancing the counters), or ''."""
        num_id, ilvl = self._num_pr(ppr, style_id, styles, w)
        if not num_id or num_id not in self.nums:
            return ""  # numId 0 means numbering switched off
        abs_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abs_id, {}), **overrides}
        if not levels:
            return ""
        if ilvl is None:  # style-based numbering: the level linked to the style (or a base style)
            chain = [st.get(f"{w}styleId") for st in styles.chain(style_id, w)]
            ilvl = next((i for sid in chain for i, lv in levels.items() if lv.pstyle and lv.pstyle == sid), 0)
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abs_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for lvl_no in starts:
                counters[lvl_no] = None
        current = counters.get(ilvl)
        counters[ilvl] = (starts.get(ilvl, levels[ilvl].start) if current is None else min(current + 1, MAX_COUNTER))
        for deeper, lv in levels.items():
            if deeper > ilvl and (lv.restart is None or (lv.restart != 0 and ilvl < lv.restart)):
                counters[deeper] = None
        level = levels[ilvl]
        if level.fmt == "bullet":
            return ""  # bullet glyphs are usually Symbol/Wingdings private-use characters
        text = level.text
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                lv = levels.get(k - 1, _Level())
                value = counters.get(k - 1)
                value = value if value is not None else starts.get(k - 1, lv.start)
                fmt = "decimal" if level.legal and lv.fmt != "none" else lv.fmt
                text = text.replace(f"%{k}", format_number(value, fmt))
        text = text.strip()
        # What follows the label: Word's default is a tab. In plain text 一、 and （一） need
        # nothing after them; "1.2.1" or "第一章" need a space.
        return text + (" " if text and level.suff != "nothing" and text[-1].isalnum() else "")


def _int_attr(value: str | None) -> int:
    return min(int(value[:3]), 9) if value and value.isdigit() else 0  # levels are 0-8
