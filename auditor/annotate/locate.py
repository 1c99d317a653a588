"""Where each finding belongs in the document: the lines its evidence quotes, or, for something
missing, the place it should go. Shared by `auditor annotate` (Word comments) and the web page
(highlighted passages and "missing here" markers).

A missing part goes after the last present part that the pack's order puts before it; a missing
signature or date goes after the last line of the report; anything else without evidence sits on
the heading of the part the rule looks at, or on the title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from auditor.models import Document, Line, RawText, RuleResult, Scorecard, Status

#: statuses that get a mark (passes and skips need none; a waived rule was accepted on purpose)
MARKED = (Status.FAIL, Status.WARN)
MAX_MARKS_PER_RULE = 20
#: kinds whose failure is always something missing at a place, whatever lines they quote
MISSING_KINDS = frozenset({"signature"})  # a draft full of “XX” gets its first 20 marked, not hundreds of comments


@dataclass(frozen=True)
class Mark:
    """One finding at one place: on line `line` (1-based, as in the evidence), or after it when
    the finding is about something missing there."""

    result: RuleResult
    line: int
    after: bool = False
    quote: str = ""  # the evidence excerpt (empty for a missing thing)


@dataclass(frozen=True)
class Analysis:
    """A scorecard with the text and structure it was computed from (None when unreadable)."""

    card: Scorecard
    raw: RawText | None
    doc: Document | None
    pack: Any  # ruleset.Pack | None


def analyse(path: str, packs: Mapping[str, Any], options: Any,
            load: Callable[..., RawText] | None = None) -> Analysis:
    """Audit a file as `check` does (same time budget and error cards) and keep its structure."""
    from auditor import loaders
    from auditor.run.detect import detect, forced
    from auditor.run.engine import audit_file
    from auditor.document.structure import build

    seen: list[RawText] = []

    def capture(p: str, **kw: Any) -> RawText:
        raw = (load or loaders.load)(p, **kw)
        seen.append(raw)
        return raw

    card = audit_file(path, packs, options, loader=capture)
    if card.verdict == "error" or not seen or card.pack is None or card.pack not in packs:
        return Analysis(card, seen[0] if seen else None, None, None)
    raw = seen[0]
    # the structure is cheap to rebuild (well under a millisecond per page) and the engine
    # keeps it to itself; detection is deterministic, so this is the structure the rules saw
    doc = build(raw)
    found = forced(doc, packs[card.pack]) if options.pack != "auto" else detect(doc, packs)
    if found is None:
        return Analysis(card, raw, None, None)
    return Analysis(card, raw, found.document, found.pack)


def _part_order(pack: Any) -> list[str]:
    """The pack's order of part roles: the part_order rule's, else its part_present rules'."""
    for rule in pack.rules:
        if rule.kind == "part_order" and getattr(rule.params, "order", None):
            return list(rule.params.order)
    return [r.params.role for r in pack.rules if r.kind == "part_present"]


def _last_content(doc: Document) -> Line | None:
    return doc.content[-1] if doc.content else None


def title_line(doc: Document) -> Line | None:
    return doc.title[0] if doc.title else (doc.content[0] if doc.content else None)


def missing_place(result: RuleResult, doc: Document, pack: Any) -> tuple[Line, bool] | None:
    """(line, after) for a finding without evidence."""
    spec = pack.rule(result.rule) if pack is not None else None
    kind = spec.kind if spec is not None else ""
    if spec is not None and kind == "part_present":
        order = _part_order(pack)
        role = spec.params.role
        before = set(order[: order.index(role)]) if role in order else set()
        prior = [p for p in doc.parts if p.role in before]
        if prior:
            return prior[-1].lines[-1], True
        head = (doc.preamble or doc.title)
        if head:
            return head[-1], True
        return (doc.parts[0].heading, False) if doc.parts else None
    if kind in ("signature", "date_window"):
        if doc.signature.body is not None:
            return doc.signature.body, True  # the date belongs under the issuing body
        last = doc.parts[-1].lines[-1] if doc.parts else _last_content(doc)
        return (last, True) if last is not None else None
    # the part the rule reads (its scope), or the part a part-level kind names
    role = spec.scope.role if spec is not None and spec.scope is not None else getattr(spec and spec.params, "role", None)
    parts = doc.parts_with_role(role) if isinstance(role, str) else ()
    if parts:
        return parts[0].heading, False
    line = title_line(doc)
    return (line, False) if line is not None else None


def marks(analysis: Analysis) -> list[Mark]:
    """Every finding of the card at its place(s), in document order."""
    doc = analysis.doc
    out: list[Mark] = []
    valid = {ln.no for ln in doc.lines} if doc is not None else set()
    for r in analysis.card.results:
        if r.status not in MARKED:
            continue
        located = [e for e in r.evidence if e.line and (not valid or e.line in valid)]
        spec = analysis.pack.rule(r.rule) if analysis.pack is not None else None
        if spec is not None and spec.kind in MISSING_KINDS:
            located = []  # its evidence is context (a title that is no signature): mark the gap
        if located:
            out += [Mark(r, e.line, False, e.text) for e in located[:MAX_MARKS_PER_RULE] if e.line]
            continue
        placed = missing_place(r, doc, analysis.pack) if doc is not None else None
        if placed is not None:
            out.append(Mark(r, placed[0].no, placed[1]))
    out.sort(key=lambda m: (m.line, m.after))
    return out
