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
    assert rows[0] == ["path", "pack", "report_year", "body", "verdict", "score", *ids, "error"]
    assert [r[0] for r in rows[1:]] == [*SEED_PATHS, EMPTY_PATH]
    first = dict(zip(rows[0], rows[1]))
    assert first["verdict"] == cards[0].verdict and first["score"] == str(cards[0].score)
    assert first["report_year"] == "2023"
    assert first["body"] == "重庆市南岸区人民政府龙门浩街道办事处"
    assert all(first[r.rule] == r.status.value for r in cards[0].results) and first["error"] == ""
    second = dict(zip(rows[0], rows[2]))
    assert (second["AR103"], second["AR105"], second["AR202"]) == ("fail", "fail", "skip")
    error = dict(zip(rows[0], rows[4]))
    assert error["verdict"] == "error" and error["score"] == "" and error["AR001"] == "" and error["error"] == "文件为空"


def test_bytes_are_utf8_with_bom_and_crlf(cards: list[Scorecard], ctx: Any) -> None:
    data = render("csv", cards, ctx).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbfpath,pack,") and data.count(b"\r\n") == len(cards) + 1
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
    assert row[0] == "'-a.txt" and row[3] == "'=HYPERLINK(\"x\")"
