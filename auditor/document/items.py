"""A part's body split into the items it lists: shortcomings in part 2, measures in part 4.

Real reports list them in one of three ways, and an item keeps what belongs to it:
- sub-headings at the start of lines, （一）… or 1. …: an item runs from its sub-heading to the
  next one of the same style (the first style met is the item level; deeper ones stay inside);
- inline enumerations, 一是…二是… or 第一，…: an item runs to the next one, across lines; the items
  after an inline label of causes (“…。产生这些问题的原因主要有：一是…”) are marked `cause`;
- neither: each paragraph, or in a single paragraph each sentence (。；), is an item; a
  sentence giving the cause (原因：…, 究其原因…) stays with the one before it.
Text before the first enumerated item (“但也存在一些问题，主要表现在：”) is no item, nor is a line that
only labels what follows (“（一）存在的不足”); the items after a label of causes (“法治建设不足的原因”,
“（二）原因分析”) are marked `cause`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.document.normalize import original_span
from auditor.document.patterns import INLINE_ENUM, SUB_HEADING, LazyPattern
from auditor.models import Evidence, Line

_SENTENCE_END = LazyPattern(r"[。;!?]")
# a sentence that gives the cause of the one before it, or goes on about it
_CAUSE = LazyPattern(r"^\s*(原因|究其原因|其原因|主要原因|分析原因|这主要是|主要是由于|这是由于|根源)")
_LEAD = LazyPattern(r"\s*(?:[一二三四五六七八九十]{1,2}是|第[一二三四五六七八九十]{1,2}[,、])\s*")
QUOTE_CHARS = 40  # an item's quotation: its first sentence, at most this many characters


class Segment(NamedTuple):
    line: Line
    start: int  # span in line.norm
    end: int


class Item(NamedTuple):
    """One listed item: the pieces of lines it spans, in order."""

    segments: tuple[Segment, ...]
    cause: bool = False  # listed under a label of causes (原因分析)

    @property
    def text(self) -> str:
        """The item's normalized text (its pieces joined)."""
        return "".join(s.line.norm[s.start:s.end] for s in self.segments).strip()

    @property
    def line(self) -> Line:
        return self.segments[0].line

    @property
    def statement(self) -> str:
        """The item's first sentence, normalized (Simplified characters, as `text`), without its number."""
        seg = self.segments[0]
        a, b = self._first_sentence()
        return seg.line.norm[a:b].strip()

    def _first_sentence(self) -> tuple[int, int]:
        """The first sentence's span in the first segment's line.norm, its number left out."""
        seg = self.segments[0]
        norm = seg.line.norm
        start = seg.start
        m = SUB_HEADING.match(norm, start) if start == 0 else None
        m = m or _LEAD.match(norm, start)
        if m:
            start = m.end()
        end = seg.end
        stop = _SENTENCE_END.search(norm, start, end)
        if stop:
            end = stop.end()
        return start, end

    def quote(self, limit: int = QUOTE_CHARS) -> str:
        """The item's first sentence in the document's own characters, without its number."""
        seg = self.segments[0]
        a, b = original_span(seg.line.text, seg.line.norm, self._first_sentence())
        text = seg.line.text[a:b].strip()
        return text if len(text) <= limit else text[:limit - 1] + "…"

    def evidence(self) -> Evidence:
        return Evidence(line=self.line.no, text=self.quote(), where=self.line.where)

    def find(self, words: str) -> tuple[Line, tuple[int, int]] | None:
        """Where in the item's lines the (normalized) words stand: (line, span in line.norm)."""
        for seg in self.segments:
            at = seg.line.norm.find(words, seg.start, seg.end)
            if at >= 0:
                return seg.line, (at, at + len(words))
        return None


def _style(m: re.Match[str]) -> int:
    """Which of SUB_HEADING's forms matched: （一） 一） 1. (1)."""
    return next(i for i in range(1, 5) if m.group(i))


_NUMBER = LazyPattern(r"^\s*(?:[(]?[一二三四五六七八九十\d]{1,2}[)、.,]|[一二三四五六七八九十]{1,2}是)?\s*")
_LABEL = LazyPattern(r"(?:存在的?|主要|突出|当前)*(?:问题|不足|差距|短板|表现)(?:[和及与](?:不足|原因|差距))?"
                    r"|问题(?:[和及与](?:不足|原因))?")
_CAUSE_LABEL = LazyPattern(r"(?:.{0,12}的)?(?:主要)?原因(?:分析)?|(?:问题|不足)(?:产生|存在)?的(?:主要)?原因")


