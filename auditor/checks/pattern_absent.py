"""Kind `pattern_absent`: none of the patterns occurs in the report (or in the rule's scope).

params: `patterns`.
Passes: a finished text. Fails: “涉法涉诉信访XX件”, “【待补充】”, “2024年x月x日”.
"""

from __future__ import annotations

from typing import NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Scoping, Target
from auditor.checks.matching import evidence, places, search_all
from auditor.models import Met, Outcome

MAX_SHOWN = 10


class Params(NamedTuple):
    patterns: Patterns


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    hits = search_all(target.lines, p.patterns)
    if not hits:
        return Outcome(Met.MET, "未发现")
    lines = [ln for _, ln in sorted({ln.no: ln for ln, _ in hits}.items())]
    listed = places(lines[:MAX_SHOWN]) + ("等" if len(lines) > MAX_SHOWN else "")
    found = "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for _, m in hits[:MAX_SHOWN]))
    return Outcome(
        Met.UNMET, f"{listed}发现{found}", tuple(evidence(ln, m.span()) for ln, m in hits[:MAX_SHOWN])
    )


KIND: CheckKind[Params] = Kind("pattern_absent", Params, check, Scoping.OPTIONAL, __doc__)
