"""Give each top-level part a role from its heading, and determine the report year.

Roles and their heading variants are data in the pack (`roles:` in rules/*.yaml); this module
only applies them.
"""

from __future__ import annotations

from typing import NamedTuple

import re

from auditor.models import Document, Line, Part, replace
from auditor.document.patterns import DATE_CN, TOP_HEADING, LazyPattern, Rx, years_in

_MD = re.compile(r"^\s*#{1,6}\s*")


class RoleSpec(NamedTuple):
    name: str
    title: str  # the part's name as the regulation writes it, for messages
    headings: tuple[Rx, ...]  # compiled when first searched (patterns.lazy)
    year_offset: int = 0  # the year a heading of this part names, relative to the report year
    infer_from_thematic: bool = False  # unnamed parts before the first named one take this role


class YearSpec(NamedTuple):
    """Where the report year may be read from besides the title and headings (pack data)."""

    preamble: tuple[Rx, ...] = ()


def heading_text(part: Part) -> str:
    """The heading without its numbering, cut at the first full stop (body text may follow)."""
    s = _MD.sub("", part.heading.norm)
    m = TOP_HEADING.match(s)
    if m:
        s = s[m.end():]
    return s.split("。")[0][:80].strip()


def _role_of(part: Part, roles: tuple[RoleSpec, ...]) -> str | None:
    text = heading_text(part)
    for role in roles:
        for rx in role.headings:  # (loops: a heading is tested against every role's patterns)
            if rx.search(text):
                return role.name
    return None


def _with_role(part: Part, role: str | None, inferred: bool) -> Part:
    """The part with that role; the same object when nothing changes (the usual case for a
    second pack's assignment, and cheaper than a copy)."""
    if part.role == role and part.inferred == inferred:
        return part
    return replace(part, role=role, inferred=inferred)


def _with_roles(parts: tuple[Part, ...], roles: tuple[RoleSpec, ...]) -> tuple[Part, ...]:
    named = [_with_role(p, _role_of(p, roles), False) for p in parts]
    present = {p.role for p in named if p.role}
    for role in roles:
        if not role.infer_from_thematic or role.name in present:
            continue
        first_named = next((p.index for p in named if p.role), len(named))
        named = [
            _with_role(p, role.name, True) if p.role is None and p.index < first_named else p
            for p in named
        ]
    return tuple(named)


# A year just after these words, in the same clause, names a year the text refers back to, not
# the year it reports on: “紧扣2024年度…短板” in a 2025 report, “对照2023年考核反馈问题”.
_REFERRED = LazyPattern(r"(紧扣|针对|对照|对标|根据|按照|依据|巩固|延续|上一?年度?|去年)[^,。;:]{0,4}$")


def _dated(text: str) -> set[int]:
    """Offsets of years that only begin a full date (2024年3月10日: a stamp, not a report year)."""
    return {m.start() for m in DATE_CN.finditer(text)}


def _cited(text: str, at: int) -> bool:
    """The year at `at` is inside a cited title 《…》 or follows a referring word."""
    before = text[:at]
    return before.count("《") > before.count("》") or bool(_REFERRED.search(before))


def _year_from_lines(lines: tuple[Line, ...]) -> tuple[int, Line] | None:
    for ln in lines:
        dated = _dated(ln.norm)
        ys = [y for y, at in years_in(ln.norm) if at not in dated]
        if ys:
            return ys[0], ln
    return None


def find_year(doc: Document, roles: tuple[RoleSpec, ...], years: YearSpec) -> tuple[int | None, Line | None]:
    """Title first; then a part heading naming a year (minus the role's offset); then the preamble.

    Website chrome (site clocks, 发布日期) never gets here: it is not in the title, parts or
    preamble. In the preamble the pack's patterns are tried in their order over the first lines
    (a stronger sign further down beats a weaker one above it), skipping cited or referred years.
    """
    found = _year_from_lines(doc.title)
    if found:
        return found
    offsets = {r.name: r.year_offset for r in roles}
    for part in doc.parts:
        if part.role is None or part.inferred:
            continue
        ys = years_in(heading_text(part))
        if ys:
            return ys[0][0] - offsets.get(part.role, 0), part.heading
    for rx in years.preamble:
        for ln in doc.preamble[:3]:
            for m in rx.finditer(ln.norm):
                at = m.start("year")
                if at not in _dated(ln.norm) and not _cited(ln.norm, at):
                    return int(m.group("year")), ln
    return _relative_year(doc) or _body_year(doc, roles) or (None, None)


