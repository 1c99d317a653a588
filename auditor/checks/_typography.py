"""Helpers of the 公文规范 kinds: matching on the original text, where full-width and half-width
marks differ (normalization folds them together for the report packs)."""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from auditor.checks import matching
from auditor.checks.matching import EXCERPT
from auditor.document.patterns import Rx
from auditor.models import Evidence, Line

Hit = tuple[Line, re.Match[str]]


def find_in_text(lines: Iterable[Line], patterns: Sequence[Rx]) -> list[Hit]:
    """Every match of any pattern in the lines' original text, in line order."""
    scope = tuple(lines)
    joined = "\n".join(ln.text for ln in scope)
    hits: list[Hit] = []
    for rx in patterns:
        if "^" not in rx.pattern and "$" not in rx.pattern and not rx.search(joined):
            continue  # one search over everything: most marks occur nowhere
        for ln in scope:
            hits.extend((ln, m) for m in rx.finditer(ln.text))
    hits.sort(key=lambda h: (h[0].no, h[1].start()))
    # two patterns of one label may match the same place: count it once
    return list({(ln.no, m.start()): (ln, m) for ln, m in hits}.values())


def by_group(lines: Iterable[Line], groups: Mapping[str, Sequence[Rx]]) -> dict[str, list[Hit]]:
    """label → its hits, for the labels that have any."""
    scope = tuple(lines)
    found = {label: find_in_text(scope, pats) for label, pats in groups.items()}
    return {label: hits for label, hits in found.items() if hits}


def text_evidence(line: Line, span: tuple[int, int]) -> Evidence:
    """The original text around a match of the original text."""
    a, b = span
    lo, hi = max(0, a - EXCERPT), min(len(line.text), b + EXCERPT)
    text = ("…" if lo > 0 else "") + line.text[lo:hi].strip() + ("…" if hi < len(line.text) else "")
    return Evidence(line=line.no, text=text, where=line.where)


def places(hits: Sequence[Hit], shown: int) -> str:
    """第3段、第7段等 (where a person finds them) for the first `shown` lines with hits."""
    lines = list({ln.no: ln for ln, _ in hits}.values())
    return matching.places(lines[:shown]) + ("等" if len(lines) > shown else "")


_HALF_COMMA = re.compile(r"(?<=[\u4e00-\u9fff]),|,(?=[\u4e00-\u9fff])")
_FULL_FOLDED = frozenset("，：；（）！？")  # the marks a normalising copy turns half-width
_FULL_KEPT = frozenset("。、“”《》")  # the marks it leaves, having no half-width twin it knows


def normalised_copy(lines: Iterable[Line], min_marks: int = 10) -> bool:
    """A text whose full-width ，：；（）！？ were all turned half-width (a web page copied, some
    exports): no such mark at all, at least `min_marks` half-width commas beside Chinese, and
    。、“”《》 still full-width. On it the width of a mark says nothing about the document."""
    half = 0
    kept = False
    for ln in lines:
        text = ln.text
        if not _FULL_FOLDED.isdisjoint(text):
            return False
        if not kept and not _FULL_KEPT.isdisjoint(text):
            kept = True
        if half < min_marks:
            half += len(_HALF_COMMA.findall(text))
    return kept and half >= min_marks
