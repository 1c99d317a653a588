"""Which report type (pack) a document is: from its title, then its preamble, then its headings.

The signs are pack data (`detect:` and `roles:` in rules/*.yaml). Each pack is ranked by the
strongest level at which one of its signs appears (title > preamble > headings); packs tied at
that level are told apart by how many of their part roles the headings name, then by the pack's
`priority`: a pack with narrower title/preamble signs declares a higher one. When only headings
decide, the lower priority (the more general pack) wins a tie, since no narrow sign was seen.
A document whose title names another kind of document (通知, 方案 …) is no report.
"""

from __future__ import annotations

import re
from typing import Mapping, NamedTuple

from auditor.models import Document, Line
from auditor.document.roles import assign
from auditor.packs.ruleset import Pack

_TITLE, _PREAMBLE, _HEADINGS = 3, 2, 1
_REASON = {_TITLE: "title", _PREAMBLE: "preamble", _HEADINGS: "headings"}

# Kinds of official document other than a report (《党政机关公文处理工作条例》第八条, plus 方案,
# 办法, 规定, 细则): a notice about writing reports names the reports in its title but is none.
# Not 要点/计划/提纲: “…工作总结和2024年工作要点” and “述法提纲” are reports.
_OTHER_KIND = re.compile(r"(通知|方案|意见|办法|规定|细则|决定|决议|通报|公告|通告|批复|请示|纪要|函)[\s。.)）]*$")


class Detection(NamedTuple):
    pack: Pack
    document: Document  # with the pack's roles and year
    evidence: Line | None  # the line that decided
    reason: str  # "title" | "preamble" | "headings" | "forced"


def _sign(doc: Document, pack: Pack) -> tuple[int, Line | None]:
    """The strongest level at which the pack's signs appear, and the line that shows it."""
    for ln in doc.title:
        if any(rx.search(ln.norm) for rx in pack.detect_title):
            return _TITLE, ln
    # A report with no title line often states its type in its first lines (现将…报告如下).
    for ln in (*doc.preamble[:3], *doc.content[:3]):
        if any(rx.search(ln.norm) for rx in pack.detect_preamble):
            return _PREAMBLE, ln
    return 0, None


def other_kind(doc: Document) -> Line | None:
    """The title line when it names a kind of document that is not a report, else None."""
    head = doc.title[-1:] or doc.content[:1]
    return next((ln for ln in head if len(ln.norm.strip()) <= 80 and _OTHER_KIND.search(ln.norm.strip())), None)


def detect(doc: Document, packs: Mapping[str, Pack]) -> Detection | None:
    """The best-matching pack, or None when the document shows no sign of any report type."""
    if other_kind(doc) is not None:
        return None
    signs = {pid: _sign(doc, pack) for pid, pack in packs.items()}
    top = max((level for level, _ in signs.values()), default=0)
    best: tuple[tuple[int, int, int], Detection] | None = None
    for pid, (level, line) in signs.items():
        if level < top:
            continue  # a weaker sign never wins: spare its role assignment
        pack = packs[pid]
        assigned = assign(doc, pack.roles, pack.year)
        named = [p for p in assigned.parts if p.role and not p.inferred]
        roles = len({p.role for p in named})
        if level == 0 and roles >= 2:
            level, line = _HEADINGS, named[0].heading
        rank = (level, roles, pack.detect_priority if level > _HEADINGS else -pack.detect_priority)
        if level and (best is None or rank > best[0]):
            best = (rank, Detection(pack, assigned, line, _REASON[level]))
    return best[1] if best else None


def forced(doc: Document, pack: Pack) -> Detection:
    """The pack the user chose with --pack."""
    return Detection(pack, assign(doc, pack.roles, pack.year), None, "forced")
