"""Weighed signs of what kind of document a text is: where to look, what to look for, how much it counts.

A sign is data (the packs' `detect:` and the not-a-report kinds' file); this module only knows the
places a careful reviewer looks at: the title, the opening lines, the headings and the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

from auditor.document.patterns import LazyPattern, Rx, lazy
from auditor.document.search import Needs, first_and_count, needs_of, ruled_out
from auditor.models import Document, Line

WHERE = ("title", "opening", "headings", "body")
_QUOTED = LazyPattern(r"《[^《》]*》")
_OPENING_LINES = 4
_HEADLINE = LazyPattern(r"^[^,。;:!?]{6,40}$")
_NAMES_REPORT = LazyPattern(r"报告|总结|汇报|述法|情况\s*$|解读|通知|方案|要点|规定|办法")


@dataclass(frozen=True)
class Sign:
    where: str  # title | opening | headings | body
    weight: float
    sources: tuple[str, ...]  # its patterns' text
    max: int = 1  # body signs: how many occurrences count (how much of the text is about it)
    name: str = ""
    _compiled: tuple[Rx, ...] | None = field(default=None, init=False, repr=False, compare=False)
    # (its patterns' `needs_of`,) once looked up
    _needs: tuple[tuple[Needs, ...] | None] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def patterns(self) -> tuple[Rx, ...]:
        """Its patterns, each compiled when a search first needs it (patterns.lazy): compiling
        costs ~0.2 ms a pattern (up to 1 ms with an ideograph class) at every start, and most
        not-a-report kinds' patterns are ruled out in a report by their literals alone, one by
        one even when another pattern of the same sign is searched."""
        compiled = self._compiled
        if compiled is None:
            compiled = tuple(lazy(p) for p in self.sources)
            object.__setattr__(self, "_compiled", compiled)
        return compiled

    def search(self, lines: tuple[Line, ...]) -> tuple[int | None, int]:
        """(index of the first line of `lines` it shows in, or None; its matches, up to `max`)."""
        if self._compiled is None:
            box = self._needs
            if box is None:
                box = (needs_of(self.sources),)
                object.__setattr__(self, "_needs", box)
            if box[0] is not None and ruled_out(box[0], lines):
                return None, 0  # no need to compile it: no pattern can match
        return first_and_count(lines, self.patterns, self.max)


def compile_signs(items: list[Mapping[str, Any]], where_default: str = "body") -> tuple[Sign, ...]:
    """Validated sign data → Sign records (patterns compiled when first searched)."""
    return tuple(
        Sign(where=x.get("where", where_default), weight=float(x.get("weight", 1)),
             sources=tuple(x["patterns"]), max=int(x.get("max", 1)), name=str(x.get("name", "")))
        for x in items
    )


def unquoted(text: str) -> str:
    """The text without the documents it cites: “关于《…报告》的解读” names a 解读, not a report.
    A title that is nothing but one cited name (《某县…报告》) is that name."""
    out = _QUOTED.sub("", text)
    return out if re.search(r"[\u4e00-\u9fff]{2}", re.sub(r"\S*[〔\[(]\d{4}[〕\])]\S*号", "", out)) else text.replace("《", "").replace("》", "")


@dataclass(frozen=True)
class Views:
    """The places a reviewer reads, as lines (title joined into one line, cited names removed)."""

    title: tuple[Line, ...]
    opening: tuple[Line, ...]
    headings: tuple[Line, ...]
    body: tuple[Line, ...]

    def of(self, where: str) -> tuple[Line, ...]:
        return getattr(self, where)  # type: ignore[no-any-return]


def views(doc: Document) -> Views:
    title: tuple[Line, ...] = ()
    if doc.title:
        # shown as the line that names the report (the issuer line above it names none)
        shown = next((ln for ln in doc.title if _NAMES_REPORT.search(unquoted(ln.norm))), doc.title[-1])
        joined = unquoted("".join(ln.norm.strip() for ln in doc.title))
        title = (Line(no=shown.no, text=shown.text, norm=joined, where=shown.where),)
    elif doc.preamble and _HEADLINE.match(doc.preamble[0].norm.strip()):
        # no report title, but a headline (某县召开法治政府建设推进会): what other kinds are titled
        title = (doc.preamble[0]._replace(norm=unquoted(doc.preamble[0].norm.strip())),)
    opening = doc.preamble[:_OPENING_LINES]
    if len(opening) < _OPENING_LINES and doc.parts:
        opening = (*opening, *doc.parts[0].body[: _OPENING_LINES - len(opening)])  # headings count as roles
    headings = tuple(p.heading for p in doc.parts) + tuple(s for p in doc.parts for s in p.subheadings)
    body = tuple(ln for ln in (*doc.preamble, *(x for p in doc.parts for x in (p.heading, *p.body))))
    return Views(title=title, opening=tuple(opening), headings=headings, body=body)


class Reach(NamedTuple):
    """An order to weigh signs in (cheap places first, heaviest first), so that a weighing can stop early."""

    order: tuple[int, ...]  # indices into the signs
    left: tuple[float, ...]  # before each, the most the signs not yet weighed can add (against: 0)


# What searching a place costs, roughly: one line or four, a heading a part, the whole text.
_COST = {"title": 0, "opening": 0, "headings": 1, "body": 2}


def reach(signs: tuple[Sign, ...]) -> Reach:
    """The cheap places first (title and opening, then headings, then the body), heaviest first
    within each: a kind whose title and opening show nothing is mostly settled before its body
    signs are searched (the body costs many times a title line), and the order changes no total."""
    most = [max(s.weight, 0.0) * s.max for s in signs]
    order = sorted(range(len(signs)), key=lambda i: (_COST.get(signs[i].where, 2), -most[i]))
    left = [0.0]
    for i in reversed(order):
        left.append(left[-1] + most[i])
    return Reach(tuple(order), tuple(reversed(left[1:])))


# a weighing stops only when even this much more could not change the outcome (float sums)
_SLACK = 1e-9


def weigh_while(signs: tuple[Sign, ...], v: Views, r: Reach, worth: Callable[[float], bool]
                ) -> tuple[float, list[tuple[Sign, Line]]] | None:
    """What `weigh` gives, or None as soon as the total the signs could still reach is not
    `worth` weighing on: the cheap places' signs, heaviest first, are searched first (`r`: `reach(signs)`), and a kind
    that can no longer win is searched no further."""
    weighed: dict[int, tuple[float, Line]] = {}
    got = 0.0
    for i, left in zip(r.order, r.left):
        if not worth(got + left + _SLACK):
            return None
        sign = signs[i]
        lines = v.of(sign.where)
        first, hits = sign.search(lines)
        if first is not None:
            weighed[i] = (sign.weight * min(hits, sign.max), lines[first])
            got += weighed[i][0]
    # the total added up, and the signs listed, in the signs' own order: as `weigh` gives them
    total = 0.0
    found: list[tuple[Sign, Line]] = []
    for i in sorted(weighed):
        total += weighed[i][0]
        found.append((signs[i], weighed[i][1]))
    return total, found


def weights(signs: tuple[Sign, ...], v: Views) -> list[tuple[Sign, float, Line]]:
    """Each sign found, with its weight (its matches, up to `max`, times its weight) and the first
    line showing it.

    A sign counts its matches over the lines of its place, up to `max`; each pattern is searched
    once over those lines joined (auditor.document.search), which finds what a run line by line
    finds, and stops as soon as the count is reached."""
    found: list[tuple[Sign, float, Line]] = []
    for sign in signs:
        lines = v.of(sign.where)
        first, hits = sign.search(lines)
        if first is not None:
            found.append((sign, sign.weight * min(hits, sign.max), lines[first]))
    return found


def weigh(signs: tuple[Sign, ...], v: Views) -> tuple[float, list[tuple[Sign, Line]]]:
    """Total weight of the signs found, and for each sign found the first line showing it."""
    found = weights(signs, v)
    return sum(w for _, w, _ in found), [(s, line) for s, _, line in found]
