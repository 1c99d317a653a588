"""Kind `whole_year`: the report's data cover the whole report year.

An annual report is written after its year ends and reports on all of it. Phrases that give
only part of the year (“截至11月20日”, “1—11月”, “前三季度”, “今年以来”, “2023年至今”) are the
mark of a text carried over from an autumn summary, and a 成文日期 before the year ended says the
same: the year's figures could not be complete when it was written.

params:
- `phrases`: part-year phrases. Named groups are read when a pattern has them: `year` (the phrase
  is about that year: another year is no part of this report year, “2021年至今” spans whole
  years), `month` and `day` (where the phrase stops: 12月, 12月31日 and 12月底 reach the year's
  end, so “截至2023年12月31日” and “1—12月” pass);
- `with_figure`: phrases that are part-year data only in a sentence that gives a figure
  (“上半年共调解纠纷15件”, not “上半年完成机构改革”), the figure being one of `figure_patterns`;
- `whole_year`: words that, in the same sentence, show the whole year is given (全年…其中, 下半年,
  第四季度): “全年开展培训6次，其中上半年4次” is a breakdown, not part-year data;
- `skip_roles`: parts whose wording is no account of the year's data (存在的不足 speaks of the
  present, the plan of the next year: “截至目前” there is fine);
- `check_date` (default true): also a 成文日期 before the report year ended (the date under the
  signature, else the web page's 成文日期).
Not applicable when the report year is unknown.
A phrase inside a document's title (《…1—6月…清单》), one that sets a time limit (截至10月底前完成)
and one a requirement sets out (要求1—6月完成…) are no account of the year's data.
Passes: “全年共办理行政复议案件12件”, “截至2023年12月31日”, a 2024 plan's “上半年完成”.
Fails: “今年以来,法律顾问参与调解纠纷80余次” in a report on 2023; “截至11月20日止，我街共…”;
dated 2023年12月28日.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from auditor.checks._dates import FROM_PAGE, DocDate, cn, written
from auditor.checks.contract import CheckKind, Context, Kind, Names, Patterns, Target
from auditor.checks.matching import _absent, can_match, evidence, place, required_literals
from auditor.checks.numerals import cn_value
from auditor.document.normalize import original_span
from auditor.document.patterns import Rx
from auditor.document.search import Needs
from auditor.models import Evidence, Line, Met, Outcome

MAX_SHOWN = 5
QUOTE = 28  # characters of a quoted phrase and what follows it
_SENTENCE = re.compile(r"[^。;!?；！？]+[。;!?；！？]?")


class Params(NamedTuple):
    phrases: Patterns
    with_figure: Patterns = ()
    figure_patterns: Patterns = ()
    whole_year: Patterns = ()
    skip_roles: Names = ()
    check_date: bool = True


def _number(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    value = cn_value(text)
    return int(value) if value else None


def _part_year(m: re.Match[str], year: int) -> bool:
    """Whether a match is about part of the report year (not another year, not the year's end)."""
    groups = m.re.groupindex
    if "year" in groups and m.group("year") and _number(m.group("year")) != year:
        return False
    month = _number(m.group("month")) if "month" in groups else None
    if month is None:
        return True
    day = _number(m.group("day")) if "day" in groups else None
    return not (month >= 12 and (day is None or day >= 31))


# after the phrase: a time limit (截至10月底前完成, 6月底之前), not the end of the data
_DEADLINE = re.compile(r"\s*(?:底|末|份|中旬|上旬|下旬|\d{1,2}\s*日)?\s*之?前")
# before it, in its clause: a requirement set out (要求1—6月完成, 明确截至10月底…), not the year's data
_REQUIRED = re.compile(r"(?:要求|明确|计划|力争|确保|规定|部署|务必|须|应当?)\s*(?:在|于)?\s*$")


def _not_data(sentence: str, m: re.Match[str]) -> bool:
    """Whether a part-year phrase is no account of the year's data: inside a document's title
    (《2023年1—6月…任务清单》), a time limit (截至10月底前完成), or a requirement a plan set out
    (要求1—6月完成执法人员轮训)."""
    before = sentence[:m.start()]
    if before.count("《") > before.count("》"):
        return True
    if _DEADLINE.match(sentence, m.end()):
        return True
    clause = re.split(r"[,:，：]", before)[-1]
    return _REQUIRED.search(clause) is not None


def _quote(ln: Line, start: int, sentence_end: int) -> str:
    """The phrase and what follows it in its sentence, as the document writes it."""
    end = min(sentence_end, start + QUOTE)
    a, b = original_span(ln.text, ln.norm, (start, end))
    shown = ln.text[a:b].strip().rstrip("。;；,，")
    return shown + ("…" if end < sentence_end and b < len(ln.text) else "")


def _when(date: DocDate) -> str:
    return f"{date.value.year}年{date.value.month}月" if date.month_only else cn(date.value)


def _lines(target: Target, p: Params) -> tuple[Line, ...]:
    doc = target.doc
    skipped = {ln.no for part in doc.parts if part.role in p.skip_roles for ln in part.lines}
    titles = {ln.no for ln in doc.title}
    sig = {ln.no for ln in (doc.signature.body, doc.signature.date) if ln is not None}
    return tuple(ln for ln in target.lines if ln.no not in skipped | titles | sig)


def _matches(sentence: str, patterns: list[tuple[Rx, Needs]], can: Callable[[Rx], bool]) -> list[re.Match[str]]:
    """The matches in a sentence of the patterns that `can` match the lines, pattern by pattern.
    A pattern lacking one of its literals in the sentence is not run (most sentences hold none of
    the phrases), and `can` is asked only of a pattern that found something."""
    out: list[re.Match[str]] = []
    for rx, needs in patterns:
        if needs and _absent(needs, sentence):
            continue
        found = list(rx.finditer(sentence))
        if found and can(rx):
            out += found
    return out


def _phrases(lines: tuple[Line, ...], year: int, p: Params) -> list[tuple[str, Evidence, Line]]:
    """The part-year phrases of the lines, sentence by sentence: a pattern counts only where it
    can match the lines (`may_match` over them joined), a phrase only outside a sentence that
    gives the whole year. The patterns are run only on the lines and sentences that hold the
    literals they need, the whole-year words only on a sentence with a phrase, and `may_match`
    is asked of a pattern only once it has found something: what reading every sentence with
    every pattern gives (tests/checks/test_whole_year.py holds the two equal over every fixture
    and corpus text)."""
    found: list[tuple[str, Evidence, Line]] = []
    joined: list[str] = []  # the lines joined, once asked for
    able: dict[Rx, bool] = {}

    def can(rx: Rx) -> bool:
        ok = able.get(rx)
        if ok is None:
            if not joined:
                joined.append("\n".join(ln.norm for ln in lines))
            ok = able[rx] = can_match(rx, joined[0])
        return ok

    always = [(rx, required_literals(rx)) for rx in p.phrases]
    figured = [(rx, required_literals(rx)) for rx in p.with_figure]
    for ln in lines:
        norm = ln.norm
        mine = [x for x in always if not (x[1] and _absent(x[1], norm))]
        mine_figured = [x for x in figured if not (x[1] and _absent(x[1], norm))]
        if not mine and not mine_figured:
            continue  # no sentence of the line can hold a phrase
        for s in _SENTENCE.finditer(norm):
            sentence = s.group()
            hits = _matches(sentence, mine, can)
            if mine_figured:
                more = _matches(sentence, mine_figured, can)
                if more and any(rx.search(sentence) for rx in p.figure_patterns):
                    hits += more
            if not hits or any(rx.search(sentence) for rx in p.whole_year):
                continue
            taken: list[tuple[int, int]] = []
            for m in sorted(hits, key=lambda m: (m.start(), -m.end())):
                if any(a <= m.start() < b for a, b in taken) or not _part_year(m, year) or _not_data(sentence, m):
                    continue
                taken.append(m.span())
                span = (s.start() + m.start(), s.start() + m.end())
                found.append((_quote(ln, span[0], s.end()), evidence(ln, span), ln))
    return found


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    doc = target.doc
    year = doc.report_year
    if year is None:
        return Outcome(Met.NOT_APPLICABLE, "报告年度不明，不检查数据是否覆盖全年")
    said: list[str] = []
    shown: list[Evidence] = []
    date = written(doc, month_only=True) if p.check_date else None
    if date is not None and date.value.year <= year:
        when = _when(date)
        source = f"{FROM_PAGE['written']}，报告成文于{when}" if date.from_page else f"成文日期是{when}"
        if date.value.year < year:
            said.append(f"{source}，早于{year}年度，日期可能写错")
        else:
            said.append(f"{source}，那时{year}年度还没有结束，全年数据不可能完整")
        shown += date.shown
    found = _phrases(_lines(target, p), year, p)
    if found:
        listed = "、".join(f"{place(ln)}“{q}”" for q, _, ln in found[:MAX_SHOWN])
        more = f"等{len(found)}处" if len(found) > MAX_SHOWN else ""
        after = ""
        if date is not None and date.value.year > year:
            after = f"（报告成文于{_when(date)}）"
        said.append(f"{listed}{more}只写到年内某时或写作之时{after}，不是{year}年全年的数据")
        shown += [ev for _, ev, _ in found[:MAX_SHOWN]]
    if not said:
        return Outcome(Met.MET, f"未见只覆盖{year}年部分时间的数据")
    advice = (f"请写{year}年全年的数字，或以“截至{year}年12月31日”为截止时间。" if found else
              f"请核对成文日期；报告应在{year}年度结束后形成，写入全年数据。")
    return Outcome(Met.UNMET, "；".join(said) + "。" + advice, tuple(shown))


KIND: CheckKind[Params] = Kind("whole_year", Params, check, doc=__doc__)
