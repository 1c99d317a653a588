"""Kind `whole_year` with the shipped AR208 parameters, on wording from real reports (the seeds,
the corpus pages) and the wording a reviewer lets pass (year-end dates, other years, the plan)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.checks.contract import compile_params
from auditor.models import Met

from conftest import ROOT, make_doc, run_kind

HEAD = "某某街道2023年法治政府建设情况报告\n一、推进法治政府建设的主要举措和成效\n"
TAIL = "\n二、存在的不足和原因\n{short}\n四、2024年推进法治政府建设的主要安排\n{plan}\n某某街道办事处\n{date}"


def report(body: str, *, short: str = "执法人员培训不足。", plan: str = "开展执法人员轮训。",
           date: str = "2024年3月4日", head: str = HEAD) -> str:
    return head + body + TAIL.format(short=short, plan=plan, date=date)


@pytest.fixture(scope="module")
def params() -> Any:
    """AR208's params as rules/annual-report.yaml gives them."""
    import yaml

    pack = yaml.safe_load((ROOT / "rules" / "annual-report.yaml").read_text(encoding="utf-8"))
    return next(r for r in pack["rules"] if r["id"] == "AR208")["params"]


@pytest.mark.parametrize(("body", "quoted"), [
    # seed 000 (龙门浩街道), dated 2024年3月4日
    ("积极推进法治政府建设与矛盾纠纷调解相结合,今年以来,法律顾问参与调解纠纷调解80余次,线上线下累计提供法律咨询560余次。",
     "今年以来,法律顾问参与调解纠纷调解80余次"),
    # seed 002 (周家店镇), dated 2024年2月26日
    ("2023年至今,我镇司法所共排查矛盾纠纷205件,调解及指导调解成功205件,成功率达100%。", "2023年至今,我镇司法所共排查矛盾纠纷205件"),
    ("今年以来,周家店镇法治建设工作在区委、区政府的精心指导下,认真贯彻落实全国和省、市法治工作会议精神。", "今年以来"),
    # the street report
    ("截至11月20日止，我街共受理行政复议申请6件，办结5件。", "截至11月20日止，我街共受理行政复议申请6件"),
    ("截至2023年10月底，全街道共化解矛盾纠纷132件。", "截至2023年10月底"),
    ("1—11月，共开展普法宣传活动52场，覆盖群众8000余人次。", "1—11月"),
    ("2023年1-11月，办理行政处罚案件41件。", "2023年1-11月"),
    ("一至十一月，累计开展执法检查286次。", "一至十一月"),
    ("前三季度，全镇行政机关负责人出庭应诉4件。", "前三季度"),
    ("2023年以来，街道持续培育“法律明白人”，至今已培育64名。", "2023年以来，街道持续培育“法律明白人”，至今"),
    ("3月至今，开展“法治体检”18场。", "3月至今"),
    ("截至目前，共受理行政复议申请6件。", "截至目前"),
    ("上半年共调解各类纠纷15件，调解成功率100%。", "上半年共调解各类纠纷15件"),
    ("截至11月20日，全年目标任务已完成90%。", "截至11月20日，全年目标任务已完成90%"),  # 全年 alone is no breakdown
])
def test_part_year_phrases_warn(annual: Any, params: Any, body: str, quoted: str) -> None:
    out = run_kind("whole_year", report(body), params, annual)
    assert out.met is Met.UNMET, out.message
    assert quoted in out.message and "不是2023年全年的数据" in out.message
    assert "截至2023年12月31日" in out.message  # what to write instead
    assert out.evidence and out.evidence[0].line == 3


