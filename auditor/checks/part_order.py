"""Kind `part_order`: the parts come in the given order of roles.

params: `order` (role names, first to last). Parts without a role are ignored. Not applicable
when fewer than two of the roles are present.
Passes: 一、举措和成效 二、不足和原因 三、第一责任人 … Fails: the duties part before the shortcomings part.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Names, Schema, Target
from auditor.checks.matching import evidence, place
from auditor.models import Met, Outcome


class Params(NamedTuple):
    order: Annotated[Names, Schema(minItems=2)]


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    rank = {role: i for i, role in enumerate(params.order)}
    seq = [p for p in target.doc.parts if p.role in rank]
    if len({p.role for p in seq}) < 2:
        return Outcome(Met.NOT_APPLICABLE, "能识别的部分不到两个，无法判断顺序")
    for earlier, later in zip(seq, seq[1:]):
        if rank[later.role or ""] < rank[earlier.role or ""]:
            a, b = ctx.role_title(earlier.role or ""), ctx.role_title(later.role or "")
            return Outcome(
                Met.UNMET,
                f"“{b}”（{place(later.heading)}）应排在“{a}”（{place(earlier.heading)}）之前。",
                (evidence(earlier.heading), evidence(later.heading)),
            )
    return Outcome(Met.MET, "各部分顺序符合规定", tuple(evidence(p.heading) for p in seq))


KIND: CheckKind[Params] = Kind("part_order", Params, check, doc=__doc__,
                                   part_order=lambda p: tuple(p.order))