# “今年以来”, “本年度” and “上一年度” in the opening name a year relative to when the page was written.
_THIS_YEAR = LazyPattern(r"(今年|本年度?)(以来|来|,|全年|里|中)")
_LAST_YEAR = LazyPattern(r"(上一?年度|去年)(法治政府建设|履行|履职|工作|情况|以来)")


def _relative_year(doc: Document) -> tuple[int, Line] | None:
    """A relative phrase of the opening read against the page's date (成文日期, else the date the
    report is signed with, else 发布日期).

    Reports are due by April 1 for the year before: a page dated January–March that says 今年以来
    was written in the last days of the year it reports on.
    """
    signed = doc.signature.date_value
    # the page's 成文日期, else the report's own date under its signature (or its cover letter's), else 发布日期
    stamp = doc.meta.get("written") or (f"{signed[0]:04d}-{signed[1]:02d}" if signed else doc.meta.get("published")) or ""
    m = re.match(r"(\d{4})-(\d{2})", stamp)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    for ln in (*doc.preamble[:3], *(doc.parts[0].body[:1] if doc.parts else ())):
        if _THIS_YEAR.search(ln.norm[:20]):
            return (year - 1 if month <= 3 else year), ln
        if _LAST_YEAR.search(ln.norm):
            return year - 1, ln
    return None


# A yearly plan the text carries out (《2023年法治政府建设工作要点》, 列入《2022年度…学习计划》) names the
# year reported on; any other cited document's year does not.
_YEAR_PLAN = LazyPattern(r"《[^《》]{0,12}?(20\d{2})\s*年度?[^《》\d]{0,40}(要点|计划|安排|任务)[^《》]{0,10}》")


def _body_year(doc: Document, roles: tuple[RoleSpec, ...]) -> tuple[int, Line] | None:
    """Last resort: the year the body's own facts are dated in (2024年共签批文件3件), counted over the
    opening and the parts that report (not the plan part), cited and dated years left out; a
    yearly plan being carried out counts half."""
    offsets = {r.name: r.year_offset for r in roles}
    lines = (*doc.preamble, *(ln for p in doc.parts if not offsets.get(p.role or "", 0) for ln in p.body))
    votes: dict[int, float] = {}
    first: dict[int, Line] = {}
    for ln in lines[:40]:
        dated = _dated(ln.norm)
        for y, at in years_in(ln.norm):
            tail = ln.norm[at:at + 8]
            if at in dated or _cited(ln.norm, at) or re.match(r"20\d{2}\s*年?(以前|之前|以后|前|底前)", tail) or \
                    re.search(r"\d\s*[-—–~至]\s*$", ln.norm[:at]):
                continue
            votes[y] = votes.get(y, 0) + 1
            first.setdefault(y, ln)
        for m in _YEAR_PLAN.finditer(ln.norm):
            y = int(m.group(1))
            votes[y] = votes.get(y, 0) + 0.5
            first.setdefault(y, ln)
    if not votes:
        return None
    best = max(votes, key=lambda y: (votes[y], y))
    return best, first[best]


def parts_with_roles(doc: Document, roles: tuple[RoleSpec, ...]) -> tuple[Part, ...]:
    """The document's top-level parts with their roles, as `assign` gives them (the year not
    read: detection weighs both packs' roles, and needs the year of the pack it chooses only)."""
    return _with_roles(doc.parts, roles)


def assign(doc: Document, roles: tuple[RoleSpec, ...], years: YearSpec,
           parts: tuple[Part, ...] | None = None) -> Document:
    """A copy of the document with part roles and the report year filled in; `parts`, when
    given, are `parts_with_roles(doc, roles)` computed before."""
    with_roles = replace(doc, parts=_with_roles(doc.parts, roles) if parts is None else parts)
    year, evidence = find_year(with_roles, roles, years)
    return replace(with_roles, report_year=year, year_evidence=evidence)
