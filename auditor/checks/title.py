"""Kind `title`: the report has a title that names the report type (and the year).

params: `patterns` (one must match the title), `require_year` (a year such as 2023年, or a
period 2021—2023年, must be named).
Passes: “某某街道2023年法治政府建设情况报告”. Fails: no title line, or “法治政府建设情况报告” (no year).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Target
from auditor.checks.matching import evidence
from auditor.models import Met, Outcome
from auditor.document.patterns import years_in


class Params(NamedTuple):
    patterns: Patterns
    require_year: bool = True


def _shown(doc: Any) -> str:
    return "".join(ln.text.strip() for ln in doc.title)


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    if not doc.title:
        return Outcome(Met.UNMET, "正文前没有标题。")
    joined = "".join(ln.norm.strip() for ln in doc.title)
    shown = tuple(evidence(ln) for ln in doc.title)
    if not any(rx.search(joined) for rx in params.patterns):
        return Outcome(Met.UNMET, f"标题“{_shown(doc)}”没有写明报告名称。", shown)
    if params.require_year and not years_in(joined):
        return Outcome(Met.UNMET, f"标题“{_shown(doc)}”没有写明年度。", shown)
    return Outcome(Met.MET, "标题：" + " ".join(ln.text.strip() for ln in doc.title), shown)


KIND: CheckKind[Params] = Kind("title", Params, check, doc=__doc__)
