from __future__ import annotations

import csv
from auditor.models import replace
import io
from typing import Any

from auditor.models import Scorecard
from auditor.reporters import ReportContext

from .conftest import EMPTY_PATH, SEED_PATHS, render


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_one_row_per_report_one_column_per_rule(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    rows = parse(render("csv", cards, ctx))
    ids = [r.id for r in packs["annual"].rules]
    assert rows[0] == ["文件", "报告类型", "类型把握", "类型存疑", "报告年度", "发文单位/署名", "结论", "得分", *ids, "错误"]
    assert [r[0] for r in rows[1:]] == [*SEED_PATHS, EMPTY_PATH]
    first = dict(zip(rows[0], rows[1]))
    assert first["结论"] == {"pass": "合格", "fail": "不合格"}[cards[0].verdict]
    assert first["得分"] == str(cards[0].score) and first["报告年度"] == "2023" and first["报告类型"] == "annual"
    assert first["发文单位/署名"] == "重庆市南岸区人民政府龙门浩街道办事处"
    assert (first["类型把握"], first["类型存疑"]) == ("高", "")
    zh = {"pass": "通过", "warn": "警告", "fail": "不合格", "skip": "不适用", "waived": "豁免"}
    assert all(first[r.rule] == zh[r.status.value] for r in cards[0].results) and first["错误"] == ""
    second = dict(zip(rows[0], rows[2]))
    assert (second["AR101"], second["AR103"], second["AR105"], second["AR202"]) == ("警告", "不合格", "不合格", "不适用")
    error = dict(zip(rows[0], rows[4]))
    assert error["结论"] == "无法检查" and error["得分"] == "" and error["AR001"] == "" and error["错误"] == "文件为空"
    assert error["类型把握"] == ""


def test_low_confidence_is_a_column_to_filter_on(ctx: Any, packs: Any) -> None:
    """类型把握 低 with the doubts beside it: the pages whose type a supervisor should confirm."""
    from auditor.run.engine import AuditOptions, audit_file

    from conftest import FIXTURES

    low = audit_file(str(FIXTURES / "forms" / "no_title_parts_only.txt"), packs)
    forced = audit_file(str(FIXTURES / "forms" / "no_title_parts_only.txt"), packs, AuditOptions(pack="annual"))
    rows = parse(render("csv", [low, forced], ctx))
    got = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [(g["类型把握"], g["类型存疑"]) for g in got] == [
        ("低", "标题或开头未写明报告类型；开头未陈述本单位一年来的工作"), ("指定", "")]


def test_bytes_are_utf8_with_bom_and_crlf(cards: list[Scorecard], ctx: Any) -> None:
    data = render("csv", cards, ctx).encode("utf-8")
    assert data.startswith("\ufeff文件,报告类型,".encode()) and data.count(b"\r\n") == len(cards) + 1
    assert "龙门浩街道办事处".encode() in data


def test_columns_are_stable(cards: list[Scorecard], ctx: Any) -> None:
    header = parse(render("csv", cards, ctx))[0]
    assert parse(render("csv", cards[::-1], ctx))[0] == header
    assert parse(render("csv", [cards[2]], ctx))[0] == header
    by_score = parse(render("csv", cards, ReportContext(packs=ctx.packs, sort="score")))
    assert [r[0] for r in by_score[1:]] == [EMPTY_PATH, SEED_PATHS[2], SEED_PATHS[1], SEED_PATHS[0]]


def test_formula_like_text_stays_text(cards: list[Scorecard], ctx: Any) -> None:
    card = replace(cards[0], body="=HYPERLINK(\"x\")", path="-a.txt")
    row = parse(render("csv", [card], ctx))[1]
    assert row[0] == "'-a.txt" and row[5] == "'=HYPERLINK(\"x\")"
