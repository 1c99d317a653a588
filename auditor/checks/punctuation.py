"""Kind `punctuation`: marks misused in Chinese text, counted: one finding per document, every place.

params: `groups` (label → patterns, tried on the original text, since normalization folds
full-width marks into ASCII), `fixes` (per group, how a match is corrected: `fullwidth`,
`collapse`, `replace` old → new, `middle_dot`), `width_groups` (the groups that are only about
half-width vs full-width marks), `normalised_copy` (how many half-width commas in Chinese text,
with not one full-width ，：；（）！？, make a text a normalised copy), `shown` (how many places the
message names, default 5).
Every place is evidence, with its correction where one follows mechanically (`auditor annotate`
writes those as tracked changes). A text copied from a web page or exported by some tools has
had every full-width ，：；（）！？ turned half-width while 。、“”《》 stayed: on such a copy the
width groups say once that width cannot be judged here, instead of flagging every comma.
Passes: “全年办理案件12件，同比增长5%；一是健全制度”. Fails: “12件,同比增长5%;”, “，，”, “一是、”.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks._fixes import Replacement, corrected
from auditor.checks._typography import by_group, normalised_copy, places, text_evidence
from auditor.checks.contract import ORIGINAL, CheckKind, Context, Groups, Kind, Names, Schema, Scoping, Target
from auditor.models import Evidence, Met, Outcome, replace

MAX_PLACES = 2000  # evidence rows per document: every place of a real report, bounded for a pathological one
COPY_NOTE = ("本文本中的，：；（）！？全部为半角，而。、“”《》为全角：这是从网页复制或经工具导出时统一转换过的文本，"
             "无法据此判断原稿标点的全角、半角，请在 Word 原稿上检查")


class Params(NamedTuple):
    groups: Annotated[Groups, ORIGINAL]
    fixes: tuple[Replacement, ...] = ()
    width_groups: Names = ()
    normalised_copy: Annotated[int, Schema(minimum=1)] = 10
    shown: Annotated[int, Schema(minimum=1, maximum=20)] = 5


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    shown = params.shown
    groups = params.groups
    copy = bool(params.width_groups) and normalised_copy(target.doc.lines, params.normalised_copy)
    if copy:
        groups = {label: pats for label, pats in groups.items() if label not in params.width_groups}
    found = by_group(target.lines, groups)
    if not found:
        if copy:
            return Outcome(Met.NOT_APPLICABLE, COPY_NOTE + "。")
        return Outcome(Met.MET, "未发现标点误用")
    how = {r.group: r for r in params.fixes}
    rows: list[tuple[int, int, Evidence]] = []
    for label, hs in found.items():
        for ln, m in hs:
            ev = text_evidence(ln, m.span())
            rule = how.get(label)
            fix = corrected(ln.text, m.start(), m.end(), rule) if rule is not None else None
            rows.append((ln.no, m.start(), ev if fix is None else replace(ev, fix=fix)))
    rows.sort(key=lambda r: (r[0], r[1]))
    hits = sorted((h for hs in found.values() for h in hs), key=lambda h: (h[0].no, h[1].start()))
    counts = "、".join(f"{label}{len(hs)}处" for label, hs in found.items())
    note = f"；另：{COPY_NOTE}" if copy else ""
    message = f"标点用法不规范{len(hits)}处（{counts}），见{places(hits, shown)}{note}。"
    return Outcome(Met.UNMET, message, tuple(ev for _, _, ev in rows[:MAX_PLACES]))


KIND: CheckKind[Params] = Kind("punctuation", Params, check, Scoping.OPTIONAL, __doc__)
