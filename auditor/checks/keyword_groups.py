"""Kind `keyword_groups`: a scope covers at least `min_groups` of several groups of keywords.

params: `groups` (label → patterns); `min_groups`; `role` (scope; default the whole report);
`missing_role` (skip, the default, or fail); `quantified_patterns` with `min_quantified`: that many
covered groups must have a line that also gives a figure (次, 件, %).
Passes: 学法, 听取汇报 and 述法 all shown. Fails: only 学法 mentioned.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import PATTERNS_PARAM, ROLE_PARAM, evidence, may_match, scope_lines
from auditor.models import Document, Evidence, Met, Outcome

KIND = "keyword_groups"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["groups", "min_groups"],
    "properties": {
        "groups": {"type": "object", "minProperties": 1, "additionalProperties": PATTERNS_PARAM},
        "min_groups": {"type": "integer", "minimum": 1},
        "role": ROLE_PARAM,
        "missing_role": {"enum": ["skip", "fail"]},
        "quantified_patterns": PATTERNS_PARAM,
        "min_quantified": {"type": "integer", "minimum": 0},
    },
}


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    role = params.get("role")
    if role and not doc.parts_with_role(role):
        met = Met.UNMET if params.get("missing_role") == "fail" else Met.NOT_APPLICABLE
        return Outcome(met, f"未找到“{ctx.role_title(role)}”部分")
    lines = scope_lines(doc, role)
    quant = params.get("quantified_patterns", ())
    covered: dict[str, Evidence] = {}
    quantified: set[str] = set()
    joined = "\n".join(ln.norm for ln in lines)
    for label, group in params["groups"].items():
        patterns = may_match(group, joined)  # skip the per-line work for words that are absent
        if not patterns:
            continue
        for ln in lines:
            m = next((m for rx in patterns for m in [rx.search(ln.norm)] if m), None)
            if m is None:
                continue
            covered.setdefault(label, evidence(ln, m.span()))
            if any(rx.search(ln.norm) for rx in quant):
                quantified.add(label)
                break
    need = int(params["min_groups"])
    need_q = int(params.get("min_quantified", 0))
    missing = [g for g in params["groups"] if g not in covered]
    summary = f"涉及{len(covered)}类：{'、'.join(covered) or '无'}"
    shown = tuple(covered.values())
    if len(covered) < need:
        return Outcome(Met.UNMET, f"{summary}；至少需要{need}类，可补充：{'、'.join(missing[:5])}", shown)
    if len(quantified) < need_q:
        return Outcome(Met.PARTLY, f"{summary}；但没有一类写明次数、件数或比例等量化情况", shown)
    return Outcome(Met.MET, summary, shown)
