"""Helpers shared by the check kinds: scopes, excerpts, evidence."""

from __future__ import annotations

import re
from typing import Any, Iterable

from auditor.models import Document, Evidence, Line, Part

EXCERPT = 36  # characters of context on each side of a match

ROLE_PARAM: dict[str, Any] = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
PATTERNS_PARAM: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


def excerpt(line: Line, span: tuple[int, int] | None = None) -> str:
    """The original text around a span of the normalized line (same length, so same offsets)."""
    text = line.text if len(line.text) == len(line.norm) else line.norm
    text_stripped = text.strip()
    if span is None:
        return text_stripped if len(text_stripped) <= 2 * EXCERPT else text_stripped[: 2 * EXCERPT] + "…"
    a, b = span
    lo, hi = max(0, a - EXCERPT), min(len(text), b + EXCERPT)
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def place(line: Line) -> str:
    """Where a person finds a line, for messages: 第3段 / 第2页第1段 from the loader, else 第N行."""
    return line.where or f"第{line.no}行"


def evidence(line: Line, span: tuple[int, int] | None = None) -> Evidence:
    return Evidence(line=line.no, text=excerpt(line, span), where=line.where)


def parts_for(doc: Document, role: str | None) -> tuple[Part, ...]:
    return doc.parts if role is None else doc.parts_with_role(role)


def scope_lines(doc: Document, role: str | None) -> tuple[Line, ...]:
    """Lines a check looks at: the parts of a role (heading included), or the whole report."""
    if role is None:
        return doc.content
    return tuple(ln for p in doc.parts_with_role(role) for ln in p.lines)


def may_match(patterns: Iterable[re.Pattern[str]], joined: str) -> tuple[re.Pattern[str], ...]:
    """The patterns that can match somewhere in `joined` (anchored ones are always kept)."""
    return tuple(rx for rx in patterns if "^" in rx.pattern or "$" in rx.pattern or rx.search(joined))


def search_all(lines: Iterable[Line], patterns: Iterable[re.Pattern[str]]) -> list[tuple[Line, re.Match[str]]]:
    """Every non-overlapping match of any pattern, in line order."""
    scope = tuple(lines)
    # One search over the whole scope first: most patterns (placeholders, say) match nowhere,
    # and then the per-line loop is skipped. Patterns are line-oriented, hence the newlines.
    joined = "\n".join(ln.norm for ln in scope)
    pats = may_match(patterns, joined)
    hits: list[tuple[Line, re.Match[str]]] = []
    for rx in pats:
        for ln in scope:
            hits.extend((ln, m) for m in rx.finditer(ln.norm))
    hits.sort(key=lambda h: (h[0].no, h[1].start()))
    return hits
