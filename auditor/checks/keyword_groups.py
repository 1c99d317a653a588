"""Kind `keyword_groups`: a scope covers at least `min_groups` of several groups of keywords.

params: `groups` (label → patterns); `min_groups`; `quantified_patterns` with `min_quantified`:
that many covered groups must have a line that also gives a figure (次, 件, %). The rule's
`scope:` names the part it reads; default the whole report. When the text stops inside that part
(no later part, no signature: a page copied only in its beginning), too few groups is not judged.
Passes: 学法, 听取汇报 and 述法 all shown. Fails: only 学法 mentioned.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks.contract import CheckKind, Context, Groups, Kind, Patterns, Schema, Scoping, Target
from auditor.checks.matching import ends_in, evidence, may_match, place
from auditor.models import Evidence, Met, Outcome


class Params(NamedTuple):
    groups: Groups
    min_groups: Annotated[int, Schema(minimum=1)]
    quantified_patterns: Patterns = ()
    min_quantified: Annotated[int, Schema(minimum=0)] = 0


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    lines = target.lines
    covered: dict[str, Evidence] = {}
    quantified: set[str] = set()
    joined = "\n".join(ln.norm for ln in lines)
    for label, group in p.groups.items():
        patterns = may_match(group, joined)  # skip the per-line work for words that are absent
        if not patterns:
            continue
        for ln in lines:
            m = next((m for rx in patterns for m in [rx.search(ln.norm)] if m), None)
            if m is None:
                continue
            covered.setdefault(label, evidence(ln, m.span()))
            if any(rx.search(ln.norm) for rx in p.quantified_patterns):
                quantified.add(label)
                break
    missing = [g for g in p.groups if g not in covered]
    named = f"{'、'.join(covered)}{len(covered)}类职责"
    shown = tuple(covered.values())
    cut = ends_in(target.doc, target.parts) if target.role is not None else None
    if cut is not None and (len(covered) < p.min_groups or len(quantified) < p.min_quantified):
        # the text stops inside the part (no later part, no signature): the kinds not yet met may
        # stand beyond the cut
        said = f"写到{named}" if covered else "还没有写到具体职责"
        return Outcome(Met.NOT_APPLICABLE, f"{target.where}{said}，但文本在{place(cut)}句子没写完就结束了，其后没有其他部分和落款，"
                                           f"可能不完整，不判断是否写全。", shown)
    if not covered:
        return Outcome(Met.UNMET, "")  # none at all: the rule's message says what is missing
    if len(covered) < p.min_groups:
        return Outcome(Met.UNMET, f"只写到{named}，还可以写{'、'.join(missing[:4])}等。", shown)
    if len(quantified) < p.min_quantified:
        few = "都没有" if not quantified else f"只有{len(quantified)}类"
        return Outcome(Met.PARTLY, f"写到{named}，但{few}写明次数、件数或比例。", shown)
    return Outcome(Met.MET, f"写到{named}", shown)


KIND: CheckKind[Params] = Kind("keyword_groups", Params, check, Scoping.OPTIONAL, __doc__)