@pytest.mark.parametrize("body", [
    "全年共办理行政复议案件12件，截至2023年12月31日全部办结。",
    "截至2023年底，全街道共有持证执法人员46名。",
    "截至2023年年末，培育“法律明白人”64名。",
    "截至12月底，共受理行政复议申请6件。",
    "1—12月，共开展普法活动56场。",
    "2021年至今，累计培育“法律明白人”64名。",  # a span of whole years, not part of 2023
    "2021年以来，先后出台规范性文件12件。",
    "2023年以来，街道坚持以习近平法治思想为指导，扎实推进法治政府建设。",  # the usual opening
    "截至2024年2月底，上述案件全部办结。",  # a later follow-up (AR206's business), not part of 2023
    "2023年上半年，完成街道综合行政执法队组建。",  # when it happened, no part-year figure
    "全年开展执法人员培训6次，其中上半年4次、下半年2次。",  # a breakdown of the whole year
    "全年共开展普法活动56场，其中上半年30场。",
    "前三季度办理行政处罚案件30件，第四季度11件。",  # the rest of the year beside it
    "街道人民调解委员会成立至今，坚持“调解优先”。",
    "“枫桥经验”做法沿用至今。",
])
def test_whole_year_wording_passes(annual: Any, params: Any, body: str) -> None:
    out = run_kind("whole_year", report(body), params, annual)
    assert out.met is Met.MET, out.message


def test_the_shortcomings_and_the_plan_are_not_the_years_data(annual: Any, params: Any) -> None:
    text = report("全年共开展普法活动56场。", short="截至目前，仍有2件信访事项未化解；前三季度执法检查偏少。",
                  plan="2024年上半年完成执法人员轮训120人次；截至目前已制定计划。")
    assert run_kind("whole_year", text, params, annual).met is Met.MET


@pytest.mark.parametrize(("date", "said"), [
    ("2023年12月28日", "成文日期是2023年12月28日，那时2023年度还没有结束"),
    ("2022年3月1日", "成文日期是2022年3月1日，早于2023年度，日期可能写错"),
])
def test_a_date_before_the_year_ended(annual: Any, params: Any, date: str, said: str) -> None:
    out = run_kind("whole_year", report("全年共开展普法活动56场。", date=date), params, annual)
    assert out.met is Met.UNMET and said in out.message
    assert out.evidence[0].text == date


def test_the_pages_written_date_when_the_report_has_none(annual: Any, params: Any) -> None:
    page = "[ 索引号 ] 11500108/2023-00012 [ 发文字号 ]\n[ 成文日期 ] 2023-12-20 [ 发布日期 ] 2024-01-05\n"
    out = run_kind("whole_year", page + report("全年共开展普法活动56场。", date="").rstrip("\n"), params, annual)
    assert out.met is Met.UNMET
    assert "据网页信息栏的成文日期，报告成文于2023年12月20日" in out.message
    # a date in the report's text wins over the page's
    dated = run_kind("whole_year", page + report("全年共开展普法活动56场。"), params, annual)
    assert dated.met is Met.MET


def test_a_signature_dated_to_the_month(annual: Any, params: Any) -> None:
    """A personal report signed “张三 / 2023年12月”: the whole month lies inside the year."""
    from auditor import checks
    from auditor.checks.contract import Context, whole
    from auditor.models import Line, replace

    kind = checks.get("whole_year")
    compiled = compile_params(kind, params)
    for month, met in (("2023年12月", Met.UNMET), ("2024年2月", Met.MET)):
        doc = make_doc(report("全年共开展普法活动56场。", date=""), annual)
        dated = Line(no=99, text=month, norm=month)
        doc = replace(doc, signature=doc.signature._replace(date=dated, date_value=None))
        out = kind.check(whole(doc), compiled, Context(roles=annual.roles))
        assert out.met is met, out.message
        assert met is Met.MET or "成文日期是2023年12月，那时2023年度还没有结束" in out.message


def test_the_date_check_can_be_turned_off(annual: Any, params: Any) -> None:
    text = report("全年共开展普法活动56场。", date="2023年12月28日")
    assert run_kind("whole_year", text, {**params, "check_date": False}, annual).met is Met.MET


def test_a_figure_is_needed_only_for_with_figure_phrases(annual: Any, params: Any) -> None:
    plain = {**params, "figure_patterns": ["(?!)"]}  # no sentence ever has a figure
    assert run_kind("whole_year", report("上半年共调解各类纠纷15件。"), plain, annual).met is Met.MET
    assert run_kind("whole_year", report("前三季度共调解各类纠纷15件。"), plain, annual).met is Met.UNMET


