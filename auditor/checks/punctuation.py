"""Kind `punctuation`: marks misused in Chinese text, counted: one finding per document.

params: `groups` (label → patterns, tried on the original text, since normalization folds
full-width marks into ASCII), `shown` (how many places to name, default 5).
A page saved from the web often has every comma half-width: the finding says so once, with a
count per kind of mark and the first few places, not one row per comma.
Passes: “全年办理案件12件，同比增长5%；一是健全制度”. Fails: “12件,同比增长5%;”, “，，”, “一是、”.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks._typography import by_group, places, text_evidence
from auditor.checks.contract import ORIGINAL, CheckKind, Context, Groups, Kind, Schema, Scoping, Target
from auditor.models import Met, Outcome


class Params(NamedTuple):
    groups: Annotated[Groups, ORIGINAL]
    shown: Annotated[int, Schema(minimum=1, maximum=20)] = 5


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    shown = params.shown
    found = by_group(target.lines, params.groups)
    if not found:
        return Outcome(Met.MET, "未发现标点误用")
    hits = sorted((h for hs in found.values() for h in hs), key=lambda h: (h[0].no, h[1].start()))
    counts = "、".join(f"{label}{len(hs)}处" for label, hs in found.items())
    message = f"标点用法不规范{len(hits)}处（{counts}），见{places(hits, shown)}。"
    first_per_line = list({ln.no: (ln, m) for ln, m in reversed(hits)}.values())[::-1]  # one row per line
    return Outcome(Met.UNMET, message, tuple(text_evidence(ln, m.span()) for ln, m in first_per_line[:shown]))


KIND: CheckKind[Params] = Kind("punctuation", Params, check, Scoping.OPTIONAL, __doc__)
