"""Kind `concrete_content`: a part has substance: not empty, not 无/暂无/略, enough enumerated items.

params: `role`; `reject_patterns` (a body that matches one of them entirely is empty in
substance); `min_items` (distinct enumerated measures: （一）（二）, 1. 2., 一是 二是, 第一，);
`paragraph_chars` (count each paragraph at least this long as a measure too); `min_chars`;
`missing_role` (skip, the default, or fail).
Passes: “一是加强组织领导……二是深化普法……”. Fails: “无。”, or one vague sentence.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import PATTERNS_PARAM, ROLE_PARAM, evidence
from auditor.models import Document, Met, Outcome
from auditor.document.patterns import INLINE_ENUM, SUB_HEADING

KIND = "concrete_content"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role"],
    "properties": {
        "role": ROLE_PARAM,
        "reject_patterns": PATTERNS_PARAM,
        "min_items": {"type": "integer", "minimum": 1},
        "min_chars": {"type": "integer", "minimum": 0},
        "paragraph_chars": {"type": "integer", "minimum": 1},
        "missing_role": {"enum": ["skip", "fail"]},
    },
}
_SPACE = re.compile(r"\s+")


def _items(lines: list[str], paragraph_chars: int) -> int:
    """Distinct measures: the largest of the sub-heading count, the 一是/二是 (第一，) count and,
    when `paragraph_chars` is set, the count of paragraphs at least that long (a plan written
    as unnumbered paragraphs, one measure each, is as concrete as a numbered one)."""
    subs = {(m.group(1) or m.group(2) or m.group(3) or m.group(4)) for s in lines for m in [SUB_HEADING.match(s)] if m}
    inline = {m.group(1) or m.group(2) for s in lines for m in INLINE_ENUM.finditer(s)}
    paragraphs = sum(1 for s in lines if paragraph_chars and len(s.strip()) >= paragraph_chars)
    return max(len(subs), len(inline), paragraphs)


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    role = params["role"]
    title = ctx.role_title(role)
    parts = doc.parts_with_role(role)
    if not parts:
        met = Met.UNMET if params.get("missing_role") == "fail" else Met.NOT_APPLICABLE
        return Outcome(met, f"未找到“{title}”部分")
    body = [ln for p in parts for ln in p.body]
    heads = [p.heading for p in parts]
    text = _SPACE.sub("", "".join(ln.norm for ln in body))
    where = tuple(evidence(ln) for ln in (body[:1] or heads[:1]))
    if not text:
        return Outcome(Met.UNMET, f"“{title}”部分没有内容", where)
    if any(rx.fullmatch(text) for rx in params.get("reject_patterns", ())):
        return Outcome(Met.UNMET, f"“{title}”部分只写了“{text[:10]}”，没有实际内容", where)
    min_chars = int(params.get("min_chars", 0))
    if len(text) < min_chars:
        return Outcome(Met.UNMET, f"“{title}”部分只有{len(text)}个字，过于简略", where)
    n = _items([ln.norm for ln in body], int(params.get("paragraph_chars", 0)))
    need = int(params.get("min_items", 1))
    if n < need:
        return Outcome(Met.UNMET, f"“{title}”部分列出的具体举措只有{n}项，至少需要{need}项", where)
    return Outcome(Met.MET, f"“{title}”部分列出{n}项具体举措", where)
