"""`--format xlsx`: an Excel workbook for a supervisor (opens in Excel and WPS).

BINARY is True: `write()` receives a *binary* file object (the CLI opens `-o xlsx:PATH` with
'wb' and uses sys.stdout.buffer for standard output).

Sheet "汇总" (one per report type, "汇总-年度报告" …, when types mix): one row per report, the
report type in Chinese, the cross-report shares when they ran, a column per rule headed by its
title, with its code in the second header row; status cells coloured; the file column and both
header rows frozen; auto-filter on; a last row of pass rates. Sheet "雷同报告" (--similarity):
the flagged pairs, passage by passage. Sheet "核心工作" (when AR209 ran): reports × the core areas of
legal work, ✔ with the figure the report gives, — without one, 不适用 where the body does not
answer for the area. Sheet "规则说明": each code with its title. Sheet
"运行信息": date, version, packs, deadline, options and the files. Sheet "问题明细": one row per finding (fail, warn, waived;
and each report that could not be checked): path, rule, title, status, message, line, evidence,
hint, reference; header frozen. An add-on pack's findings (公文规范, --with gongwen) are on a
sheet of their own, named after it, one row per place with its correction (应改为). Its 位置 column (and the pair sheet's) is where a person finds the
passage: the loader's 第5页第1段 / 表1 第8行 for docx, pdf and html, 第N行 for txt and md; the line
number of the extracted text is only in the machine formats (JSON, SARIF). Strings are always stored as text, never as formulas.
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Evidence, Scorecard, Status
from auditor.reporters import _common, csv_report

NAME = "xlsx"
BINARY = True
EXTENSION = "xlsx"  # a file of this format is called X.xlsx
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESCRIPTION = "Excel workbook: summary + findings (binary)"

SUMMARY_HEAD = csv_report.HEAD_ZH
DETAIL_HEAD = ("文件", "规则", "检查项", "状态", "说明", "位置", "证据", "修改建议", "依据")
PAIRS_HEAD = ("报告甲", "报告乙", "甲重复比例", "乙重复比例", "甲位置", "甲所在部分", "甲原文", "乙位置", "乙所在部分", "乙原文")
FILL = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "skip": "EDEDED", "waived": "DDEBF7",
        "error": "E4DFEC"}
VERDICT_FILL = {"pass": "pass", "fail": "fail", "error": "error"}
STATUS_BY_VALUE = {s.value: s for s in Status}
VERDICT_COL = SUMMARY_HEAD.index("结论") + 1
CONFIDENCE_COL = SUMMARY_HEAD.index("类型把握") + 1  # 低 filled like a warning: a reader should confirm the type
CROSS_HEAD = csv_report.CROSS_HEAD
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


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


def type_name(pack_id: str | None, ctx: Any) -> str:
    """The report type in Chinese: the pack's short name (年度报告, 第一责任人报告), else its name."""
    pack = _common.packs_of(ctx).get(pack_id or "")
    if pack is None:
        return pack_id or ""
    return str(pack.data.get("short_name") or pack.name)