# the end of an item that introduces the causes listed after it: 产生这些问题的原因主要有： / 究其原因：
_CAUSE_INTRO = LazyPattern(r"(?:原因|根源)[^。;,]{0,6}[:]?\s*$")


def _label(norm: str) -> str | None:
    """"cause" or "items" when the line only labels what follows, else None."""
    text = _NUMBER.sub("", norm).strip().rstrip(":").strip()
    if not text or len(text) > 16:
        return None
    if _CAUSE_LABEL.fullmatch(text):
        return "cause"
    return "items" if _LABEL.fullmatch(text) else None


#: The latest splits, by the identities of the lines split: two rules read the plan part's items
#: (AR203 and AR207, DR103 and DR207). Each entry holds its lines, so their ids stay their own.
_SPLITS: dict[tuple[int, ...], tuple[tuple[Line, ...], tuple[Item, ...]]] = {}


def split_items(lines: tuple[Line, ...]) -> tuple[Item, ...]:
    """The items the lines list (see the module's docstring); () for no text. (Items are
    immutable: a split asked for again of the same lines is the one made before.)"""
    key = tuple(map(id, lines))
    held = _SPLITS.get(key)
    if held is not None:
        return held[1]
    items = _split(lines)
    if len(_SPLITS) >= 8:
        _SPLITS.clear()
    _SPLITS[key] = (tuple(lines), items)
    return items


def _split(lines: tuple[Line, ...]) -> tuple[Item, ...]:
    lines = tuple(ln for ln in lines if ln.norm.strip())
    at = next((i for i, ln in enumerate(lines) if _label(ln.norm) == "cause"), None)
    if at is not None:
        causes = tuple(i._replace(cause=True) for i in split_items(lines[at + 1:]))
        return split_items(lines[:at]) + causes
    while lines and _label(lines[0].norm) == "items":
        lines = lines[1:]
    if not lines:
        return ()
    level = next((_style(m) for ln in lines for m in [SUB_HEADING.match(ln.norm)] if m), None)
    if level is not None:
        return _by_subheadings(lines, level)
    cuts = [(i, m.start(1) if m.group(1) else m.start(2) - 1)
            for i, ln in enumerate(lines) for m in INLINE_ENUM.finditer(ln.norm)]
    if len(cuts) >= 2:
        return _by_cuts(lines, cuts)
    return _by_sentences(lines)


def _by_subheadings(lines: tuple[Line, ...], level: int) -> tuple[Item, ...]:
    items: list[list[Segment]] = []
    for ln in lines:
        m = SUB_HEADING.match(ln.norm)
        if m and _style(m) == level:
            items.append([])
        if items:  # lines before the first item introduce the list
            items[-1].append(Segment(ln, 0, len(ln.norm)))
    return tuple(Item(tuple(segs)) for segs in items)


def _by_cuts(lines: tuple[Line, ...], cuts: list[tuple[int, int]]) -> tuple[Item, ...]:
    items = []
    bounds = [*cuts, (len(lines) - 1, len(lines[-1].norm))]
    for (li, a), (lj, b) in zip(bounds, bounds[1:]):
        segs = [Segment(lines[li], a, len(lines[li].norm) if lj > li else b)]
        segs += [Segment(lines[k], 0, len(lines[k].norm)) for k in range(li + 1, lj)]
        if lj > li and b > 0:
            segs.append(Segment(lines[lj], 0, b))
        items.append(Item(tuple(s for s in segs if s.line.norm[s.start:s.end].strip())))
    items = [i for i in items if i.segments]
    # “…二是普法宣传形式单一。产生这些问题的原因主要有：一是…二是…”: the items after an inline
    # label of causes are causes
    at = next((k for k, i in enumerate(items) if _CAUSE_INTRO.search(i.text)), None)
    if at is not None:
        items[at + 1:] = [i._replace(cause=True) for i in items[at + 1:]]
    return tuple(items)


def _by_sentences(lines: tuple[Line, ...]) -> tuple[Item, ...]:
    if len(lines) > 1:  # paragraphs: one item each
        return tuple(Item((Segment(ln, 0, len(ln.norm)),)) for ln in lines)
    ln = lines[0]
    items: list[list[Segment]] = []
    start = 0
    for m in [*_SENTENCE_END.finditer(ln.norm), None]:
        end = m.end() if m else len(ln.norm)
        if ln.norm[start:end].strip():
            seg = Segment(ln, start, end)
            if items and _CAUSE.match(ln.norm[start:end]):
                items[-1].append(seg)
            else:
                items.append([seg])
        start = end
    return tuple(Item(tuple(segs)) for segs in items)
