"""What the check kinds share: finding patterns in lines, and quoting what was found."""

from __future__ import annotations

from typing import Iterable

from auditor.document.normalize import original_span
from auditor.document.patterns import LazyPattern
from auditor.document.search import (  # the kinds import these from here (re-exported: `as`)
    Hit as Hit,
    can_match as can_match,
    joined_form as joined_form,
    may_match as may_match,
    required_literals as required_literals,
    search_all as search_all,
)
from auditor.document.search import _absent as _absent  # for the prefilter's tests
from auditor.models import Document, Evidence, Line, Part

EXCERPT = 36  # characters of context on each side of a match


def excerpt(line: Line, span: tuple[int, int] | None = None) -> str:
    """The original text around a span of the normalized line (mapped back when normalization
    closed gaps between ideographs and digits, so the evidence quotes what the document says)."""
    text = line.text
    text_stripped = text.strip()
    if span is None:
        return text_stripped if len(text_stripped) <= 2 * EXCERPT else text_stripped[: 2 * EXCERPT] + "…"
    a, b = original_span(line.text, line.norm, span)
    lo, hi = max(0, a - EXCERPT), min(len(text), b + EXCERPT)
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def place(line: Line) -> str:
    """Where a person finds a line, for messages: 第3段 / 第2页第1段 from the loader, else 第N行."""
    return line.where or f"第{line.no}行"


_SIMPLE_PLACE = LazyPattern(r"第(\d+)([行段])")


def places(lines: Iterable[Line], *, compact: bool = False) -> str:
    """Several places, each once, in order: 第2行、第4行 (compact: 第2、4行, or 第3、5段 when they are
    all of one simple kind); 第2页第1段、第3页第4段."""
    at = list(dict.fromkeys(place(ln) for ln in lines))
    simple = [_SIMPLE_PLACE.fullmatch(a) for a in at]
    if compact and at and all(simple) and len({m.group(2) for m in simple if m}) == 1:
        return "第" + "、".join(m.group(1) for m in simple if m) + (simple[0].group(2) if simple[0] else "")
    return "、".join(at)


def evidence(line: Line, span: tuple[int, int] | None = None) -> Evidence:
    return Evidence(line=line.no, text=excerpt(line, span), where=line.where)


_ENDS_SENTENCE = LazyPattern(r"[。!?;…”\"’」』]\s*$")  # not “)”: “…联席(扩大)” goes on


def ends_in(doc: Document, parts: tuple[Part, ...]) -> Line | None:
    """The last line of the report when the text is cut off inside these parts: nothing after them
    (no later part, no signature) and the last sentence stops in the middle (“…全年排查化解矛盾纠纷391件,
    化解率达96%,推进民主法治示范社”: a page copied only in its beginning). What such a part does
    not say may stand beyond the cut, so a rule about what it lacks cannot judge. None otherwise."""
    if not parts or not doc.parts or doc.parts[-1] not in parts:
        return None
    if doc.signature.body is not None or doc.signature.date is not None:
        return None
    last = doc.parts[-1].lines[-1]
    if any(ln.no > last.no for ln in doc.content) or _ENDS_SENTENCE.search(last.norm):
        return None
    return last
