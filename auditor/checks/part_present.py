"""Kind `part_present`: a top-level part with the given role is present.

params: `role`; `mention_patterns` (words that show the topic is only mentioned elsewhere, to
say where); `inferred` (what a role only inferred from thematic headings counts as: partly, the
default, or met/unmet).
Passes: “三、存在的不足和原因”. Fails: no such part; a mention of 第一责任人 inside part 一 does not count.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import PATTERNS_PARAM, ROLE_PARAM, evidence, place, search_all
from auditor.models import Document, Met, Outcome

KIND = "part_present"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role"],
    "properties": {
        "role": ROLE_PARAM,
        "mention_patterns": PATTERNS_PARAM,
        "inferred": {"enum": ["partly", "met", "unmet"]},
    },
}


def _short(heading: str, size: int = 20) -> str:
    """A heading cut for a message, with an ellipsis when it was cut."""
    text = heading.strip()
    return text if len(text) <= size else text[:size] + "…"


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    role = params["role"]
    title = ctx.role_title(role)
    parts = doc.parts_with_role(role)
    named = [p for p in parts if not p.inferred]
    if named:
        return Outcome(Met.MET, f"“{title}”部分：{named[0].heading.text.strip()}", tuple(evidence(p.heading) for p in named))
    if parts:
        met = {"partly": Met.PARTLY, "met": Met.MET, "unmet": Met.UNMET}[params.get("inferred", "partly")]
        heads = "、".join(f"“{_short(p.heading.text)}”" for p in parts)
        return Outcome(met, f"未设“{title}”部分，相关内容写在专题标题{heads}下", tuple(evidence(p.heading) for p in parts))
    hits = search_all(doc.content, params.get("mention_patterns", ()))
    if hits:
        ln, m = hits[0]
        part = next((p for p in doc.parts if ln in p.lines), None)
        where = f"“{_short(part.heading.text)}”部分中" if part else "正文中"
        return Outcome(
            Met.UNMET,
            f"未单列“{title}”部分；仅在{place(ln)}{where}提及，不能代替该部分",
            (evidence(ln, m.span()),),
        )
    return Outcome(Met.UNMET, f"未找到“{title}”部分")
