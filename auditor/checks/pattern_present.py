"""Kind `pattern_present`: patterns occur (at least `min_count` distinct matches) in a scope.

params: `patterns`; `role` (scope: the parts of that role, headings included; default the whole
report); `min_count` (default 1); `missing_role` (skip, the default, or fail when the scope part
is absent).
Passes: a shortcomings part saying “原因：…”. Fails: problems listed with no cause.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import PATTERNS_PARAM, ROLE_PARAM, evidence, scope_lines, search_all
from auditor.models import Document, Met, Outcome

KIND = "pattern_present"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {
        "patterns": PATTERNS_PARAM,
        "role": ROLE_PARAM,
        "min_count": {"type": "integer", "minimum": 1},
        "missing_role": {"enum": ["skip", "fail"]},
        "found_label": {"type": "string"},
    },
}


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    role = params.get("role")
    if role and not doc.parts_with_role(role):
        met = Met.UNMET if params.get("missing_role") == "fail" else Met.NOT_APPLICABLE
        return Outcome(met, f"未找到“{ctx.role_title(role)}”部分")
    hits = search_all(scope_lines(doc, role), params["patterns"])
    distinct = {(ln.no, m.start()) for ln, m in hits}
    need = int(params.get("min_count", 1))
    shown = tuple(evidence(ln, m.span()) for ln, m in hits[:3])
    label = params.get("found_label", "符合要求的内容")
    if len(distinct) >= need:
        return Outcome(Met.MET, f"找到{len(distinct)}处{label}", shown)
    where = f"“{ctx.role_title(role)}”部分" if role else "报告"
    return Outcome(Met.UNMET, f"{where}中{label}只有{len(distinct)}处，至少需要{need}处", shown)
