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

from auditor import checks
from auditor.checks.contract import Placement
from auditor.models import Document, Line, RawText, RuleResult, Status
from auditor.run.engine import Audit

#: statuses that get a mark (passes and skips need none; a waived rule was accepted on purpose)
MARKED = (Status.FAIL, Status.WARN)
MAX_MARKS_PER_RULE = 20


@dataclass(frozen=True)
class Mark:
    """One finding at one place: on line `line` (1-based, as in the evidence), or after it when
    the finding is about something missing there."""

    result: RuleResult
    line: int
    after: bool = False
    quote: str = ""  # the evidence excerpt (empty for a missing thing)


def analyse(path: str, packs: Mapping[str, Any], options: Any,
            load: Callable[..., RawText] | None = None) -> Audit:
    """Audit a file as `check` does (same time budget and error cards), keeping its text and structure."""
    from auditor.run.engine import analyse_file

    return analyse_file(path, packs, options, loader=load)


def _part_order(pack: Any) -> list[str]:
    """The pack's order of part roles: the one a rule declares (part_order), else the order of
    the parts its rules name (part_present)."""
    for rule in pack.rules:
        order = checks.get(rule.kind).part_order(rule.params)
        if order:
            return list(order)
    named = (checks.get(r.kind).part_named(r.params) for r in pack.rules
             if checks.get(r.kind).placement is Placement.ORDER)
    return [role for role in named if role]


def _last_content(doc: Document) -> Line | None:
    return doc.content[-1] if doc.content else None


def title_line(doc: Document) -> Line | None:
    return doc.title[0] if doc.title else (doc.content[0] if doc.content else None)


def missing_place(result: RuleResult, doc: Document, pack: Any) -> tuple[Line, bool] | None:
    """(line, after) for a finding without evidence, where its kind declares it belongs."""
    spec = pack.rule(result.rule) if pack is not None else None
    kind = checks.get(spec.kind) if spec is not None else None
    named = kind.part_named(spec.params) if kind is not None and spec is not None else None
    if kind is not None and kind.placement is Placement.ORDER and named:
        order = _part_order(pack)
        before = set(order[: order.index(named)]) if named in order else set()
        prior = [p for p in doc.parts if p.role in before]
        if prior:
            return prior[-1].lines[-1], True
        head = (doc.preamble or doc.title)
        if head:
            return head[-1], True
        return (doc.parts[0].heading, False) if doc.parts else None
    if kind is not None and kind.placement is Placement.END:
        if doc.signature.body is not None:
            return doc.signature.body, True  # the date belongs under the issuing body
        last = doc.parts[-1].lines[-1] if doc.parts else _last_content(doc)
        return (last, True) if last is not None else None
    # the part the rule reads (its scope), or the part its parameters name
    role = spec.scope.role if spec is not None and spec.scope is not None else named
    parts = doc.parts_with_role(role) if role else ()
    if parts:
        return parts[0].heading, False
    line = title_line(doc)
    return (line, False) if line is not None else None


def marks(audit: Audit) -> list[Mark]:
    """Every finding of the card at its place(s), in document order."""
    doc = audit.document
    pack = audit.pack
    out: list[Mark] = []
    valid = {ln.no for ln in doc.lines} if doc is not None else set()
    for r in audit.card.results:
        if r.status not in MARKED:
            continue
        located = [e for e in r.evidence if e.line and (not valid or e.line in valid)]
        spec = pack.rule(r.rule) if pack is not None else None
        if spec is not None and checks.get(spec.kind).marks_gap:
            located = []  # its evidence is context (a title that is no signature): mark the gap
        if located:
            out += [Mark(r, e.line, False, e.text) for e in located[:MAX_MARKS_PER_RULE] if e.line]
            continue
        placed = missing_place(r, doc, pack) if doc is not None else None
        if placed is not None:
            out.append(Mark(r, placed[0].no, placed[1]))
    out.sort(key=lambda m: (m.line, m.after))
    return out
