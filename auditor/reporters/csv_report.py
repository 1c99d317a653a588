"""`--format csv`: one row per report, one column per rule, for spreadsheets and scripts.

Columns, in a stable order, headed in Chinese as in the xlsx summary sheet (the people who open
it read Chinese): 文件, 报告类型 (the pack id), 类型把握 (高/低, 指定 when forced with --pack: filter on 低
to pick the pages whose type a reader should confirm), 类型存疑 (why it is 低), 报告年度, 发文单位/署名, 结论 (合格/不合格/无法检查),
得分, then with --similarity / --previous 与其他报告重复的比例 / 沿用上年报告的比例 (shares, 0-1),
then one column per rule id (the rules of the packs used, in pack order) holding the rule's
status (通过/警告/不合格/不适用/豁免; empty when the rule did not run on that report), then 错误
(why a report could not be checked). Scripts wanting the English keys read `--format json`. Written as UTF-8 with a byte-order mark so that Excel and WPS open the
Chinese text correctly; lines end with CRLF as RFC 4180 says. A text cell that a spreadsheet
would take for a formula (starting with = + - @) is prefixed with an apostrophe.

With `-o csv:PATH` the CLI opens PATH with newline="" (the csv module writes the line ends).
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Scorecard
from auditor.reporters import _common

NAME = "csv"
BINARY = False
EXTENSION = "csv"  # a file of this format is called X.csv
MEDIA_TYPE = "text/plain; charset=utf-8"  # served as text to be saved, not shown
DESCRIPTION = "CSV, one row per report (UTF-8 with BOM, opens in Excel/WPS)"

FIXED = ("path", "pack", "pack_confidence", "pack_doubts", "report_year", "body", "verdict", "score")
#: the headings of FIXED, and of the last column
HEAD_ZH = ("文件", "报告类型", "类型把握", "类型存疑", "报告年度", "发文单位/署名", "结论", "得分")
ERROR_HEAD = "错误"
#: --roster: the last column, and the 结论 of a row for a body that sent no report
ROSTER_HEAD, MISSING = "名单核对", "未报送"
_STATUS_ZH = {s.value: zh for s, zh in _common.STATUS_ZH.items()}


#: the cross-report columns' headings
CROSS_HEAD = {"similarity": "与其他报告重复的比例", "carried_over": "沿用上年报告的比例"}


def cross_columns(ctx: Any) -> list[str]:
    """After 得分, when the cross-report checks ran: 与其他报告重复的比例 (--similarity: the share
    of the report's text found in other reports, 0-1) and 沿用上年报告的比例 (--previous: the
    share carried over from last year's report)."""
    cross = getattr(ctx, "cross", None)
    cols = []
    if getattr(cross, "similarity", None) is not None:
        cols.append("similarity")
    if getattr(cross, "previous", None) is not None:
        cols.append("carried_over")
    return cols


def cross_values(card: Scorecard, cols: Sequence[str]) -> list[object]:
    out: list[object] = []
    for col in cols:
        if col == "similarity":
            v = card.meta.get("similarity")
        else:
            prev = card.meta.get("previous")
            v = prev.get("carried_over") if isinstance(prev, dict) else None
        out.append("" if v is None else v)
    return out


def header(cards: Sequence[Scorecard], ctx: Any = None) -> list[str]:
    return [*HEAD_ZH, *(CROSS_HEAD[c] for c in cross_columns(ctx)), *_common.rule_ids(cards, ctx), ERROR_HEAD]


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value[0] in "=+-@\t\r" else value


def rows(cards: Sequence[Scorecard], ctx: Any = None) -> list[list[object]]:
    """Header and one row per report, as plain values (shared with the xlsx reporter)."""
    ids = _common.rule_ids(cards, ctx)
    cols = cross_columns(ctx)
    out: list[list[object]] = []
    for c in _common.ordered(cards, ctx):
        st = _common.statuses(c)
        out.append([c.path, c.pack or "", *_common.confidence_cells(c), c.report_year or "", c.body or "", c.verdict,
                    "" if c.score is None else c.score, *cross_values(c, cols),
                    *(st[rid].value if rid in st else "" for rid in ids), c.error or ""])
    return out


def roster_note(roster: Any, path: str) -> str:
    """A report's 名单核对 cell: 已报送, 同一单位报送 2 份, 不在名单中 ('' for an unreadable file)."""
    return str(roster.mark(path) or ("已报送" if roster.entry_of(path) else ""))


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    import csv

    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    head = header(cards, ctx)
    roster = getattr(ctx, "roster", None)
    w.writerow(head + ([ROSTER_HEAD] if roster is not None else []))
    verdict_col, n_rules = FIXED.index("verdict"), len(head) - len(FIXED) - 1
    if roster is not None:  # the bodies that sent no report come first, a row each
        for name in roster.missing:
            blank: list[object] = [""] * len(head)
            blank[HEAD_ZH.index("发文单位/署名")], blank[verdict_col] = name, MISSING
            w.writerow([_text(v) if isinstance(v, str) else v for v in [*blank, MISSING]])
    for row in rows(cards, ctx):
        row[verdict_col] = _common.VERDICT_ZH[str(row[verdict_col])]
        for i in range(len(FIXED), len(FIXED) + n_rules):
            row[i] = _STATUS_ZH.get(str(row[i]), row[i])
        if roster is not None:
            row.append(roster_note(roster, str(row[0])))
        w.writerow([_text(v) if isinstance(v, str) else v for v in row])


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.csv_report as _this

    _contract: Reporter = _this
