"""`--format csv`: one row per report, one column per rule, for spreadsheets and scripts.

Columns, in a stable order, headed in Chinese as in the xlsx summary sheet (the people who open
it read Chinese): 文件, 报告类型 (the pack id), 报告年度, 发文单位/署名, 结论 (合格/不合格/无法检查),
得分, then one column per rule id (the rules of the packs used, in pack order) holding the rule's
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
DESCRIPTION = "CSV, one row per report (UTF-8 with BOM, opens in Excel/WPS)"

FIXED = ("path", "pack", "report_year", "body", "verdict", "score")
#: the headings of FIXED, and of the last column
HEAD_ZH = ("文件", "报告类型", "报告年度", "发文单位/署名", "结论", "得分")
ERROR_HEAD = "错误"
_STATUS_ZH = {s.value: zh for s, zh in _common.STATUS_ZH.items()}


def header(cards: Sequence[Scorecard], ctx: Any = None) -> list[str]:
    return [*HEAD_ZH, *_common.rule_ids(cards, ctx), ERROR_HEAD]


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value[0] in "=+-@\t\r" else value


def rows(cards: Sequence[Scorecard], ctx: Any = None) -> list[list[object]]:
    """Header and one row per report, as plain values (shared with the xlsx reporter)."""
    ids = _common.rule_ids(cards, ctx)
    out: list[list[object]] = []
    for c in _common.ordered(cards, ctx):
        st = _common.statuses(c)
        out.append([c.path, c.pack or "", c.report_year or "", c.body or "", c.verdict,
                    "" if c.score is None else c.score,
                    *(st[rid].value if rid in st else "" for rid in ids), c.error or ""])
    return out


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    import csv

    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    head = header(cards, ctx)
    w.writerow(head)
    verdict_col, n_rules = FIXED.index("verdict"), len(head) - len(FIXED) - 1
    for row in rows(cards, ctx):
        row[verdict_col] = _common.VERDICT_ZH[str(row[verdict_col])]
        for i in range(len(FIXED), len(FIXED) + n_rules):
            row[i] = _STATUS_ZH.get(str(row[i]), row[i])
        w.writerow([_text(v) if isinstance(v, str) else v for v in row])


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.csv_report as _this

    _contract: Reporter = _this
