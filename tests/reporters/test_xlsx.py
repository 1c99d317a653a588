from __future__ import annotations

from auditor.models import replace
import io
from typing import Any

import openpyxl

from auditor.models import Scorecard, Status
from auditor.reporters import get

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
    assert wb.sheetnames == ["汇总", "问题明细"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref


def test_summary_sheet(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    ws = book(cards, ctx)["汇总"]
    rows = values(ws)
    ids = [r.id for r in packs["annual"].rules]
    assert rows[0] == ["文件", "报告类型", "报告年度", "发文单位/署名", "结论", "得分", *ids, "错误"]
    assert [r[0] for r in rows[1:]] == [*SEED_PATHS, EMPTY_PATH]
    verdict = {"pass": "合格", "fail": "不合格"}[cards[0].verdict]
    assert rows[1][1:6] == ["annual", 2023, "重庆市南岸区人民政府龙门浩街道办事处", verdict, cards[0].score]
    col = {h: i for i, h in enumerate(rows[0])}
    assert rows[2][col["AR103"]] == "不合格" and rows[2][col["AR202"]] == "不适用" and rows[2][col["AR101"]] == "警告"
    assert rows[4][col["结论"]] == "无法检查" and rows[4][col["错误"]] == "文件为空" and rows[4][col["AR001"]] is None
    fail_cell = ws.cell(row=3, column=col["AR103"] + 1)
    pass_cell = ws.cell(row=3, column=col["AR002"] + 1)
    assert fail_cell.fill.fgColor.rgb.endswith("FFC7CE") and pass_cell.fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.column_dimensions["A"].width >= 40
    assert "报告年度明确" in (ws.cell(row=1, column=col["AR002"] + 1).comment.text or "")


def test_findings_sheet(cards: list[Scorecard], ctx: Any) -> None:
    rows = values(book(cards, ctx)["问题明细"])
    assert rows[0] == ["文件", "规则", "检查项", "状态", "说明", "行号", "证据", "修改建议", "依据"]
    n = sum(r.status in (Status.FAIL, Status.WARN, Status.WAIVED) for c in cards for r in c.results)
    assert len(rows) == 1 + n + 1  # + the unreadable report
    ar301 = next(r for r in rows if r[0] == SEED_PATHS[2] and r[1] == "AR301")
    assert ar301[2:4] == ["文末有发文单位落款", "不合格"] and ar301[5] == 29
    assert ar301[6].startswith("第29行：（三）创新普法宣传新形式") and ar301[8] == "《党政机关公文处理工作条例》第九条"
    assert ar301[7].startswith("在正文最后一部分之后另起一行")
    assert [EMPTY_PATH, None, None, "无法检查", "文件为空"] == next(r for r in rows if r[0] == EMPTY_PATH)[:5]


def test_waived_in_findings(waived_cards: list[Scorecard], ctx: Any) -> None:
    rows = values(book(waived_cards, ctx)["问题明细"])
    waived = next(r for r in rows if r[0] == SEED_PATHS[2] and r[1] == "AR105")
    assert waived[3] == "豁免" and waived[4] == WAIVER_REASON and waived[7] is None


def test_text_is_never_a_formula_and_control_chars_go(cards: list[Scorecard], ctx: Any) -> None:
    card = replace(cards[0], body="=1+1", path="a\x01b.txt")
    wb = book([card], ctx)
    ws = wb["汇总"]
    assert ws["A2"].value == "ab.txt" and ws["D2"].value == "=1+1" and ws["D2"].data_type == "s"


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
    assert openpyxl.load_workbook(io.BytesIO(bytes(pipe.data))).sheetnames == ["汇总", "问题明细"]
