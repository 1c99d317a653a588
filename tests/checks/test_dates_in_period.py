from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.checks import dates_in_period
from auditor.models import Met

from conftest import run_kind

P = {"exempt_patterns": ["截至", "截止"], "allow_earlier": True, "events": True, "deadline": "04-01"}
HEAD = "某某街道2023年法治政府建设情况报告\n"


def doc(achievements: str, preamble: str = "") -> str:
    return f"{HEAD}{preamble}一、主要举措和成效\n{achievements}\n二、存在的问题\n培训不足。\n四、2024年工作安排\n2024年5月开展培训。"


@pytest.mark.parametrize(("text", "met", "says"), [
    (doc("2023年5月召开法治建设工作会议。"), Met.MET, "均在2023年内"),
    (doc("2024年5月召开法治建设工作会议。"), Met.UNMET, "“2024年5月”晚于报告年度2023年"),
    (doc("二〇二三年三月，2024年十一月召开会议。"), Met.UNMET, "2024年十一月"),
    (doc("截至2024年2月，全部案件办结。"), Met.MET, ""),
    (doc("延续2022年10月出台的制度。"), Met.MET, ""),  # earlier years are background
    (doc("开展普法12场。", "2023年，街道深入学习贯彻党的二十届三中全会精神。\n"), Met.UNMET, "党的二十届三中全会"),
    (doc("开展普法12场。", "2023年，街道深入学习贯彻党的二十大精神。\n"), Met.MET, ""),
])
def test_dates(annual: Any, text: str, met: Met, says: str) -> None:
    out = run_kind("dates_in_period", text, P, annual, scope={"role": "achievements"})
    assert out.met is met, out.message
    assert says in out.message


def test_year_unknown_skips(annual: Any) -> None:
    text = "一、主要举措和成效\n召开法治建设工作会议。"
    assert run_kind("dates_in_period", text, P, annual).met is Met.NOT_APPLICABLE


def test_earlier_dates_when_not_allowed(annual: Any) -> None:
    out = run_kind("dates_in_period", doc("延续2022年10月出台的制度。"), {**P, "allow_earlier": False}, annual,
                   scope={"role": "achievements"})
    assert out.met is Met.UNMET and "早于" in out.message


def test_deadline_decides_the_anachronism(annual: Any) -> None:
    text = doc("开展普法12场。", "学习贯彻党的二十届二中全会精神。\n").replace("2023", "2022")
    # 二中全会 (2023-02-28) is before a 2022 report's deadline 2023-04-01, after 2023-02-01
    assert run_kind("dates_in_period", text, P, annual, scope={"role": "achievements"}).met is Met.MET
    assert run_kind("dates_in_period", text, P, annual, scope={"role": "achievements"},
                    deadline="02-01").met is Met.MET  # --deadline is the submission deadline: not this one
    assert run_kind("dates_in_period", text, {**P, "deadline": "02-01"}, annual,
                    scope={"role": "achievements"}).met is Met.UNMET


def test_events_file_is_valid_and_errors_name_it(tmp_path: Any) -> None:
    events = dates_in_period.load_events()
    assert any(e.name == "党的二十届三中全会" and e.date.isoformat() == "2024-07-18" for e in events)
    bad = tmp_path / "events.json"
    bad.write_text(json.dumps({"events": [{"name": "x", "patterns": ["("], "date": "2024-01-01"}]}), encoding="utf-8")
    with pytest.raises(Exception, match="events.json"):
        dates_in_period.load_events(str(bad))