def _summary(ws: Any, cards: Sequence[Scorecard], ctx: Any, ids: Sequence[str]) -> None:
    """Row 1: headings, the rules by title; row 2: the rule codes; a row per report; a
    pass-rate row. The file column and both header rows stay frozen."""
    from openpyxl.comments import Comment  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped,unused-ignore]

    titles = _common.rule_titles(cards, ctx)
    cross = csv_report.cross_columns(ctx)
    fixed = [*SUMMARY_HEAD, *(CROSS_HEAD[c] for c in cross)]
    heads = [*fixed, *(titles.get(rid, rid) for rid in ids), csv_report.ERROR_HEAD]
    _header(ws, heads, [44, 14, 9, 30, 9, 30, 9, 7, *([12] * len(cross)), *([14] * len(ids)), 40])
    ws.row_dimensions[1].height = 60
    bold, grey = Font(bold=True), PatternFill("solid", fgColor="EDEDED")
    for col in range(1, len(heads) + 1):
        cell = _put(ws, 2, col, "代码" if col == 1 else "")
        cell.font, cell.fill = bold, grey
    for col, rid in enumerate(ids, len(fixed) + 1):
        cell = _put(ws, 2, col, rid)
        cell.font, cell.fill, cell.alignment = bold, grey, Alignment(horizontal="center")
        ws.cell(row=1, column=col).comment = Comment(f"{rid} {titles.get(rid, '')}", "auditor")
    ws.freeze_panes = "B3"
    r = 2
    for c in _common.ordered(cards, ctx):
        r += 1
        st = _common.statuses(c)
        values: list[object] = [c.path, type_name(c.pack, ctx) if c.pack else "",
                                *(v or None for v in _common.confidence_cells(c)), c.report_year or None,
                                c.body or None, _common.VERDICT_ZH[c.verdict], c.score,
                                *(v if v != "" else None for v in csv_report.cross_values(c, cross))]
        for col, value in enumerate(values, 1):
            cell = _put(ws, r, col, value)
            if col == VERDICT_COL:
                cell.fill = PatternFill("solid", fgColor=FILL[VERDICT_FILL[c.verdict]])
            elif col == CONFIDENCE_COL and value == "低":
                cell.fill = PatternFill("solid", fgColor=FILL["warn"])
            elif col > len(SUMMARY_HEAD) and isinstance(value, float):
                cell.number_format = "0%"
        for col, rid in enumerate(ids, len(fixed) + 1):
            if rid in st:
                cell = _put(ws, r, col, _common.STATUS_ZH[st[rid]])
                cell.fill = PatternFill("solid", fgColor=FILL[st[rid].value])
                cell.alignment = Alignment(horizontal="center")
        _put(ws, r, len(heads), c.error or None)
    ws.auto_filter.ref = f"A2:{_letter(len(heads))}{max(r, 2)}"
    r += 1
    rates = _common.pass_rates(cards, ids)
    _put(ws, r, 1, "通过率").font = bold
    scores = [c.score for c in cards if c.score is not None]
    if scores:
        _put(ws, r, SUMMARY_HEAD.index("得分") + 1, round(sum(scores) / len(scores), 1)).font = bold
    for col, rid in enumerate(ids, len(fixed) + 1):
        cell = _put(ws, r, col, _common.rate_text(*rates[rid]))
        cell.font, cell.alignment = bold, Alignment(horizontal="center")


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

    return str(get_column_letter(col))


