"""`auditor check --roster`: the bodies expected to report, matched to real seed reports by
their issuing body (full name, shorter name, 简称), in every batch output, the bodies without a
report first."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from auditor.models import Scorecard
from auditor.run import roster

from conftest import FIXTURES, ROOT, invoke

SEEDS = ROOT / "fixtures" / "seeds"  # copies of ../shared/seeds: the tests need nothing beside the repository
SCHEMA = json.loads((ROOT / "auditor/schema/report.schema.json").read_text(encoding="utf-8"))
GOOD = FIXTURES / "reports" / "compliant.txt"  # 重庆市渝北区人民政府宝圣湖街道办事处: not on the roster
NAMES = ["龙门浩街道", "周家店镇", "小龙坎街道", "石桥铺街道"]



@pytest.fixture()
def batch(tmp_path: Path) -> tuple[Path, Path]:
    """The three seeds, 小龙坎街道's report twice, and one report from a body not on the roster."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    shutil.copy(SEEDS / "004_c31362d728184ceb.txt", folder / "004_again.txt")
    shutil.copy(GOOD, folder / "compliant.txt")
    names = tmp_path / "bodies.txt"
    names.write_text("# 应报送单位\n" + "\n".join(NAMES) + "\n", encoding="utf-8")
    return folder, names


@pytest.mark.parametrize("entry, body, same", [
    ("小龙坎街道", "沙坪坝区人民政府小龙坎街道办事处", True),
    ("重庆市沙坪坝区人民政府小龙坎街道办事处", "沙坪坝区人民政府小龙坎街道办事处", True),
    ("沙坪坝区小龙坎街道", "重庆市沙坪坝区人民政府小龙坎街道办事处", True),
    ("龙门浩街道", "重庆市南岸区人民政府龙门浩街道办事处", True),
    ("周家店镇", "常德市鼎城区周家店镇人民政府", True),
    ("沙坪坝区人民政府", "重庆市沙坪坝区人民政府", True),
    ("坎街道", "沙坪坝区人民政府小龙坎街道办事处", False),  # not at an administrative boundary
    ("沙坪坝区", "沙坪坝区人民政府小龙坎街道办事处", False),  # the district is not its 街道
    ("龙门浩街道", "重庆市南岸区人民政府南坪街道办事处", False),
])
def test_names_match_at_administrative_boundaries(entry: str, body: str, same: bool) -> None:
    assert roster.matches(entry, body) is same


def test_text_summary_lists_the_missing_first(batch: tuple[Path, Path]) -> None:
    folder, names = batch
    result = invoke("check", "--no-cache", "--no-color", "--summary", "--roster", names, folder)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "报送名单核对：名单 4 个单位：已报送 3，未报送 1，重复报送 1，名单外报告 1 份"
    assert lines[1] == "未报送：石桥铺街道"
    assert lines[2].startswith("重复报送：小龙坎街道（") and "004_again.txt" in lines[2]
    assert "不在名单中的报告：" in lines[3] and "宝圣湖街道" in lines[3]


def test_json_csv_xlsx_html_carry_the_roster(batch: tuple[Path, Path], tmp_path: Path) -> None:
    folder, names = batch
    out = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "csv", "xlsx", "html")}
    args = [a for fmt, path in out.items() for a in ("-o", f"{fmt}:{path}")]
    result = invoke("check", "--no-cache", "--roster", names, *args, "--format", "json", folder)
    assert result.exit_code == 1
    doc = json.loads(out["json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert list(doc)[:4] == ["version", "generator", "config", "roster"]  # before the reports
    got = doc["roster"]
    assert got["missing"] == ["石桥铺街道"] and got["names"] == 4
    assert [(d["name"], len(d["paths"])) for d in got["duplicates"]] == [("小龙坎街道", 2)]
    assert [u["body"] for u in got["unlisted"]] == ["重庆市渝北区人民政府宝圣湖街道办事处"]
    assert {m["name"] for m in got["matched"]} == {"龙门浩街道", "周家店镇", "小龙坎街道"}

    rows = list(csv.reader(io.StringIO(out["csv"].read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "名单核对"
    body, verdict = rows[0].index("发文单位/署名"), rows[0].index("结论")
    assert (rows[1][body], rows[1][verdict], rows[1][-1]) == ("石桥铺街道", "未报送", "未报送")  # before the reports
    notes = {Path(r[0]).name: r[-1] for r in rows[2:]}
    assert notes["004_again.txt"] == notes["004_c31362d728184ceb.txt"] == "同一单位报送 2 份"
    assert notes["compliant.txt"] == "不在名单中" and notes["000_ae009fae7ef3885b.txt"] == "已报送"

    from openpyxl import load_workbook

    wb = load_workbook(out["xlsx"])
    assert wb.sheetnames[0] == "报送情况" and wb.active.title == "报送情况"
    sheet = [[c.value for c in row] for row in wb["报送情况"].iter_rows(min_row=2, max_col=2)]
    assert sheet[0] == ["石桥铺街道", "未报送"] and sheet[1] == ["小龙坎街道", "重复报送（2 份）"]
    assert ["重庆市渝北区人民政府宝圣湖街道办事处", "不在名单中"] in sheet

    html = out["html"].read_text(encoding="utf-8")
    assert html.index('id="roster"') < html.index("<h2>汇总</h2>")
    assert "未报送（1）：</b>石桥铺街道" in html and "不在名单中" in html


def test_roster_from_an_xlsx_column(batch: tuple[Path, Path], tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "单位名称", "联系人"])
    for i, name in enumerate(["重庆市南岸区人民政府龙门浩街道办事处", "鼎城区周家店镇", "小龙坎街道"], 1):
        ws.append([i, name, "张三"])
    book = tmp_path / "名单.xlsx"
    wb.save(book)
    assert roster.load(str(book)) == ["重庆市南岸区人民政府龙门浩街道办事处", "鼎城区周家店镇", "小龙坎街道"]
    folder, _ = batch
    result = invoke("check", "--no-cache", "--format", "json", "--roster", book, folder)
    got = json.loads(result.output)["roster"]
    assert got["missing"] == [] and [d["name"] for d in got["duplicates"]] == ["小龙坎街道"]


def test_a_bad_roster_is_refused_before_any_audit(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# 只有注释\n", encoding="utf-8")
    result = invoke("check", "--roster", empty, GOOD)
    assert result.exit_code == 2 and "名单中没有单位名称" in result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    result = invoke("check", "--roster", broken, GOOD)
    assert result.exit_code == 2 and "无法读取名单表格" in result.output
    result = invoke("check", "--roster", tmp_path / "none.txt", GOOD)
    assert result.exit_code == 2 and "无法读取名单文件" in result.output


def test_unreadable_reports_are_neither_matched_nor_off_the_roster() -> None:
    cards = [Scorecard(path="a.txt", pack=None, verdict="error", score=None, results=(), error="文件为空")]
    result = roster.match(["小龙坎街道"], cards)
    assert result.missing == ["小龙坎街道"] and result.unlisted == () and result.mark("a.txt") == ""
