"""The report's dates, and where each came from: the date under the signature, else the page's.

A report copied from a web page often lost its signature date while the page's metadata table
(索引号 / 发布机构 / 成文日期 / 发布日期) still records it; the loaders and the document builder
keep those as `doc.meta["written"]` / `doc.meta["published"]` (ISO dates). The date written in
the report itself always wins; a finding that rests on the page's date says so.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from auditor.checks.matching import evidence
from auditor.document.patterns import LazyPattern
from auditor.models import Document, Evidence

#: how a finding names a date read from the page rather than from the report
FROM_PAGE = {"written": "据网页信息栏的成文日期", "published": "据网页信息栏的发布日期"}
_LABEL = {"written": "成文日期", "published": "发布日期"}
_YEAR_MONTH = LazyPattern(r"(20\d{2})\s*年\s*(\d{1,2})\s*月")


class DocDate(NamedTuple):
    value: dt.date
    shown: tuple[Evidence, ...]
    from_page: bool  # read from the page's metadata, not from the report's text
    month_only: bool = False  # “2025年2月”: `value` is the first of that month


def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def page_date(doc: Document, key: str) -> DocDate | None:
    """The page's 成文日期 (`written`) or 发布日期 (`published`), when the page recorded one."""
    raw = doc.meta.get(key)
    if not raw:
        return None
    try:
        value = dt.date.fromisoformat(str(raw))
    except ValueError:
        return None
    return DocDate(value, (Evidence(line=None, text=f"网页信息栏 {_LABEL[key]}：{raw}"),), True)


def written(doc: Document, *, month_only: bool = False) -> DocDate | None:
    """The report's 成文日期: the date under its signature (or its cover letter's), else the
    page's 成文日期. `month_only`: also a signature dated to the month (“2025年2月”)."""
    sig = doc.signature
    if sig.date is not None and sig.date_value is not None:
        try:
            return DocDate(dt.date(*sig.date_value), (evidence(sig.date),), False)
        except ValueError:
            pass
    if sig.date is not None and month_only:
        m = _YEAR_MONTH.search(sig.date.norm)
        if m and 1 <= int(m.group(2)) <= 12:
            return DocDate(dt.date(int(m.group(1)), int(m.group(2)), 1), (evidence(sig.date),), False, True)
    if sig.date is not None:  # a date the report gives, unreadable: the page's does not replace it
        return None
    return page_date(doc, "written")
