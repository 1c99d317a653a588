"""Kind `part_present`: a top-level part with the given role is present.

params: `role`; `mention_patterns` (words that show the topic is only mentioned elsewhere, to
say where); `inferred` (what a role only inferred from thematic headings counts as: partly, the
default, or met/unmet).
Passes: “三、存在的不足和原因”. Fails: no such part; a mention of 第一责任人 inside part 一 does not count.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Placement, Schema, Target
from auditor.checks.matching import evidence, place, search_all
from auditor.models import Met, Outcome

_INFERRED = {"partly": Met.PARTLY, "met": Met.MET, "unmet": Met.UNMET}


class Params(NamedTuple):
    role: Annotated[str, Schema(pattern="^[a-z][a-z0-9_]*$")]
    mention_patterns: Patterns = ()
    inferred: Literal["partly", "met", "unmet"] = "partly"


def _short(heading: str, size: int = 20) -> str:
    """A heading cut for a message, with an ellipsis when it was cut."""
    text = heading.strip()
    return text if len(text) <= size else text[:size] + "…"


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    role = params.role
    title = ctx.role_title(role)
    parts = doc.parts_with_role(role)
    named = [p for p in parts if not p.inferred]
    if named:
        return Outcome(Met.MET, f"“{title}”部分：{named[0].heading.text.strip()}", tuple(evidence(p.heading) for p in named))
    if parts:
        met = _INFERRED[params.inferred]
        heads = "".join(f"“{_short(p.heading.text)}”" for p in parts)
        return Outcome(met, f"没有以“{title}”为题的部分，相关内容分散在专题标题{heads}下。",
                       tuple(evidence(p.heading) for p in parts))
    hits = search_all(doc.content, params.mention_patterns)
    if hits:
        ln, m = hits[0]
        part = next((p for p in doc.parts if ln in p.lines), None)
        where = f"“{_short(part.heading.text)}”部分中" if part else "正文中"
        return Outcome(Met.UNMET, f"没有单列“{title}”部分，只在{place(ln)}{where}提到。", (evidence(ln, m.span()),))
    return Outcome(Met.UNMET, "")  # nothing to add: the rule's message says what is missing


KIND: CheckKind[Params] = Kind("part_present", Params, check, doc=__doc__, placement=Placement.ORDER,
                                   part_named=lambda p: p.role)
