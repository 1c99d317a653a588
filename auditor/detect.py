"""Which report type (pack) a document is: from its title, then its preamble, then its headings.

The signs are pack data (`detect:` and `roles:` in rules/*.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from auditor.models import Document, Line
from auditor.roles import assign
from auditor.ruleset import Pack

_TITLE, _PREAMBLE, _HEADINGS = 1000, 100, 10


@dataclass(frozen=True)
class Detection:
    pack: Pack
    document: Document  # with the pack's roles and year
    evidence: Line | None
    reason: str  # "title" | "preamble" | "headings" | "forced"


def _score(doc: Document, pack: Pack) -> tuple[int, Line | None, str]:
    for ln in doc.title:
        if any(rx.search(ln.norm) for rx in pack.detect_title):
            return _TITLE + pack.detect_priority, ln, "title"
    # A report with no title line often states its type in its first lines (现将…报告如下).
    for ln in (*doc.preamble[:3], *doc.content[:3]):
        if any(rx.search(ln.norm) for rx in pack.detect_preamble):
            return _PREAMBLE + pack.detect_priority, ln, "preamble"
    return 0, None, ""


def detect(doc: Document, packs: Mapping[str, Pack]) -> Detection | None:
    """The best-matching pack, or None when the document shows no sign of any report type."""
    best: tuple[int, Detection] | None = None
    for pack in packs.values():
        score, line, reason = _score(doc, pack)
        assigned = assign(doc, pack.roles, pack.year)
        if score == 0:
            named = [p for p in assigned.parts if p.role and not p.inferred]
            if len({p.role for p in named}) >= 2:
                score, line, reason = _HEADINGS * len(named) + pack.detect_priority, named[0].heading, "headings"
        if score and (best is None or score > best[0]):
            best = (score, Detection(pack, assigned, line, reason))
    return best[1] if best else None


def forced(doc: Document, pack: Pack) -> Detection:
    """The pack the user chose with --pack."""
    return Detection(pack, assign(doc, pack.roles, pack.year), None, "forced")
