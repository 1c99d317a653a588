"""`--format xlsx`: an Excel workbook for a supervisor (opens in Excel and WPS).

BINARY is True: `write()` receives a *binary* file object (the CLI opens `-o xlsx:PATH` with
'wb' and uses sys.stdout.buffer for standard output).

Sheet "汇总": one row per report with the columns of the csv format (Chinese headings; each rule
column headed by its id, with the rule's title as the cell comment), status cells coloured,
header row frozen, auto-filter on. Sheet "问题明细": one row per finding (fail, warn, waived;
and each report that could not be checked): path, rule, title, status, message, line, evidence,
hint, reference; header frozen. Strings are always stored as text, never as formulas.
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Scorecard, Status
from auditor.reporters import _common, csv_report

NAME = "xlsx"
BINARY = True
DESCRIPTION = "Excel workbook: summary + findings (binary)"

SUMMARY_HEAD = csv_report.HEAD_ZH
DETAIL_HEAD = ("文件", "规则", "检查项", "状态", "说明", "行号", "证据", "修改建议", "依据")
FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "skip": "EDEDED", "waived": "DDEBF7",
        "error": "E4DFEC"}
VERDICT_FILL = {"pass": "pass", "fail": "fail", "error": "error"}
STATUS_BY_VALUE = {s.value: s for s in Status}
VERDICT_COL = csv_report.FIXED.index("verdict") + 1


def _put(ws: Any, row: int, col: int, value: object) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped,unused-ignore]

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"  # text that starts with "=" stays text
    return cell


def _header(ws: Any, heads: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    for col, (head, width) in enumerate(zip(heads, widths), 1):
        cell = _put(ws, 1, col, head)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _summary(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    from openpyxl.comments import Comment  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped,unused-ignore]

    ids = _common.rule_ids(cards, ctx)
    titles = _common.rule_titles(cards, ctx)
    heads = [*SUMMARY_HEAD, *ids, csv_report.ERROR_HEAD]
    _header(ws, heads, [44, 10, 9, 30, 9, 7, *([8] * len(ids)), 40])
    for col, rid in enumerate(ids, len(SUMMARY_HEAD) + 1):
        if rid in titles:
            ws.cell(row=1, column=col).comment = Comment(f"{rid} {titles[rid]}", "auditor")
    rule_cols = range(len(SUMMARY_HEAD) + 1, len(SUMMARY_HEAD) + len(ids) + 1)
    for r, row in enumerate(csv_report.rows(cards, ctx), 2):
        for col, value in enumerate(row, 1):
            if col == VERDICT_COL:
                cell = _put(ws, r, col, _common.VERDICT_ZH[str(value)])
                cell.fill = PatternFill("solid", fgColor=FILL[VERDICT_FILL[str(value)]])
            elif col in rule_cols and value:
                cell = _put(ws, r, col, _common.STATUS_ZH[STATUS_BY_VALUE[str(value)]])
                cell.fill = PatternFill("solid", fgColor=FILL[str(value)])
                cell.alignment = Alignment(horizontal="center")
            else:
                _put(ws, r, col, value if value != "" else None)
    ws.auto_filter.ref = ws.dimensions


def _details(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped,unused-ignore]

    _header(ws, DETAIL_HEAD, [44, 8, 30, 8, 50, 6, 60, 50, 36])
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for c in _common.ordered(cards, ctx):
        rows: list[tuple[list[object], str]] = []
        if c.verdict == "error":
            rows.append(([c.path, "", "", "无法检查", c.error or "", None, "", "", ""], "error"))
        for res in _common.findings(c):
            ev = _common.first_line(res)
            waived = res.status is Status.WAIVED
            rows.append(([c.path, res.rule, res.title, _common.STATUS_ZH[res.status], res.message,
                          ev.line if ev else None, "\n".join(_common.evidence_lines(res)),
                          "" if waived else res.hint or "", res.reference or ""], res.status.value))
        for values, status in rows:
            r += 1
            for col, value in enumerate(values, 1):
                _put(ws, r, col, value).alignment = wrap
            ws.cell(row=r, column=4).fill = PatternFill("solid", fgColor=FILL[status])
    ws.auto_filter.ref = ws.dimensions


def workbook(cards: Sequence[Scorecard], ctx: Any = None) -> Any:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    _summary(ws, cards, ctx)
    _details(wb.create_sheet("问题明细"), cards, ctx)
    return wb


def write(cards: Sequence[Scorecard], out: IO[bytes], *, ctx: Any = None) -> None:
    import io

    buf = io.BytesIO()  # zip needs a seekable file; standard output may be a pipe
    workbook(cards, ctx).save(buf)
    out.write(buf.getvalue())


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.xlsx as _this

    _contract: Reporter = _this
