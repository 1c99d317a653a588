"""Kind `dates_in_period`: what the report says happened lies within the period it reports on.

params: `exempt_patterns` (words just before a date that make a later date legitimate: 截至,
截止 …), `allow_earlier` (default true: earlier years are background, “2022年出台的…”),
`events` (default true: also look for dated events, rules/data/events.json), `deadline` (MM-DD,
default 04-01: the publication deadline, which binds every body; `--deadline` sets only the
submission deadline of kind `date_window` and does not move it).
- a date with year and month in the rule's scope (usually the achievements part) after the
  report year: a 2023 report's “2024年5月召开…” told as an achievement;
- an event named anywhere in the report that happened after the report's publication deadline
  (a 2023 report, due by 2024-04-01, that studies the spirit of 党的二十届三中全会 of July 2024):
  the report was written later than it claims, or copied from a later one.
Not applicable when the report year is unknown.
Passes: a 2023 report with “2023年5月召开…”, “截至2024年2月”. Fails: “2024年5月召开…” in a 2023
report's achievements; “学习贯彻党的二十届三中全会精神” in a 2023 report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Schema, Scoping, Target
from auditor.checks.matching import evidence
from auditor.checks.numerals import cn_value
from auditor.models import Evidence, Line, Met, Outcome

MonthDay = Annotated[str, Schema(pattern="^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
# (the lookbehind after the first digit: `re` skips to a 2; the same matches as `(?<!\d)(20\d{2})…`)
_YEAR_MONTH = re.compile(r"(2(?<!\d2)0\d{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*(?:-\s*\d{1,2}\s*)?月")
EXEMPT_REACH = 4  # characters before a date where 截至 makes it legitimate
MAX_SHOWN = 5


class Params(NamedTuple):
    exempt_patterns: Patterns = ()
    allow_earlier: bool = True
    events: bool = True
    deadline: MonthDay = "04-01"


class Event(NamedTuple):
    name: str
    patterns: tuple[re.Pattern[str], ...]
    date: dt.date


def events_file() -> Path:
    """rules/data/events.json, from the installed auditor.rules or the source tree."""
    try:
        import auditor.rules as shipped  # type: ignore[import-untyped,unused-ignore]

        return Path(shipped.__file__).resolve().parent / "data" / "events.json"
    except ImportError:
        return Path(__file__).resolve().parents[2] / "rules" / "data" / "events.json"


@lru_cache(maxsize=None)
def load_events(path: str | None = None) -> tuple[Event, ...]:
    """The dated events (JSON: read with the standard library, no YAML import at check time)."""
    from auditor.errors import RuleFileError

    where = path or str(events_file())
    try:
        with open(where, encoding="utf-8") as fh:
            data = json.load(fh)
        return tuple(Event(e["name"], tuple(re.compile(p) for p in e["patterns"]), dt.date.fromisoformat(e["date"]))
                     for e in data["events"])
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise RuleFileError(where, f"invalid events data file: {exc}") from exc


def _month(text: str) -> int:
    return int(text) if text.isdigit() else int(cn_value(text) or 0)


def _late_dates(lines: tuple[Line, ...], year: int, p: Params) -> list[tuple[str, Evidence]]:
    found = []
    for line in lines:
        if "年" not in line.norm:
            continue
        for m in _YEAR_MONTH.finditer(line.norm):
            y = int(m.group(1))
            if y == year or (y < year and p.allow_earlier) or not 1 <= _month(m.group(2)) <= 12:
                continue
            before = line.norm[max(0, m.start() - EXEMPT_REACH):m.start()]
            if any(rx.search(before) for rx in p.exempt_patterns):
                continue
            when = "晚于" if y > year else "早于"
            found.append((f"“{m.group()}”{when}报告年度{year}年", evidence(line, m.span())))
    return found


def _anachronisms(lines: tuple[Line, ...], deadline: dt.date) -> list[tuple[str, Evidence]]:
    found = []
    joined = "\n".join(ln.norm for ln in lines)
    for event in load_events():
        if event.date <= deadline or not any(rx.search(joined) for rx in event.patterns):
            continue
        for line in lines:
            m = next((m for rx in event.patterns for m in [rx.search(line.norm)] if m), None)
            if m is not None:
                found.append((f"提到{event.date.year}年{event.date.month}月的{event.name}，晚于本报告的公开期限"
                              f"{deadline.year}年{deadline.month}月{deadline.day}日", evidence(line, m.span())))
                break
    return found


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    year = target.doc.report_year
    if year is None:
        return Outcome(Met.NOT_APPLICABLE, "报告年度不明，不检查日期")
    found = _late_dates(target.body, year, p)
    if p.events:
        month, day = map(int, p.deadline.split("-"))
        found += _anachronisms(target.doc.content, dt.date(year + 1, month, day))
    if not found:
        return Outcome(Met.MET, f"{target.where}所述日期均在{year}年内")
    shown = found[:MAX_SHOWN]
    more = f"等{len(found)}处" if len(found) > MAX_SHOWN else ""
    return Outcome(Met.UNMET, "；".join(msg for msg, _ in shown) + more + "。", tuple(ev for _, ev in shown))


KIND: CheckKind[Params] = Kind("dates_in_period", Params, check, Scoping.OPTIONAL, __doc__)
