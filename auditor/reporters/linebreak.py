"""Line breaking for Chinese text in terminal tables (the rich scorecard).

rich wraps at spaces and folds anything longer anywhere, which for Chinese puts a lone `》` or
`，相关内容` at the start of a line and cuts file names in two. Here the break opportunities
follow the usual Chinese typesetting rules (禁则): a line never starts with closing punctuation
(，。、；：？！）》”… and their ASCII forms) and never ends with opening punctuation (（《“…);
between other Chinese characters a line may break anywhere; a run of Latin letters, digits and
ASCII symbols (a number, a rule id, a file name without spaces) and any span the caller asks to
keep (a file name with Chinese in it) stays whole unless it is wider than the line itself.

Why not a UAX #14 library: it would also allow breaks inside file names (after `/`, `-`) and
needs the keep-whole spans anyway; the two rules above are all the scorecard needs.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterable, Iterator, Sequence

#: characters that may not start a line (they close or follow what precedes them)
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—%％·,.;:?!)]}>"
                     "\u3000" "～~" "ー" "々")
#: characters that may not end a line (they open what follows them)
NO_END = frozenset("（《「『【〔〈“‘([{<")


def cells(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _atoms(text: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    """Unbreakable pieces of one paragraph as (start, end) offsets; spaces are pieces of their own."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        kept = next((k for k in keep if k and text.startswith(k, i)), None)
        if kept:
            j = i + len(kept)
        elif text[i] == " ":
            j = i + 1
        elif text[i].isascii():
            j = i + 1
            while j < n and text[j].isascii() and text[j] != " " and not any(k and text.startswith(k, j) for k in keep):
                j += 1
        else:
            j = i + 1
        spans.append((i, j))
        i = j
    return spans


def _groups(text: str, keep: Sequence[str]) -> list[tuple[int, int]]:
    """Atoms glued by the 禁则: closing punctuation to what precedes it, opening to what follows."""
    groups: list[tuple[int, int]] = []
    glue_next = False
    for a, b in _atoms(text, keep):
        piece = text[a:b]
        if groups and text[groups[-1][1] - 1] != " " and piece != " " and (glue_next or piece[0] in NO_START):
            groups[-1] = (groups[-1][0], b)
        else:
            groups.append((a, b))
        glue_next = piece != " " and piece[-1] in NO_END
    return groups


def _hard_split(text: str, a: int, b: int, width: int) -> Iterator[tuple[int, int]]:
    """A piece wider than the line: cut by cells (the only case where anything is cut)."""
    start, used = a, 0
    for i in range(a, b):
        w = cells(text[i])
        if used + w > width and i > start:
            yield start, i
            start, used = i, 0
        used += w
    yield start, b


def wrap_spans(text: str, width: int, keep: Sequence[str] = ()) -> list[tuple[int, int]]:
    """The lines of `text` at `width` cells as (start, end) offsets into `text` (newlines end
    paragraphs; spaces at either end of a wrapped line are dropped)."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n"):
        start: int | None = None
        end = used = 0
        for a, b in _groups(para, keep):
            piece = para[a:b]
            w = cells(piece)
            if piece == " ":
                if start is None and a == 0 or start is not None and used + 1 <= width:
                    start = a if start is None else start  # a paragraph's own indent is kept
                    used += 1
                    end = b if end <= a and start == a else end
                elif start is not None:
                    lines.append((offset + start, offset + end))
                    start = None
                continue
            if start is not None and used + w > width:
                lines.append((offset + start, offset + end))
                start = None
            if w > width:
                *full, (a, _) = _hard_split(para, a, b, width)
                lines += [(offset + x, offset + y) for x, y in full]
                w = cells(para[a:b])
            if start is None:
                start, used = a, 0
            used += w
            end = b
        lines.append((offset + start, offset + end) if start is not None else (offset, offset))
        offset += len(para) + 1
    return lines


def wrap(text: str, width: int, keep: Sequence[str] = ()) -> list[str]:
    return [text[a:b] for a, b in wrap_spans(text, width, keep)]


def min_width(text: str, keep: Sequence[str] = ()) -> int:
    """The widest piece that cannot be broken (what a column needs to show it whole)."""
    return max((cells(p[a:b]) for p in text.split("\n") for a, b in _groups(p, keep)), default=0)


class Wrapped:
    """A rich renderable: styled text (a rich Text, or pieces of (text, style)) wrapped by the
    rules above. Used for every cell of the scorecard table whose text may be Chinese."""

    def __init__(self, text: Any, keep: Iterable[str] = ()):
        from rich.text import Text

        if isinstance(text, str):
            text = Text(text)
        elif not isinstance(text, Text):
            t = Text()
            for piece, style in text:
                t.append(piece, style=style or "")
            text = t
        self.text = text
        self.keep = tuple(k for k in keep if k)

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.measure import Measurement

        plain = self.text.plain
        widest = max((cells(p) for p in plain.split("\n")), default=0)
        return Measurement(min(min_width(plain, self.keep), options.max_width), min(widest, options.max_width))

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.segment import Segment

        plain = self.text.plain
        for a, b in wrap_spans(plain, options.max_width, self.keep):
            line = self.text[a:b]
            line.end = ""
            yield from line.render(console)
            yield Segment.line()
