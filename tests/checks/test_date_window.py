from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import make_doc, run_kind

DOC = "某街道2023年法治政府建设情况报告\n一、其他需要报告的情况\n无。\n某某街道办事处\n{date}"
P = {"source": "signature", "year_offset": 1, "deadline": "04-01", "submission": True}


@pytest.mark.parametrize(("date", "met"), [
    ("2024年3月4日", Met.MET),
    ("2024年4月1日", Met.MET),  # the deadline day itself is in time
    ("2024年1月1日", Met.MET),
    ("2024年4月2日", Met.UNMET),
    ("2023年12月28日", Met.MET),  # lateness only: a date inside the year is AR208's (kind whole_year)
    ("2025年3月1日", Met.UNMET),
    ("二〇二四年三月四日", Met.MET),
])
def test_signature_date_window(annual: Any, date: str, met: Met) -> None:
    assert run_kind("date_window", DOC.format(date=date), P, annual).met is met


def test_cli_deadline_overrides_rule_default(annual: Any) -> None:
    text = DOC.format(date="2024年3月4日")
    assert run_kind("date_window", text, P, annual, deadline="03-01").met is Met.UNMET
    assert run_kind("date_window", text, P, annual, deadline="03-31").met is Met.MET


def test_cli_deadline_leaves_a_publication_deadline_alone(annual: Any) -> None:
    """`--deadline` sets the submission deadline; a rule without `submission` (AR304, publication
    by 4月1日 for every body) keeps its own."""
    text = DOC.format(date="2024年3月4日")
    publication = {**P, "submission": False}
    assert run_kind("date_window", text, publication, annual, deadline="03-01").met is Met.MET
    assert run_kind("date_window", DOC.format(date="2024年4月2日"), publication, annual, deadline="04-30").met is Met.UNMET


@pytest.mark.parametrize(("page", "date", "met", "said"), [
    ("[ 成文日期 ] 2024-03-04 [ 发布日期 ] 2024-03-10", "", Met.MET, "据网页信息栏的成文日期，报告成文于2024年3月4日"),
    ("| 成文日期 | 2024-04-15 | 发布日期 | 2024-04-20 |", "", Met.UNMET, "据网页信息栏的成文日期，报告成文于2024年4月15日，晚于2024年4月1日"),
    ("• 成文日期：2024年04月15日", "", Met.UNMET, "据网页信息栏的成文日期"),
    ("[ 成文日期 ] 2024-04-15 [ 发布日期 ] 2024-04-20", "2024年3月4日", Met.MET, "成文日期2024年3月4日"),  # the body wins
])
def test_the_pages_written_date_stands_in_for_a_missing_one(annual: Any, page: str, date: str, met: Met,
                                                           said: str) -> None:
    text = page + "\n" + DOC.format(date=date).rstrip("\n")
    got = run_kind("date_window", text, P, annual)
    assert got.met is met
    assert said in got.message


def test_not_applicable_without_date_or_year(annual: Any) -> None:
    no_date = DOC.format(date="").rstrip("\n")
    assert run_kind("date_window", no_date, P, annual).met is Met.NOT_APPLICABLE
    no_year = "一、其他需要报告的情况\n无。\n某某街道办事处\n2024年3月4日"
    assert run_kind("date_window", no_year, P, annual).met is Met.NOT_APPLICABLE


def test_published_date_from_page_metadata(annual: Any) -> None:
    from auditor.models import replace

    from auditor import checks
    from auditor.checks import Context
    from auditor.checks.contract import compile_params, whole

    doc = make_doc("某街道2023年法治政府建设情况报告\n一、主要举措和成效\n正文。", annual)
    late = replace(doc, meta={"published": "2024-04-10"})
    ok = replace(doc, meta={"published": "2024-03-20"})
    kind = checks.get("date_window")
    params = compile_params(kind, {"source": "published"})
    ctx = Context(roles=annual.roles)
    assert kind.check(whole(late), params, ctx).met is Met.UNMET
    assert kind.check(whole(ok), params, ctx).met is Met.MET
    assert kind.check(whole(doc), params, ctx).met is Met.NOT_APPLICABLE
