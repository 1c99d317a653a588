"""Kind `year_consistency`: the report year is known and the years named in headings agree.

A part about the reported year (year_offset 0 in the pack's roles) must name that year, if it
names one; the plan part (year_offset 1) must name the next year. params: `roles` (which roles
to check; default: all).
Passes: title 2023, “四、2024年工作安排”. Fails: title 2025 with “一、2024年法治政府建设基本情况”.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Names, Target
from auditor.checks.matching import evidence, place
from auditor.models import Met, Outcome
from auditor.document.patterns import years_in
from auditor.document.roles import heading_text


class Params(NamedTuple):
    roles: Names = ()  # empty: every role


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    year = doc.report_year
    if year is None:
        return Outcome(Met.UNMET, "")  # the rule's message says where the year was looked for
    offsets = {r.name: r.year_offset for r in ctx.roles}
    wanted = params.roles
    bad = []
    for part in doc.parts:
        if part.role is None or part.inferred or (wanted and part.role not in wanted):
            continue
        named = years_in(heading_text(part))
        if not named:
            continue
        expect = year + offsets.get(part.role, 0)
        if named[0][0] != expect:
            bad.append((part, named[0][0], expect))
    if bad:
        part, got, expect = bad[0]
        detail = "，".join(f"{place(p.heading)}的“{ctx.role_title(p.role or '')}”写的却是{g}年（应为{e}年）"
                          for p, g, e in bad)
        return Outcome(Met.UNMET, f"报告年度是{year}年，{detail}。", tuple(evidence(p.heading) for p, _, _ in bad))
    src = tuple(evidence(doc.year_evidence) for _ in (0,) if doc.year_evidence is not None)
    return Outcome(Met.MET, f"报告年度{year}年，各部分年份一致", src)


KIND: CheckKind[Params] = Kind("year_consistency", Params, check, doc=__doc__)
