"""Kind `concrete_content`: a part has substance: not empty, not 无/暂无/略, enough concrete items.

params: `reject_patterns` (a body that matches one of them entirely is empty in substance);
`min_items` (distinct enumerated measures: （一）（二）, 1. 2., 一是 二是, 第一，);
`paragraph_chars` (count each paragraph at least this long as a measure too); `min_chars`;
`concrete` (default false: when true, only items that name an object and a measure count
towards `min_items`: a quantity, a time, a named instrument or body, or a verb of action with an
object beyond the generic nouns, from rules/data/measures.yaml; “继续加强组织领导。” is no
measure, and the finding quotes the items that are not concrete).
The rule's `scope:` names the part (required); its body is checked, headings left out.
Passes: “一是加强执法人员培训，全年轮训一次。二是开展宪法宣传周活动。”. Fails: “无。”, one vague
sentence, or (with `concrete`) “（一）继续加强组织领导。（二）进一步深化普法宣传。”.
"""

from __future__ import annotations

import re
from typing import Annotated, NamedTuple

from auditor.checks._plan import measure_in, measure_words
from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Schema, Scoping, Target
from auditor.checks.matching import evidence, place
from auditor.document.items import Item, split_items
from auditor.document.patterns import INLINE_ENUM, SUB_HEADING
from auditor.models import Evidence, Line, Met, Outcome
from auditor.packs.plan_words import Measures

_SPACE = re.compile(r"\s+")
MAX_QUOTED = 4  # items quoted in a finding


class Params(NamedTuple):
    reject_patterns: Patterns = ()
    min_items: Annotated[int, Schema(minimum=1)] = 1
    min_chars: Annotated[int, Schema(minimum=0)] = 0
    paragraph_chars: Annotated[int, Schema(minimum=0)] = 0
    concrete: bool = False


def _items(lines: list[str], paragraph_chars: int) -> int:
    """Distinct measures: the largest of the sub-heading count, the 一是/二是 (第一，) count and,
    when `paragraph_chars` is set, the count of paragraphs at least that long (a plan written
    as unnumbered paragraphs, one measure each, is as concrete as a numbered one)."""
    subs = {(m.group(1) or m.group(2) or m.group(3) or m.group(4)) for s in lines for m in [SUB_HEADING.match(s)] if m}
    inline = {m.group(1) or m.group(2) for s in lines for m in INLINE_ENUM.finditer(s)}
    paragraphs = sum(1 for s in lines if paragraph_chars and len(s.strip()) >= paragraph_chars)
    return max(len(subs), len(inline), paragraphs)


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    title = target.title
    body = target.body
    heads = [part.heading for part in target.parts]
    text = _SPACE.sub("", "".join(ln.norm for ln in body))
    where = tuple(evidence(ln) for ln in (body[:1] or tuple(heads[:1])))
    if not text:
        return Outcome(Met.UNMET, f"“{title}”部分只有标题，没有内容。", where)
    if any(rx.fullmatch(text) for rx in p.reject_patterns):
        return Outcome(Met.UNMET, f"“{title}”部分只写了“{text[:10]}”。", where)
    if len(text) < p.min_chars:
        return Outcome(Met.UNMET, f"“{title}”部分只有{len(text)}个字，没有写出具体举措。", where)
    n = _items([ln.norm for ln in body], p.paragraph_chars)
    if n < p.min_items:
        said = "没有分条写出具体举措" if n == 0 else f"只写了{n}项举措"
        return Outcome(Met.UNMET, f"“{title}”部分{said}，应分条写出至少{p.min_items}项。", where)
    if p.concrete:
        return _concrete(title, body, p.min_items, measure_words(ctx))
    return Outcome(Met.MET, f"“{title}”部分列出{n}项具体举措", where)


def _shown(items: tuple[Item, ...], words: Measures) -> tuple[Evidence, ...]:
    """The first concrete item, quoted around what makes it concrete."""
    for item in items:
        found = measure_in(item.text, words)
        at = item.find(found) if found else None
        if at is not None:
            return (evidence(*at),)
    return ()


def _concrete(title: str, body: tuple[Line, ...], min_items: int, words: Measures) -> Outcome:
    """Enough items name an object and a measure; else the vague ones are quoted."""
    items = split_items(body)
    vague = [item for item in items if measure_in(item.text, words) is None]
    n = len(items) - len(vague)
    if n >= min_items:
        return Outcome(Met.MET, f"“{title}”部分列出{n}项具体举措", _shown(items, words))
    quoted = "；".join(f"{place(i.line)}“{i.quote()}”" for i in vague[:MAX_QUOTED])
    more = f"等{len(vague)}项" if len(vague) > MAX_QUOTED else ""
    said = "都没有" if n == 0 else f"只有{n}项"
    return Outcome(
        Met.UNMET,
        f"“{title}”部分的{len(items)}项安排{said}写出具体举措（做什么、对谁、何时、多少），应至少{min_items}项。"
        f"只有笼统表述的：{quoted}{more}。",
        tuple(i.evidence() for i in vague[:MAX_QUOTED]),
    )


KIND: CheckKind[Params] = Kind("concrete_content", Params, check, Scoping.REQUIRED, __doc__)
