"""Kind `date_window`: a date is no later than a deadline in the year after the report year.

params: `source`: `signature` (the report's 成文日期: the date under its signature, else the
page's 成文日期 where the report gives none) or `published` / `written` (only the web page's
发布日期 / 成文日期); `year_offset` (default 1); `deadline` (MM-DD, default 04-01);
`submission` (default false: the deadline is the body's submission deadline, which `--deadline`
and the config's `deadline:` set; a publication deadline binds every body and ignores them).
A page's dates come from the HTML loader, or from the metadata table kept in saved text
(索引号 … 成文日期 … 发布日期); a finding that rests on one says so.
Only lateness is checked: a date before the report year ended is a sign of part-year data
(kind `whole_year`). Not applicable when the date or the report year is unknown.
Passes: a 2023 report dated 2024年3月4日. Fails: dated 2024年4月15日.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, NamedTuple

from auditor.checks._dates import FROM_PAGE, DocDate, cn, page_date, written
from auditor.checks.contract import CheckKind, Context, Kind, Placement, Schema, Target
from auditor.models import Met, Outcome

MonthDay = Annotated[str, Schema(pattern="^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class Params(NamedTuple):
    source: Literal["signature", "published", "written"] = "signature"
    year_offset: int = 1
    deadline: MonthDay = "04-01"
    submission: bool = False


_LABEL = {"signature": "成文日期", "published": "网页发布日期", "written": "网页成文日期"}


def _date(target: Target, source: str) -> DocDate | None:
    if source == "signature":
        return written(target.doc)
    return page_date(target.doc, source)


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    doc = target.doc
    found = _date(target, p.source)
    label = _LABEL[p.source]
    if found is None:
        return Outcome(Met.NOT_APPLICABLE, f"没有{label}，不检查时限")
    date, shown = found.value, found.shown
    said, said_ok = f"{label}是{cn(date)}", f"{label}{cn(date)}"
    if found.from_page and p.source == "signature":
        said = said_ok = f"正文落款下没有日期，{FROM_PAGE['written']}，报告成文于{cn(date)}"
    if doc.report_year is None:
        return Outcome(Met.NOT_APPLICABLE, "报告年度不明，不检查时限", shown)
    year = doc.report_year + p.year_offset
    deadline_s = (ctx.deadline if p.submission else None) or p.deadline
    last = dt.date(year, *map(int, deadline_s.split("-")))
    if date > last:
        return Outcome(Met.UNMET, f"{said}，晚于{cn(last)}的期限。", shown)
    return Outcome(Met.MET, f"{said_ok}，在{last.month}月{last.day}日截止日期之前", shown)


KIND: CheckKind[Params] = Kind("date_window", Params, check, doc=__doc__, placement=Placement.END)
