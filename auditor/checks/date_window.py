"""Kind `date_window`: a date lies in the year after the report year, no later than a deadline.

params: `source`: `signature` (the date under the signature) or `published` / `written` (a web
page's 发布日期 / 成文日期); `year_offset` (default 1); `earliest` (MM-DD, default 01-01);
`check_earliest` (default true); `deadline` (MM-DD, default 04-01; `--deadline` overrides it).
A page's dates come from the HTML loader, or from 发布日期：/成文日期： lines kept in saved text.
Not applicable when the date or
the report year is unknown.
Passes: a 2023 report dated 2024年3月4日. Fails: dated 2023年12月28日, or 2024年4月15日.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Placement, Schema, Target
from auditor.checks.matching import evidence
from auditor.models import Document, Evidence, Met, Outcome

MonthDay = Annotated[str, Schema(pattern="^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class Params(NamedTuple):
    source: Literal["signature", "published", "written"] = "signature"
    year_offset: int = 1
    earliest: MonthDay = "01-01"
    check_earliest: bool = True
    deadline: MonthDay = "04-01"


_LABEL = {"signature": "成文日期", "published": "网页发布日期", "written": "成文日期"}


def _date(doc: Document, source: str) -> tuple[dt.date, tuple[Evidence, ...]] | None:
    if source == "signature":
        value = doc.signature.date_value
        if value is None or doc.signature.date is None:
            return None
        try:
            return dt.date(*value), (evidence(doc.signature.date),)
        except ValueError:
            return None
    raw = doc.meta.get(source)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw), (Evidence(line=None, text=f"{_LABEL[source]}：{raw}"),)
    except ValueError:
        return None


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    doc = target.doc
    source = p.source
    found = _date(doc, source)
    if found is None:
        return Outcome(Met.NOT_APPLICABLE, f"没有{_LABEL[source]}，不检查时限")
    date, shown = found
    if doc.report_year is None:
        return Outcome(Met.NOT_APPLICABLE, "报告年度不明，不检查时限", shown)
    year = doc.report_year + p.year_offset
    deadline_s = ctx.deadline or p.deadline
    first = dt.date(year, *map(int, p.earliest.split("-")))
    last = dt.date(year, *map(int, deadline_s.split("-")))
    label = _LABEL[source]
    if p.check_earliest and date < first:
        return Outcome(Met.UNMET, f"{label}是{_cn(date)}，那时{doc.report_year}年度还没有结束。", shown)
    if date > last:
        return Outcome(Met.UNMET, f"{label}是{_cn(date)}，晚于{_cn(last)}的期限。", shown)
    return Outcome(Met.MET, f"{label}{_cn(date)}，在{last.month}月{last.day}日截止日期之前", shown)


KIND: CheckKind[Params] = Kind("date_window", Params, check, doc=__doc__, placement=Placement.END)
