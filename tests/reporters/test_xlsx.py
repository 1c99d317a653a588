from __future__ import annotations

from auditor.models import replace
import io
from typing import Any

import openpyxl

from auditor.models import Scorecard, Status
from auditor.reporters import get

from conftest import FIXTURES

from .conftest import EMPTY_PATH, SEED_PATHS, WAIVER_REASON, render


def book(cards: list[Scorecard], ctx: Any) -> Any:
    data = render("xlsx", cards, ctx)
    assert isinstance(data, bytes) and data.startswith(b"PK")
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_binary_and_two_sheets(cards: list[Scorecard], ctx: Any) -> None:
    assert get("xlsx").BINARY is True
    wb = book(cards, ctx)
    assert wb.sheetnames == ["汇总", "核心工作", "问题明细", "规则说明", "运行信息"]
    assert wb["汇总"].freeze_panes == "B3"  # the file column and both header rows
    assert wb["核心工作"].freeze_panes == "C2"  # the file and body-kind columns
    for name in ("问题明细", "规则说明", "运行信息"):
        assert wb[name].freeze_panes == "A2"
    assert wb["汇总"].auto_filter.ref and wb["问题明细"].auto_filter.ref


def test_summary_sheet(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    ws = book(cards, ctx)["汇总"]
    rows = values(ws)
    ids = [r.id for r in packs["annual"].rules]
    titles = [r.title for r in packs["annual"].rules]
    # row 1: the rules by title; row 2: their codes
    assert rows[0] == ["文件", "报告类型", "类型把握", "类型存疑", "报告年度", "发文单位/署名", "结论", "得分", *titles, "错误"]
    assert rows[1] == ["代码", *([None] * 7), *ids, None]
    assert [r[0] for r in rows[2:-1]] == [*SEED_PATHS, EMPTY_PATH]
    verdict = {"pass": "合格", "fail": "不合格"}[cards[0].verdict]
    assert rows[2][1:8] == ["年度报告", "高", None, 2023, "重庆市南岸区人民政府龙门浩街道办事处", verdict, cards[0].score]
    col = {h: i for i, h in enumerate(rows[1]) if h}
    col.update({h: i for i, h in enumerate(rows[0][:8])})
    col["错误"] = len(rows[0]) - 1
    assert rows[3][col["AR103"]] == "不合格" and rows[3][col["AR202"]] == "不适用" and rows[3][col["AR101"]] == "警告"
    assert rows[5][col["结论"]] == "无法检查" and rows[5][col["错误"]] == "文件为空" and rows[5][col["AR001"]] is None
    fail_cell = ws.cell(row=4, column=col["AR103"] + 1)
    pass_cell = ws.cell(row=4, column=col["AR002"] + 1)
    assert fail_cell.fill.fgColor.rgb.endswith("FFC7CE") and pass_cell.fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.column_dimensions["A"].width >= 40
    assert "报告年度明确" in (ws.cell(row=1, column=col["AR002"] + 1).comment.text or "")
    # the last row: pass rate per rule over the readable reports
    rates = rows[-1]
    assert rates[0] == "通过率"
    ar105 = [next(r.status.value for r in c.results if r.rule == "AR105") for c in cards[:3]]
    assert rates[col["AR105"]] == f"{round(100 * ar105.count('pass') / 3)}%"


def test_legend_and_run_sheets(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    wb = book(cards, ctx)
    legend = values(wb["规则说明"])
    assert legend[0][:3] == ["代码", "检查项", "严重程度"]
    assert [r[0] for r in legend[1:]] == [r.id for r in packs["annual"].rules]
    assert legend[1][1] == packs["annual"].rules[0].title and legend[1][3] == "年度报告"
    run = {r[0]: r[1] for r in values(wb["运行信息"])[1:]}
    assert {"检查时间", "auditor 版本", "规则包", "报送期限", "公开期限", "判定标准", "跨报告检查", "文件数"} <= set(run)
    assert run["文件数"] == len(cards) and run["报送期限"] == "次年4月1日前" and run["公开期限"] == "次年4月1日前"
    # settings in words, no option names or values of the command line
    assert run["报告类型"] == "自动识别" and run["判定标准"] == "有“不合格”项即判为不合格"
    assert not any("fail_on" in str(v) or "--" in str(v) or str(v) == "auto" for v in run.values())
    files = [r[1] for r in values(wb["运行信息"]) if r[0] in ("文件", None)]
    assert files == [c.path for c in cards]


def test_one_summary_sheet_per_report_type(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    from auditor.run.engine import audit_file

    duty = audit_file(str(FIXTURES / "duty" / "complete.txt"), packs)
    assert duty.pack == "duty"
    wb = book([*cards, duty], ctx)
    assert wb.sheetnames[:2] == ["汇总-年度报告", "汇总-第一责任人报告"]
    duty_rows = values(wb["汇总-第一责任人报告"])
    assert duty_rows[1][8:-1] == [r.id for r in packs["duty"].rules]
    assert [r[0] for r in duty_rows[2:-1]] == [duty.path] and duty_rows[2][1] == "第一责任人报告"


def test_findings_sheet(cards: list[Scorecard], ctx: Any) -> None:
    rows = values(book(cards, ctx)["问题明细"])
    assert rows[0] == ["文件", "规则", "检查项", "状态", "说明", "位置", "证据", "修改建议", "依据"]
    n = sum(r.status in (Status.FAIL, Status.WARN, Status.WAIVED) for c in cards for r in c.results)
    assert len(rows) == 1 + n + 1  # + the unreadable report
    ar301 = next(r for r in rows if r[0] == SEED_PATHS[2] and r[1] == "AR301")
    assert ar301[2:4] == ["文末有发文单位落款", "不合格"] and ar301[5] == "第29行"
    assert ar301[6].startswith("第29行：（三）创新普法宣传新形式") and ar301[8] == "《党政机关公文处理工作条例》第九条"
    assert ar301[7].startswith("在正文最后一部分之后另起一行")
    assert [EMPTY_PATH, None, None, "无法检查", "文件为空"] == next(r for r in rows if r[0] == EMPTY_PATH)[:5]


def test_findings_point_where_a_reader_finds_them(cards: list[Scorecard], ctx: Any) -> None:
    """Issue 11: for .docx/.pdf/.html the 位置 column is the loader's location, never the line
    of extracted text (that is only in JSON and SARIF)."""
    from auditor.models import Evidence

    card = cards[2]
    res = next(r for r in card.results if r.rule == "AR301")
    docx = replace(card, path="草稿.docx", results=tuple(
        replace(r, evidence=(Evidence(18, "表里的话", "表1 第8行"), Evidence(20, "又一句", "第5页第1段")))
        if r is res else r for r in card.results))
    row = next(r for r in values(book([docx], ctx)["问题明细"]) if r[1] == "AR301")
    assert row[5] == "表1 第8行" and "18" not in row[5]
    assert row[6].split("\n")[:2] == ["表1 第8行：表里的话", "第5页第1段：又一句"]


def test_waived_in_findings(waived_cards: list[Scorecard], ctx: Any) -> None:
    rows = values(book(waived_cards, ctx)["问题明细"])
    waived = next(r for r in rows if r[0] == SEED_PATHS[2] and r[1] == "AR105")
    assert waived[3] == "豁免" and waived[4] == WAIVER_REASON and waived[7] is None


def test_low_confidence_cell_is_marked(ctx: Any, packs: Any) -> None:
    from auditor.run.engine import audit_file

    low = audit_file(str(FIXTURES / "forms" / "no_title_parts_only.txt"), packs)
    ws = book([low], ctx)["汇总"]
    assert (ws["C3"].value, ws["D3"].value) == ("低", "标题或开头未写明报告类型；开头未陈述本单位一年来的工作")
    assert ws["C3"].fill.fgColor.rgb.endswith("FFEB9C")


def test_text_is_never_a_formula_and_control_chars_go(cards: list[Scorecard], ctx: Any) -> None:
    card = replace(cards[0], body="=1+1", path="a\x01b.txt")
    wb = book([card], ctx)
    ws = wb["汇总"]
    assert ws["A3"].value == "ab.txt" and ws["F3"].value == "=1+1" and ws["F3"].data_type == "s"


def test_writes_to_an_unseekable_stream(cards: list[Scorecard], ctx: Any) -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            self.data += bytes(b)
            return len(b)

    pipe = Pipe()
    get("xlsx").write(cards, pipe, ctx=ctx)
    assert openpyxl.load_workbook(io.BytesIO(bytes(pipe.data))).sheetnames == ["汇总", "核心工作", "问题明细", "规则说明",
                                                                                "运行信息"]


def test_gongwen_has_its_own_sheet_one_row_per_place_with_its_correction(tmp_path: Any, packs: Any) -> None:
    import docx as python_docx

    from auditor.run.engine import AuditOptions, audit_file

    d = python_docx.Document()
    for text in ("某某县司法局2023年法治政府建设年度报告", "一、主要举措和成效",
                 "全年办理行政复议案件12件,同比增长5%，学习《宪法》、《民法典》，开展“12.4”国家宪法日活动,效果好。",
                 "某某县司法局", "2024.3.4"):
        d.add_paragraph(text)
    path = tmp_path / "样稿.docx"
    d.save(str(path))
    card = audit_file(str(path), packs, AuditOptions(with_packs=("gongwen",)))
    wb = book([card], None)
    assert "公文规范" in wb.sheetnames
    rows = values(wb["公文规范"])
    assert rows[0][:7] == ["文件", "规则", "检查项", "状态", "位置", "原文", "应改为"]
    fixes = sorted((r[1], r[4], r[6]) for r in rows[1:] if r[6])
    assert fixes == [("GW101", "第5段", "“2024.3.4”→“2024年3月4日”"), ("GW201", "第3段", "“,”→“，”"),
                     ("GW201", "第3段", "“,”→“，”"), ("GW203", "第3段", "删去“、”"), ("GW204", "第3段", "“.”→“·”")]
    assert not [r for r in values(wb["问题明细"])[1:] if str(r[1]).startswith("GW")]  # not mixed with AR rows


def test_core_work_sheet(cards: list[Scorecard], ctx: Any) -> None:
    """Reports × core areas (AR209's data): ✔ with the figure, — without, 不适用 for the body."""
    rows = values(book(cards, ctx)["核心工作"])
    assert rows[0][:4] == ["文件", "单位类别", "行政复议", "行政应诉"]
    head = rows[0]
    by_path = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    assert set(by_path) == set(SEED_PATHS)  # the unreadable file has no row
    s002 = by_path["fixtures/seeds/002_84eb398e434a8021.txt"]
    assert s002["单位类别"] == "乡镇（街道）"
    assert s002["行政复议"] == "不适用" and s002["行政应诉"] == "—" and s002["行政执法“三项制度”"] == "—"
    assert s002["矛盾纠纷化解"] == "✔ 205件" and s002["普法"] == "✔ 5次"
    s004 = by_path["fixtures/seeds/004_c31362d728184ceb.txt"]
    assert s004["行政应诉"] == "✔ 1件"


def test_no_core_work_sheet_without_the_rule(cards: list[Scorecard], ctx: Any) -> None:
    stripped = [replace(c, results=tuple(r for r in c.results if r.rule != "AR209")) for c in cards]
    assert "核心工作" not in book(stripped, ctx).sheetnames
