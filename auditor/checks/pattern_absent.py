"""Kind `pattern_absent`: none of the patterns occurs in the report (or a role's parts).

params: `patterns`; `role` (optional scope).
Passes: a finished text. Fails: “涉法涉诉信访XX件”, “【待补充】”, “2024年x月x日”.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import PATTERNS_PARAM, ROLE_PARAM, evidence, place, scope_lines, search_all
from auditor.models import Document, Met, Outcome

KIND = "pattern_absent"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {"patterns": PATTERNS_PARAM, "role": ROLE_PARAM},
}
MAX_SHOWN = 10


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    hits = search_all(scope_lines(doc, params.get("role")), params["patterns"])
    if not hits:
        return Outcome(Met.MET, "未发现")
    lines = sorted({ln.no: ln for ln, _ in hits}.items())
    listed = "、".join(dict.fromkeys(place(ln) for _, ln in lines[:MAX_SHOWN])) + ("等" if len(lines) > MAX_SHOWN else "")
    found = "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for _, m in hits[:MAX_SHOWN]))
    return Outcome(
        Met.UNMET, f"{listed}发现{found}", tuple(evidence(ln, m.span()) for ln, m in hits[:MAX_SHOWN])
    )