def _legend(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    """Every rule of the summary: code, title, severity, report type."""
    _header(ws, ("代码", "检查项", "严重程度", "报告类型", "依据"), [9, 50, 10, 18, 50])
    titles = _common.rule_titles(cards, ctx)
    r = 1
    for rid in _common.rule_ids(cards, ctx):
        spec, pack_id = None, None
        for pid, pack in sorted(_common.packs_of(ctx).items()):
            spec = pack.rule(rid)
            if spec is not None:
                pack_id = pid
                break
        res = next((x for c in cards for x in c.results if x.rule == rid), None)
        severity = spec.severity if spec is not None else (res.severity if res is not None else None)
        r += 1
        for col, value in enumerate((rid, titles.get(rid, ""), SEVERITY_ZH.get(getattr(severity, "value", ""), ""),
                                     type_name(pack_id, ctx) if pack_id else "跨报告检查",
                                     spec.reference.cited if spec is not None else (res.reference if res else "")),
                                    1):
            _put(ws, r, col, value)


def _run(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    """When and how the audit ran: date, version, packs, deadline, options, files."""
    import datetime as _dt

    from auditor import __version__

    _header(ws, ("项目", "内容"), [22, 90])
    opts = dict(getattr(ctx, "options", None) or {})
    packs = _common.packs_of(ctx)
    used = sorted({c.pack for c in cards if c.pack})
    rows: list[tuple[str, object]] = [
        ("检查时间", _dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("auditor 版本", __version__),
        ("规则包", "；".join(f"{type_name(pid, ctx)}（{len(packs[pid].rules)} 条规则）"
                          for pid in used if pid in packs) or "—"),
        ("报告类型", _common.pack_choice(opts.get("pack"), ctx)),
        ("报送期限", _deadline_zh(opts.get("deadline"))),
        ("公开期限", _deadline_zh("04-01")),
        ("不检查的规则", "、".join(map(str, opts.get("disabled") or [])) or "无"),
        ("判定标准", _common.FAIL_ON_ZH.get(str(opts.get("fail_on") or "error"), str(opts.get("fail_on")))
                    + (f"；得分低于 {opts['min_score']} 分也判为不合格" if opts.get("min_score") is not None else "")),
        ("跨报告检查", "；".join(x for x in (
            "同批雷同比对" if opts.get("similarity") else "",
            f"与上年报告对比（{' '.join(map(str, opts.get('previous') or []))}）" if opts.get("previous") else "",
        ) if x) or "未启用"),
        ("配置文件", str(opts.get("config") or "无")),
        ("文件数", len(cards)),
        ("结果", _common.summary_line(cards)),
    ]
    for r, (key, value) in enumerate(rows, 2):
        _put(ws, r, 1, key)
        _put(ws, r, 2, value)
    r = len(rows) + 2
    _put(ws, r, 1, "文件")
    for c in cards:
        _put(ws, r, 2, c.path)
        r += 1


def _deadline_zh(value: object) -> str:
    """04-01 → 次年4月1日前."""
    month, _, day = str(value or "04-01").partition("-")
    try:
        return f"次年{int(month)}月{int(day)}日前"
    except ValueError:
        return str(value)


def _roster(ws: Any, ctx: Any) -> None:
    """--roster: the bodies that sent no report first, then two reports from one body, the
    bodies that reported, and the reports from bodies not on the roster."""
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped,unused-ignore]

    roster = ctx.roster
    _header(ws, ("单位", "报送情况", "报告文件"), [40, 18, 80])
    rows: list[tuple[str, str, str, str]] = [(n, "未报送", "", "fail") for n in roster.missing]
    rows += [(e.name, f"重复报送（{len(e.paths)} 份）", "\n".join(e.paths), "warn") for e in roster.duplicates]
    rows += [(e.name, "已报送", e.paths[0], "pass") for e in roster.entries if len(e.paths) == 1]
    rows += [(roster.bodies.get(p) or "（发文单位不明）", "不在名单中", p, "waived") for p in roster.unlisted]
    for r, (name, state, files, fill) in enumerate(rows, 2):
        _put(ws, r, 1, name)
        _put(ws, r, 2, state).fill = PatternFill("solid", fgColor=FILL[fill])
        _put(ws, r, 3, files)
    _put(ws, len(rows) + 3, 1, roster.summary())
    ws.auto_filter.ref = f"A1:C{max(len(rows) + 1, 1)}"


def _pairs(ws: Any, ctx: Any) -> None:
    """--similarity: one row per shared passage of each flagged pair."""
    from openpyxl.styles import Alignment  # type: ignore[import-untyped,unused-ignore]

    cross = getattr(ctx, "cross", None)
    result = getattr(cross, "similarity", None)
    _header(ws, PAIRS_HEAD, [36, 36, 10, 10, 16, 24, 60, 16, 24, 60])
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for pair in result.pairs if result is not None else ():
        for ps in pair.passages or (None,):
            r += 1
            row: list[object] = [pair.a, pair.b, pair.share_a, pair.share_b]
            if ps is not None:
                row += [ps.a_where, ps.a_part, ps.a_text, ps.b_where, ps.b_part, ps.b_text]
            for col, value in enumerate(row, 1):
                cell = _put(ws, r, col, value)
                cell.alignment = wrap
                if col in (3, 4):
                    cell.number_format = "0%"
    ws.auto_filter.ref = ws.dimensions


def _details(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped,unused-ignore]

    _header(ws, DETAIL_HEAD, [44, 8, 30, 8, 50, 16, 60, 50, 36])
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for c in _common.ordered(cards, ctx):
        rows: list[tuple[list[object], str]] = []
        if c.verdict == "error":
            rows.append(([c.path, "", "", "无法检查", c.error or "", None, "", "", ""], "error"))
        for res in _common.findings(c):
            if res.addon:
                continue  # an add-on pack's findings (公文规范) have their own sheet, place by place
            ev = _common.first_place(res)
            waived = res.status is Status.WAIVED
            rows.append(([c.path, res.rule, res.title, _common.STATUS_ZH[res.status], res.message,
                          _common.place(ev) if ev else None, "\n".join(_common.evidence_lines(res)),
                          "" if waived else res.hint or "", res.reference or ""], res.status.value))
        for values, status in rows:
            r += 1
            for col, value in enumerate(values, 1):
                _put(ws, r, col, value).alignment = wrap
            ws.cell(row=r, column=4).fill = PatternFill("solid", fgColor=FILL[status])
    ws.auto_filter.ref = ws.dimensions


ADDON_HEAD = ("文件", "规则", "检查项", "状态", "位置", "原文", "应改为", "说明", "修改建议", "依据")


def _addon(ws: Any, name: str, pack_id: str, cards: Sequence[Scorecard], ctx: Any) -> None:
    """An add-on pack's sheet (公文规范): one row per place, with its correction where there is one."""
    from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped,unused-ignore]

    _header(ws, ADDON_HEAD, [44, 8, 30, 8, 16, 50, 24, 50, 50, 36])
    wrap = Alignment(wrap_text=True, vertical="top")
    r = 1
    for c in _common.ordered(cards, ctx):
        for res in _common.findings(c):
            if res.addon != pack_id:
                continue
            head = [c.path, res.rule, res.title, _common.STATUS_ZH[res.status]]
            tail = [res.message, res.hint or "", res.reference or ""]
            places: list[Evidence | None] = [e for e in res.evidence if e.text or e.line] or [None]
            for e in places:
                fix = _common.fix_text(e) if e is not None and e.fix is not None else ""
                values = [*head, _common.place(e) if e is not None else None, e.text if e is not None else "", fix, *tail]
                r += 1
                for col, value in enumerate(values, 1):
                    _put(ws, r, col, value).alignment = wrap
                ws.cell(row=r, column=4).fill = PatternFill("solid", fgColor=FILL[res.status.value])
    ws.auto_filter.ref = ws.dimensions


CORE_HEAD = ("文件", "单位类别")
CORE_MARK = {"reported": "✔", "mentioned": "—", "missing": "—", "n/a": "不适用"}
CORE_FILL = {"reported": "pass", "mentioned": "warn", "missing": "warn", "n/a": "skip"}


def core_rows(cards: Sequence[Scorecard]) -> tuple[list[str], list[tuple[Scorecard, str, dict[str, Any]]]]:
    """(the core areas in order, and per report whose rule tabulated them: its card, the kind of
    body and each area's entry by name), read from the results' `data` (rule AR209)."""
    names: list[str] = []
    rows = []
    for c in cards:
        res = next((r for r in c.results if isinstance(r.data.get("areas"), list)), None)
        if res is None:
            continue
        areas = {a["name"]: a for a in res.data["areas"] if isinstance(a, dict) and isinstance(a.get("name"), str)}
        names += [n for n in areas if n not in names]
        rows.append((c, str(res.data.get("body_kind_name") or ""), areas))
    return names, rows


def core_cell(area: dict[str, Any] | None) -> str:
    """✔ with the figure (✔ 387件), — when the area has no figure, 不适用 when the body does not answer for it."""
    if area is None:
        return ""
    mark = CORE_MARK.get(str(area.get("status")), "")
    return f"{mark} {area['figure']}" if mark == "✔" and area.get("figure") else mark


def _core(ws: Any, cards: Sequence[Scorecard], ctx: Any) -> None:
    """Sheet 核心工作: reports × core areas of part 1, each ✔ with its figure, or —."""
    from openpyxl.styles import Alignment, PatternFill  # type: ignore[import-untyped,unused-ignore]

    names, rows = core_rows(_common.ordered(cards, ctx))
    _header(ws, (*CORE_HEAD, *names), [44, 12, *([16] * len(names))])
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "C2"
    for r, (c, kind, areas) in enumerate(rows, 2):
        _put(ws, r, 1, c.path)
        _put(ws, r, 2, kind or None)
        for col, name in enumerate(names, len(CORE_HEAD) + 1):
            area = areas.get(name)
            cell = _put(ws, r, col, core_cell(area) or None)
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
            if area is not None and area.get("status") in CORE_FILL:
                cell.fill = PatternFill("solid", fgColor=FILL[CORE_FILL[area["status"]]])
    ws.auto_filter.ref = ws.dimensions


def workbook(cards: Sequence[Scorecard], ctx: Any = None) -> Any:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    wb = Workbook()
    ws = wb.active
    types = sorted({c.pack for c in cards if c.pack and c.verdict != "error"})
    if len(types) <= 1:
        ws.title = "汇总"
        _summary(ws, cards, ctx, _common.rule_ids(cards, ctx))
    else:  # one sheet per report type, each with its own rules; unreadable files are in 问题明细
        for i, pid in enumerate(types):
            mine = [c for c in cards if c.pack == pid]
            sheet = ws if i == 0 else wb.create_sheet()
            sheet.title = f"汇总-{type_name(pid, ctx)}"[:31]
            _summary(sheet, mine, ctx, _common.rule_ids(mine, ctx))
    if core_rows(cards)[1]:
        _core(wb.create_sheet("核心工作"), cards, ctx)
    if getattr(ctx, "roster", None) is not None:  # the supervisor's first question: who has not reported
        _roster(wb.create_sheet("报送情况", 0), ctx)
        wb.active = 0
    _details(wb.create_sheet("问题明细"), cards, ctx)
    addons = {pid: name for c in cards for pid, name, _ in _common.addon_sections(c)}
    for pid, name in addons.items():  # 公文规范: its own sheet
        _addon(wb.create_sheet(name[:31]), name, pid, cards, ctx)
    if getattr(getattr(ctx, "cross", None), "similarity", None) is not None:
        _pairs(wb.create_sheet("雷同报告"), ctx)
    _legend(wb.create_sheet("规则说明"), cards, ctx)
    _run(wb.create_sheet("运行信息"), cards, ctx)
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
