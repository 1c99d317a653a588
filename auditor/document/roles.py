"""Give each top-level part a role from its heading, and determine the report year.

Roles and their heading variants are data in the pack (`roles:` in rules/*.yaml); this module
only applies them.
"""

from __future__ import annotations

from typing import NamedTuple

import re

from auditor.models import Document, Line, Part, replace
from auditor.document.patterns import DATE_CN, TOP_HEADING, years_in

_MD = re.compile(r"^\s*#{1,6}\s*")


class RoleSpec(NamedTuple):
    name: str
    title: str  # the part's name as the regulation writes it, for messages
    headings: tuple[re.Pattern[str], ...]
    year_offset: int = 0  # the year a heading of this part names, relative to the report year
    infer_from_thematic: bool = False  # unnamed parts before the first named one take this role


class YearSpec(NamedTuple):
    """Where the report year may be read from besides the title and headings (pack data)."""

    preamble: tuple[re.Pattern[str], ...] = ()


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
        if any(rx.search(text) for rx in role.headings):
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
_REFERRED = re.compile(r"(紧扣|针对|对照|对标|根据|按照|依据|巩固|延续|上一?年度?|去年)[^,。;:]{0,4}$")


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
    return None, None


def assign(doc: Document, roles: tuple[RoleSpec, ...], years: YearSpec) -> Document:
    """A copy of the document with part roles and the report year filled in."""
    with_roles = replace(doc, parts=_with_roles(doc.parts, roles))
    year, evidence = find_year(with_roles, roles, years)
    return replace(with_roles, report_year=year, year_evidence=evidence)
