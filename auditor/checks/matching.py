"""What the check kinds share: finding patterns in lines, and quoting what was found."""

from __future__ import annotations

import re
from typing import Iterable

from auditor.document.normalize import original_span
from auditor.models import Evidence, Line

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


def evidence(line: Line, span: tuple[int, int] | None = None) -> Evidence:
    return Evidence(line=line.no, text=excerpt(line, span), where=line.where)


# A pattern is written for one line. `may_match` first searches all lines joined by newlines;
# that is a faithful filter (a line's match is also a match in the joined text) unless the
# pattern anchors at a line's ends or looks around for something a newline could be.
_ESCAPE_OR_CLASS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]")
_LOOKAROUND = re.compile(r"\(\?<?[=!]")
_NEWLINE_LIKE = re.compile(r"\\[sSWDnbBZA]|\[\^|(?<!\\)\.")
_FILTER: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _filter_for(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern to search the joined lines with, or None when only a line-by-line search is faithful."""
    try:
        return _FILTER[rx]
    except KeyError:
        pass
    source = rx.pattern
    bare = _ESCAPE_OR_CLASS.sub("", source)  # `[^…]` and `\^` are not anchors
    found: re.Pattern[str] | None = rx
    if _LOOKAROUND.search(source) and _NEWLINE_LIKE.search(source):
        found = None
    elif "\\A" in source or "\\Z" in source:
        found = None
    elif "^" in bare or "$" in bare:
        found = re.compile(source, rx.flags | re.MULTILINE)  # ^ and $ at every line's ends
    _FILTER[rx] = found
    return found


def may_match(patterns: Iterable[re.Pattern[str]], joined: str) -> tuple[re.Pattern[str], ...]:
    """The patterns that can match some line of `joined` (lines joined by newlines)."""
    out = []
    for rx in patterns:
        f = _filter_for(rx)
        if f is None or f.search(joined):
            out.append(rx)
    return tuple(out)


def search_all(lines: Iterable[Line], patterns: Iterable[re.Pattern[str]]) -> list[tuple[Line, re.Match[str]]]:
    """Every non-overlapping match of any pattern, in line order."""
    scope = tuple(lines)
    # One search over the whole scope first: most patterns (placeholders, say) match nowhere,
    # and then the per-line loop is skipped.
    joined = "\n".join(ln.norm for ln in scope)
    pats = may_match(patterns, joined)
    hits: list[tuple[Line, re.Match[str]]] = []
    for rx in pats:
        for ln in scope:
            hits.extend((ln, m) for m in rx.finditer(ln.norm))
    hits.sort(key=lambda h: (h[0].no, h[1].start()))
    return hits
