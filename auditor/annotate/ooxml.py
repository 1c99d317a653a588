"""Character ranges inside a Word paragraph: where a quoted phrase is among the runs, splitting
a run so that a range starts and ends on run boundaries, a comment range around a phrase, and
a tracked change (w:del + w:ins, with author and date) that Word's and WPS's review pane accept
or reject one by one.

A paragraph's text is read as the .docx reader reads it (w:t of its runs, inside hyperlinks,
smart tags and tracked insertions; deleted text, field codes and drawings left out), so an
offset found in the reader's line can be found again here. A tracked change is only written
where the runs are plain content of the paragraph (or of a hyperlink): text inside someone's
pending insertion, a field result or a moved range keeps its comment but gets no change.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from auditor.loaders.docx import _SKIP

_T, _R, _P = qn("w:t"), qn("w:r"), qn("w:p")
_RPR = qn("w:rPr")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_EDITABLE_PARENTS = frozenset({qn("w:p"), qn("w:hyperlink"), qn("w:smartTag")})
_CHAR_TAGS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


class Segment(NamedTuple):
    start: int
    end: int
    node: Any  # the w:t (None for a tab or break, one character of the text)
    run: Any


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def segments(p: Any) -> tuple[str, list[Segment]]:
    """The paragraph's text and where each piece of it is."""
    out: list[Segment] = []
    pos = 0

    def walk(elem: Any, run: Any) -> None:
        nonlocal pos
        for child in elem:
            tag = _local(child.tag)
            if tag in _SKIP:
                continue
            if tag == "t":
                text = child.text or ""
                out.append(Segment(pos, pos + len(text), child, run))
                pos += len(text)
            elif tag in _CHAR_TAGS:
                out.append(Segment(pos, pos + 1, None, run))
                pos += 1
            elif tag == "p":
                continue  # a paragraph nested in run content: not this paragraph's text
            else:
                walk(child, child if tag == "r" else run)

    walk(p, None)
    text = []
    for s in out:
        text.append(s.node.text or "" if s.node is not None else "\t")
    return "".join(text), out


def paragraph_text(p: Any) -> str:
    return segments(p)[0]


def find(text: str, line: str, at: int, length: int) -> int | None:
    """Where line[at:at+length] (the reader's line) is in the paragraph's `text`: the widest
    context around it that occurs once; None when it is not there (numbering Word renders)."""
    if length <= 0 or at < 0 or at + length > len(line):
        return None
    for width in (16, 10, 6, 3, 1, 0):
        a, b = max(0, at - width), min(len(line), at + length + width)
        context = line[a:b]
        first = text.find(context)
        if first < 0:
            continue
        if text.find(context, first + 1) < 0:
            return first + (at - a)
    # the same context several times: the n-th occurrence of the phrase, counted in the line
    phrase = line[at:at + length]
    n = line[:at].count(phrase)
    i = -1
    for _ in range(n + 1):
        i = text.find(phrase, i + 1)
        if i < 0:
            return None
    return i


def _split(run: Any, node: Any, k: int) -> Any:
    """Split `run` before character k of its w:t `node`: the new right-hand run (after `run`),
    holding node's text from k on and every later child. Returns the right-hand run."""
    right = OxmlElement("w:r")
    rpr = run.find(_RPR)
    if rpr is not None:
        right.append(copy.deepcopy(rpr))
    children = list(run)
    idx = children.index(node)
    tail = copy.deepcopy(node)
    tail.text = (node.text or "")[k:]
    node.text = (node.text or "")[:k]
    for t in (node, tail):
        t.set(_XML_SPACE, "preserve")
    right.append(tail)
    for child in children[idx + 1:]:
        right.append(child)
    if not node.text:
        run.remove(node)
    run.addnext(right)
    return right


def _boundary(p: Any, pos: int) -> bool:
    """Make a run boundary at text offset `pos`; False when a piece there cannot be split."""
    _, segs = segments(p)
    for s in segs:
        if s.start < pos < s.end:
            if s.node is None or s.run is None:
                return False
            _split(s.run, s.node, pos - s.start)
            return True
        if s.start == pos and s.run is not None and s.node is not None:
            # a boundary inside one run between two of its children
            before = [c for c in s.run if c.tag != _RPR]
            if before and before[0] is not s.node:
                _split(s.run, s.node, 0)
            return True
    return True


def runs_between(p: Any, a: int, b: int) -> list[Any] | None:
    """The runs that hold exactly text[a:b] (split as needed), in order; None when impossible."""
    if not (_boundary(p, a) and _boundary(p, b)):
        return None
    _, segs = segments(p)
    runs: list[Any] = []
    for s in segs:
        if s.end <= a or s.start >= b:
            continue
        if s.run is None or s.start < a or s.end > b:
            return None
        if not runs or runs[-1] is not s.run:
            runs.append(s.run)
    return runs or None


def anchor_comment(p: Any, comment_id: int, span: tuple[int, int] | None) -> None:
    """Mark text[span] of paragraph `p` as the comment's range (the whole paragraph when span is
    None or cannot be marked), with the reference run after it."""
    start = OxmlElement("w:commentRangeStart", attrs={qn("w:id"): str(comment_id)})
    end = OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): str(comment_id)})
    ref_run = OxmlElement("w:r")
    ref_run.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(comment_id)}))
    runs = runs_between(p, *span) if span is not None and span[0] < span[1] else None
    if runs:
        runs[0].addprevious(start)
        runs[-1].addnext(end)
        end.addnext(ref_run)
        return
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)
    p.append(ref_run)


def track_change(p: Any, a: int, b: int, new: str, *, rev_id: int, author: str, date: str) -> int:
    """Replace text[a:b] of paragraph `p` by `new` as a tracked deletion and insertion; the
    number of revision ids used (0 when the runs there cannot carry a change)."""
    runs = runs_between(p, a, b)
    if not runs:
        return 0
    parent = runs[0].getparent()
    if parent.tag not in _EDITABLE_PARENTS or any(r.getparent() is not parent for r in runs):
        return 0
    kids = list(parent)
    first, last = kids.index(runs[0]), kids.index(runs[-1])
    if kids[first:last + 1] != runs:
        return 0  # something else (a bookmark, a comment mark) lies between them: leave it
    attrs = {qn("w:author"): author, qn("w:date"): date}
    deleted = OxmlElement("w:del", attrs={qn("w:id"): str(rev_id), **attrs})
    runs[0].addprevious(deleted)
    for r in runs:
        deleted.append(r)
        for t in r.findall(_T):
            t.tag = qn("w:delText")
            t.set(_XML_SPACE, "preserve")
    used = 1
    if new:
        inserted = OxmlElement("w:ins", attrs={qn("w:id"): str(rev_id + 1), **attrs})
        run = OxmlElement("w:r")
        rpr = runs[0].find(_RPR)
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        t = OxmlElement("w:t")
        t.text = new
        t.set(_XML_SPACE, "preserve")
        run.append(t)
        inserted.append(run)
        deleted.addnext(inserted)
        used = 2
    return used


def max_id(root: Any) -> int:
    """The largest numeric w:id in a part (revisions, comments and bookmarks share the space
    Word numbers from)."""
    best = 0
    key = qn("w:id")
    for el in root.iter():
        v = el.get(key)
        if v is not None and v.lstrip("-").isdigit():
            best = max(best, int(v))
    return best