def test_not_applicable_without_the_year(annual: Any, params: Any) -> None:
    text = "某某街道法治政府建设情况报告\n一、主要举措和成效\n今年以来,开展普法活动56场。"
    assert run_kind("whole_year", text, params, annual).met is Met.NOT_APPLICABLE


def test_many_phrases_are_counted_not_all_quoted(annual: Any, params: Any) -> None:
    body = "\n".join(f"（{i}）截至10月底，开展活动{i}场。" for i in range(1, 8))
    out = run_kind("whole_year", report(body), params, annual)
    assert out.met is Met.UNMET and "等7处" in out.message and len(out.evidence) == 5


def test_params_compile(annual: Any, params: Any) -> None:
    from auditor import checks

    compiled = compile_params(checks.get("whole_year"), params)
    assert compiled.skip_roles == ("shortcomings", "plan") and compiled.check_date is True
    doc = make_doc(report("全年共开展普法活动56场。"), annual)
    assert doc.report_year == 2023


@pytest.mark.parametrize("body", [
    # a document's title names the period it is about, not this report's data
    "认真落实《2023年1—6月法治政府建设重点工作任务清单》，逐项销号管理。",
    "转发《关于截至2023年10月底行政执法案卷评查情况的通报》，督促整改问题12个。",
    # a deadline set in a plan that part 1 quotes: 前 makes it a time limit, not the end of the data
    "印发年度工作方案，明确截至10月底前完成全部规范性文件清理，全年共清理规范性文件36件。",
    "制定《法治政府建设工作要点》，要求1—6月完成执法人员轮训，全年共培训执法人员350人次。",
])
def test_a_title_or_a_quoted_plan_is_no_part_year_data(annual: Any, params: Any, body: str) -> None:
    out = run_kind("whole_year", report(body), params, annual)
    assert out.met is Met.MET, out.message


def _phrases_plainly(lines: Any, year: int, p: Any) -> list[Any]:
    """What `_phrases` finds, read the plain way: every sentence searched with every pattern
    that can match the lines (the code before issue 23's shortcuts)."""
    from auditor.checks import whole_year as wy
    from auditor.checks.matching import evidence, may_match

    joined = "\n".join(ln.norm for ln in lines)
    always = may_match(p.phrases, joined)
    figured = may_match(p.with_figure, joined)
    found: list[Any] = []
    for ln in lines:
        for s in wy._SENTENCE.finditer(ln.norm):
            sentence = s.group()
            if any(rx.search(sentence) for rx in p.whole_year):
                continue
            hits = [m for rx in always for m in rx.finditer(sentence)]
            if figured and any(rx.search(sentence) for rx in p.figure_patterns):
                hits += [m for rx in figured for m in rx.finditer(sentence)]
            taken: list[tuple[int, int]] = []
            for m in sorted(hits, key=lambda m: (m.start(), -m.end())):
                if any(a <= m.start() < b for a, b in taken) or not wy._part_year(m, year) or wy._not_data(sentence, m):
                    continue
                taken.append(m.span())
                span = (s.start() + m.start(), s.start() + m.end())
                found.append((wy._quote(ln, span[0], s.end()), evidence(ln, span), ln))
    return found


def test_the_shortcuts_find_what_every_sentence_read_finds(packs: Any, every_document: Any) -> None:
    """`_phrases` runs a pattern only where its literals are and asks `may_match` lazily: on every
    fixture, corpus and perf-corpus text, with each pack's whole_year rules and several years, it
    finds exactly what searching every sentence with every usable pattern finds."""
    from auditor.checks import whole_year as wy
    from auditor.checks.contract import whole

    rules = [r for pack in packs.values() for r in pack.rules if r.kind == "whole_year"]
    assert rules
    compared = found = 0
    for name, doc in every_document:
        for rule in rules:
            lines = wy._lines(whole(doc), rule.params)
            for year in {doc.report_year or 2023, 2022, 2023, 2024}:
                fast = wy._phrases(lines, year, rule.params)
                assert fast == _phrases_plainly(lines, year, rule.params), (name, rule.id, year)
                compared += 1
                found += len(fast)
    assert compared > 500 and found > 50
