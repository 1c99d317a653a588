"""Report-year detection (roles.find_year) against website noise, other years and Traditional text."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import make_doc

PLAN = "\n一、主要举措和成效\n开展普法12场。\n二、下一步工作计划\n一是加强培训。二是深化普法。"
DUTY = "\n一、履职情况\n本人带头学法。\n二、下一步打算\n一是坚持学法。二是加强督办。"

# (pack, text) → (year, the line it was read from)
CASES: list[tuple[str, str, int | None, int | None]] = [
    # a site clock is chrome, never the title nor the year
    ("annual", "今天是：2019年10月31日 星期四\n某县2023年法治政府建设情况报告" + PLAN, 2023, 2),
    ("annual", "2019年10月31日 星期四\n某县2023年法治政府建设情况报告" + PLAN, 2023, 2),
    # publication metadata: labelled, or a bare time stamp before the title
    ("annual", "发布时间：2024-03-10 09:30 来源：某县司法局\n某县2023年法治政府建设情况报告" + PLAN, 2023, 2),
    ("duty", "2024-02-05 09:30 来源：某县司法局 浏览次数：386\n某县县长2023年度述法报告" + DUTY, 2023, 2),
    # a date line taken into the title block is a stamp, not the report year
    ("annual", "2024年3月10日\n某县2023年法治政府建设情况报告" + PLAN, 2023, 2),
    # no title: a stronger preamble sign further down beats a year the text refers back to
    ("annual", "今年以来，某区紧扣2024年度法治政府建设工作中暴露的短板，逐项整改。\n现将2025年度法治政府建设情况报告如下：" + PLAN, 2025, 2),
    ("duty", "本人对照2022年度述法评议中指出的问题抓好整改。\n现将本人2023年度履职情况报告如下：" + DUTY, 2023, 2),
    # a referred or cited year alone gives no year rather than a wrong one
    ("annual", "今年以来，某区紧扣2024年度法治政府建设工作短板，现将有关情况报告如下：" + PLAN, None, None),
    ("annual", "某区认真落实《法治政府建设实施纲要（2021—2025年）》，现将有关情况报告如下：" + PLAN, None, None),
    # ... except the year's own plan being carried out: a last resort, when nothing else names a year
    ("annual", "某区认真落实《2023年全区法治政府建设工作要点》，现将有关情况报告如下：" + PLAN, 2023, 1),
    # the body's own dated facts, when no title, heading or opening names a year
    ("duty", "一、履职情况\n2024年共签批法治类文件3件，主持专题会议4次。\n二、存在的问题\n学法不够系统。", 2024, 2),
    # Traditional characters, Chinese numerals, a period
    ("duty", "雲溪縣縣長李華2024年度履行推進法治建設第一責任人職責情況的報告" + DUTY, 2024, 1),
    ("annual", "某县二〇二三年度法治政府建设情况报告" + PLAN, 2023, 1),
    ("duty", "某区区长李四2021—2023年述法报告" + DUTY, 2023, 1),
    # no title: a heading naming the plan year, minus the plan's offset
    ("duty", "本人认真履职。\n一、履职情况\n本人带头学法。\n二、2024年工作打算\n一是学法。二是督办。", 2023, 4),
]


@pytest.mark.parametrize(("pack", "text", "year", "line"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_find_year(packs: Any, pack: str, text: str, year: int | None, line: int | None) -> None:
    doc = make_doc(text, packs[pack])
    assert (doc.report_year, doc.year_evidence.no if doc.year_evidence else None) == (year, line)


def test_clock_and_stamps_are_chrome(packs: Any) -> None:
    doc = make_doc("今天是：2019年10月31日 星期四\n2024-02-05 09:30\n某县县长2023年度述法报告" + DUTY, packs["duty"])
    assert [ln.no for ln in doc.chrome] == [1, 2] and [ln.no for ln in doc.title] == [3]
    # a signature date has neither weekday nor time, and stays report content
    assert not make_doc("一、下一步打算\n一是学法。二是督办。\n张三\n2024年1月20日", packs["duty"]).chrome
