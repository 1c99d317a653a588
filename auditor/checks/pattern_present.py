"""Kind `pattern_present`: patterns occur (at least `min_count` distinct matches) in a scope.

params: `patterns`; `min_count` (default 1); `found_label` (what the matches are, for messages).
The rule's `scope:` names the part it reads (headings included); default the whole report.
Passes: a shortcomings part saying “原因：…”. Fails: problems listed with no cause.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Schema, Scoping, Target
from auditor.checks.matching import evidence, search_all
from auditor.models import Met, Outcome


class Params(NamedTuple):
    patterns: Patterns
    min_count: Annotated[int, Schema(minimum=1)] = 1
    found_label: str = "符合要求的内容"


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    hits = search_all(target.lines, p.patterns)
    distinct = {(ln.no, m.start()) for ln, m in hits}
    shown = tuple(evidence(ln, m.span()) for ln, m in hits[:3])
    if len(distinct) >= p.min_count:
        return Outcome(Met.MET, f"找到{len(distinct)}处{p.found_label}", shown)
    if not distinct:
        return Outcome(Met.UNMET, "")  # none at all: the rule's message says what is missing
    return Outcome(Met.UNMET, f"{target.where}只有{len(distinct)}处{p.found_label}，少于{p.min_count}处。", shown)


KIND: CheckKind[Params] = Kind("pattern_present", Params, check, Scoping.OPTIONAL, __doc__)
