"""Last year's edition: matching by body and year, carried-over text, repeated figures, plan
uptake (cross/previous.py)."""

from __future__ import annotations

from typing import Any, Mapping

from conftest import FIXTURES, make_doc

from auditor.cross import previous, streams
from auditor.cross.crosscheck import CrossSettings, Reader, read_texts
from auditor.run.engine import audit_file

PREV = FIXTURES / "batch" / "previous"


def run(packs: Mapping[str, Any], files: list[str], prev: list[str]) -> previous.Result:
    cards = [audit_file(f, packs) for f in files]
    texts = {p: text for p, (text, _) in read_texts(cards, Reader(packs=packs)).items()}
    return previous.run(texts, cards, packs, CrossSettings(previous=tuple(prev)))


def test_carried_over_report(packs: Mapping[str, Any]) -> None:
    this = str(PREV / "2023" / "baoshenghu_2023.txt")
    result = run(packs, [this], [str(p) for p in sorted((PREV / "2022").glob("*.txt"))])
    results, info = result.per_report[this]
    assert info["matched"] == str(PREV / "2022" / "baoshenghu_2022.txt") and info["match"] == "body_year"
    assert 0.7 < info["carried_over"] < 0.95
    assert {"line": 9, "text": "开展宪法、民法典等主题普法活动56场", "previous_line": 9} in info["repeated_figures"]
    plan = info["plan"]
    assert (plan["measures"], plan["taken_up"]) == (5, 3)
    assert [p["taken_up"] for p in plan["pairs"]] == [True, True, True, False, False]
    assert plan["pairs"][0]["line"] == 6
    xr201, xr202 = results
    assert (xr201.rule, xr201.status.value, xr202.rule, xr202.status.value) == ("XR201", "warn", "XR202", "pass")
    assert "82%" in xr201.message and "19处数字与上年相同" in xr201.message
    assert len(set(xr201.evidence)) == len(xr201.evidence)


def test_rewritten_report_passes(packs: Mapping[str, Any]) -> None:
    this = str(PREV / "2023" / "longmenhao_2023.txt")
    results, info = run(packs, [this], [str(PREV / "2022")  + "/longmenhao_2022.txt"]).per_report[this]
    assert info["match"] == "body_year" and info["carried_over"] < 0.05 and info["repeated_figures"] == []
    assert [r.status.value for r in results] == ["pass", "pass"]


def test_no_previous_edition(packs: Mapping[str, Any]) -> None:
    this = str(PREV / "2023" / "longmenhao_2023.txt")
    results, info = run(packs, [this], [str(PREV / "2022" / "baoshenghu_2022.txt")]).per_report[this]
    assert info == {"matched": None, "match": None, "reason": "未找到重庆市南岸区人民政府龙门浩街道办事处2022年的报告"}
    assert [r.status.value for r in results] == ["skip", "skip"]


def test_plan_not_taken_up_warns(packs: Mapping[str, Any], tmp_path: Any) -> None:
    body = "某某镇人民政府"
    last = (f"{body}\n关于2022年度法治政府建设情况的报告\n一、2022年推进法治政府建设的主要举措和成效\n开展普法活动12场。\n"
            "二、2022年推进法治政府建设存在的不足和原因\n培训不足。\n四、2023年推进法治政府建设的主要安排\n"
            "一是建设智慧矫正中心。二是创建民主法治示范村。三是编制权责清单。\n五、其他需要报告的情况\n无。\n"
            f"{body}\n2023年3月1日\n")
    this = (f"{body}\n关于2023年度法治政府建设情况的报告\n一、2023年推进法治政府建设的主要举措和成效\n"
            "开展宪法宣传周活动，举办讲座。\n二、2023年推进法治政府建设存在的不足和原因\n执法力量薄弱。\n"
            "四、2024年推进法治政府建设的主要安排\n一是加强培训。\n五、其他需要报告的情况\n无。\n"
            f"{body}\n2024年3月1日\n")
    (tmp_path / "last.txt").write_text(last, encoding="utf-8")
    (tmp_path / "this.txt").write_text(this, encoding="utf-8")
    results, info = run(packs, [str(tmp_path / "this.txt")], [str(tmp_path / "last.txt")]).per_report[
        str(tmp_path / "this.txt")]
    assert info["match"] == "body_year" and info["plan"]["measures"] == 3 and info["plan"]["taken_up"] == 0
    xr202 = results[1]
    assert xr202.status.value == "warn" and "3项安排中，0项" in xr202.message
    assert [e.text for e in xr202.evidence] == ["建设智慧矫正中心", "创建民主法治示范村", "编制权责清单"]


def test_match_by_text_when_the_body_differs(packs: Mapping[str, Any], tmp_path: Any) -> None:
    renamed = (PREV / "2022" / "baoshenghu_2022.txt").read_text(encoding="utf-8").replace(
        "重庆市渝北区人民政府宝圣湖街道办事处", "宝圣湖街道党工委")
    (tmp_path / "old.txt").write_text(renamed, encoding="utf-8")
    this = str(PREV / "2023" / "baoshenghu_2023.txt")
    _, info = run(packs, [this], [str(tmp_path / "old.txt")]).per_report[this]
    assert info["match"] == "text" and "按正文相同比例" in info["reason"]


def test_measures_and_keywords(annual: Any) -> None:
    doc = make_doc("一、主要举措和成效\n开展普法。\n四、2024年工作安排\n（一）深化行政执法体制改革。\n"
                   "一是建设法治文化公园；二是推行包容审慎监管。", annual)
    assert [m for _, m in previous.measures(doc)] == ["深化行政执法体制改革", "建设法治文化公园", "推行包容审慎监管"]
    assert previous.keywords("推进法治文化公园建设") == {"文化", "化公", "公园"}


def test_streams_read_skips_unreadable(packs: Mapping[str, Any], tmp_path: Any) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert streams.read(str(tmp_path / "empty.txt"), packs) is None
