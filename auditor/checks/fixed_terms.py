"""Kind `fixed_terms`: fixed political and legal terms in their official wording.

params: `terms`: a curated list, each entry {pattern (the wrong form, a regular expression),
right (what to write), source (where the right form is fixed), right_example, wrong_example
(a sentence each: the tests run both)}. Lookarounds in a pattern keep terms that are right in their own
context (重大执法决定法制审核, 全国法制宣传日) from being flagged.
Passes: “深入学习贯彻习近平法治思想”. Fails: “习近平法制思想”, “法制政府”.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Pattern, Schema, Scoping, Target
from auditor.checks.matching import evidence, places, search_all
from auditor.models import Line, Met, Outcome


class Term(NamedTuple):
    pattern: Pattern  # the wrong form
    right: Annotated[str, Schema(minLength=1)]
    source: Annotated[str, Schema(minLength=1)]
    right_example: str  # a sentence with the right form: must pass
    wrong_example: str  # a sentence with the wrong form: must be flagged


class Params(NamedTuple):
    terms: Annotated[tuple[Term, ...], Schema(minItems=1)]
    shown: Annotated[int, Schema(minimum=1, maximum=50)] = 10


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    shown = params.shown
    term_of = {id(t.pattern): t for t in params.terms}
    hits = search_all(target.lines, [t.pattern for t in params.terms])
    if not hits:
        return Outcome(Met.MET, "未发现不规范表述")
    found: dict[str, list[Line]] = {}
    for ln, m in hits:
        term = term_of[id(m.re)]
        found.setdefault(f"“{m.group(0)}”应为“{term.right}”（{term.source}）", []).append(ln)
    listed = "；".join(f"{places(at, compact=True)}{text}" for text, at in list(found.items())[:shown])
    more = f"；另有{len(found) - shown}种" if len(found) > shown else ""
    return Outcome(Met.UNMET, listed + more + "。", tuple(evidence(ln, m.span()) for ln, m in hits[:shown]))


KIND: CheckKind[Params] = Kind("fixed_terms", Params, check, Scoping.OPTIONAL, __doc__)
