"""Robustness on pages we have not seen: variants a careful reviewer meets, built from the real seeds,
the report fixtures and the corpus pages (title lost, title in Traditional, a cover letter around
the report, a 【转载】/来源 line, 附件 lines at the end, a page cut short), and documents near a report
that are none (news about a published report, a 述职述廉报告, a notice asking for reports).

Each variant asserts the verdict a careful reviewer gives; the fixtures themselves are untouched.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_text

from conftest import FIXTURES


def _corpus_reports() -> list[str]:
    """The corpus pages labelled as reports (the interpretation page is refused, rightly)."""
    import yaml

    labels = yaml.safe_load((FIXTURES / "corpus" / "labels.yaml").read_text(encoding="utf-8"))["cases"]
    return sorted(name for name, label in labels.items() if label.get("verdict") != "error")

SOURCES = {
    "seed000": "seeds/000_ae009fae7ef3885b.txt",  # no title (the page lost it)
    "seed002": "seeds/002_84eb398e434a8021.txt",
    "seed004": "seeds/004_c31362d728184ceb.txt",  # no signature, no date
    "compliant": "reports/compliant.txt",
    "duty": "duty/complete.txt",
    "shufa": "duty/shufa_web.txt",
}


def _read(name: str) -> str:
    return (FIXTURES / SOURCES[name]).read_text(encoding="utf-8")


def _audit(text: str, packs: Any, **options: Any) -> Any:
    return audit_text(text, packs, AuditOptions(**options))


def _statuses(card: Any) -> dict[str, str]:
    return {r.rule: r.status.value for r in card.results}


def _split_head(text: str) -> tuple[list[str], list[str]]:
    """The lines above the report's first sentence or heading (issuer and title), and the rest."""
    lines = text.splitlines()
    at = next(i for i, s in enumerate(lines) if re.search(r"[。，,；]", s) or re.match(r"^\s*[一二三四五]、", s))
    return lines[:at], lines[at:]


def _title_prefix(card: Any) -> str:
    return "AR" if card.pack == "annual" else "DR"


# ----------------------------------------------------------------------------- the title


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_title_removed_keeps_type_and_year_and_warns(packs: Any, name: str) -> None:
    text = _read(name)
    whole = _audit(text, packs)
    _, rest = _split_head(text)
    card = _audit("\n".join(rest), packs)
    assert (card.pack, card.report_year) == (whole.pack, whole.report_year)
    assert _statuses(card)[_title_prefix(card) + "001"] == "warn"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_title_only_in_traditional_is_read_as_the_title(packs: Any, name: str) -> None:
    import opencc

    text = _read(name)
    whole = _audit(text, packs)
    head, rest = _split_head(text)
    to_traditional = opencc.OpenCC("s2t")
    card = _audit("\n".join([*(to_traditional.convert(s) for s in head), *rest]), packs)
    assert (card.pack, card.report_year, card.verdict) == (whole.pack, whole.report_year, whole.verdict)
    assert _statuses(card) == _statuses(whole)


# ----------------------------------------------------------------------------- the cover letter

LETTER = {
    "annual": ("某某县司法局", "关于报送《2023年度法治政府建设情况报告》的{noun}", "县委全面依法治县委员会办公室：",
               "根据工作安排，现将《2023年度法治政府建设情况报告》报送你们，请审阅。"),
    "duty": ("中共某某县委", "关于报送县委书记2023年度履行推进法治建设第一责任人职责情况报告的{noun}", "市委依法治市办：",
             "现将县委书记2023年度履行推进法治建设第一责任人职责情况报告报送你们，请审阅。"),
}


def _with_letter(text: str, pack: str, noun: str, date: str = "2024年3月8日") -> str:
    issuer, title, to, body = LETTER[pack]
    return "\n".join([issuer, title.format(noun=noun), to, body, "附件：" + title.format(noun="")[4:-1],
                      issuer, date, text])


@pytest.mark.parametrize("noun", ["函", "报告", "请示", "通知"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_report_under_its_cover_letter_is_audited_as_the_report(packs: Any, name: str, noun: str) -> None:
    """The letter is leading matter: the report keeps its own type, year, title verdict and signature."""
    text = _read(name)
    whole = _audit(text, packs)
    card = _audit(_with_letter(text, whole.pack, noun), packs)
    got, want = _statuses(card), _statuses(whole)
    assert (card.pack, card.report_year) == (whole.pack, whole.report_year), card.error
    prefix = _title_prefix(card)
    assert got[prefix + "001"] == want[prefix + "001"]  # the report's own title, not the letter's
    if want[prefix + "301"] == "pass":
        assert got[prefix + "301"] == "pass" and got[prefix + "302"] == want[prefix + "302"]


@pytest.mark.parametrize("noun", ["函", "请示", "通知"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_cover_letter_and_a_cut_report_is_still_the_report(packs: Any, name: str, noun: str) -> None:
    """A page's first screen: the letter and the report's beginning (the quoted report name
    leaves the letter's title nothing but 关于报送的函)."""
    text = _read(name)
    whole = _audit(text, packs)
    card = _audit(_with_letter(text, whole.pack, noun)[:500], packs)
    assert card.verdict != "error" and card.pack == whole.pack, card.error


def test_the_letter_signs_a_report_that_has_none(packs: Any) -> None:
    """Seed 004 has no signature; sent under a letter, the letter's issuer and date sign it (an
    attachment needs no 落款 of its own), and the date is checked against the deadline."""
    text = _read("seed004")
    assert _statuses(_audit(text, packs))["AR301"] == "fail"
    card = _audit(_with_letter(text, "annual", "函"), packs)
    got = _statuses(card)
    assert (got["AR301"], got["AR302"], got["AR303"]) == ("pass", "pass", "pass")
    late = _statuses(_audit(_with_letter(text, "annual", "函", date="2024年4月20日"), packs))
    assert late["AR303"] == "fail"


def test_the_reports_own_signature_wins_over_the_letters(packs: Any) -> None:
    card = _audit(_with_letter(_read("compliant"), "annual", "函", date="2024年4月20日"), packs)
    assert _statuses(card)["AR303"] == "pass"  # the report's own 2024年3月8日, not the letter's date


def test_a_notice_that_publishes_a_report_holds_the_report(packs: Any) -> None:
    text = "\n".join(["某某县人民政府办公室", "关于印发《某某县2023年法治政府建设情况报告》的通知", "各乡镇人民政府，县政府各部门：",
                      "《某某县2023年法治政府建设情况报告》已经县政府同意，现印发给你们。", "某某县人民政府办公室",
                      "2024年3月20日", _read("compliant")])
    card = _audit(text, packs)
    assert (card.pack, card.report_year) == ("annual", 2023), card.error


@pytest.mark.parametrize("text", [
    # a notice asking others to send their reports: its title says 报送 too, but it sets a time
    "某县司法局\n关于报送2023年度法治政府建设年度报告的通知\n各乡镇人民政府，县直各部门：\n"
    "根据上级要求，现将有关事项通知如下：\n一、报送内容\n2023年度法治政府建设情况报告。\n二、报送时间\n请于2024年2月20日前报送。",
    "某县司法局\n关于报送2023年度法治政府建设年度报告的通知\n各乡镇人民政府，县直各部门：\n"
    "请于2024年2月20日前将2023年度法治政府建设情况报告报送县司法局。\n某县司法局\n2024年1月5日",
    # a plan sent under a 印发 notice is a plan
    "某县人民政府办公室\n关于印发《某县2024年法治政府建设工作要点》的通知\n各乡镇：\n现将《某县2024年法治政府建设工作要点》印发给你们，"
    "请认真贯彻执行。\n某县人民政府办公室\n2024年3月1日\n某县2024年法治政府建设工作要点\n为深入推进法治政府建设，制定本要点。\n"
    "一、总体要求\n坚持依法行政。\n二、主要任务\n深化普法。",
], ids=["notice-with-parts", "notice-asking-by-a-date", "plan-under-notice"])
def test_a_letter_that_wraps_no_report_is_refused(packs: Any, text: str) -> None:
    card = _audit(text, packs)
    assert card.verdict == "error" and card.pack is None
    assert card.error.startswith(("这是通知", "这是工作方案")), card.error


# ----------------------------------------------------------------------------- lines around the report


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_reprint_tag_and_source_line_change_nothing(packs: Any, name: str) -> None:
    text = _read(name)
    whole = _audit(text, packs)
    card = _audit("【转载】\n来源：某某县人民政府网\n" + text, packs)
    assert (card.pack, card.report_year, card.verdict) == (whole.pack, whole.report_year, whole.verdict)
    assert _statuses(card) == _statuses(whole)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_annex_lines_at_the_end_change_nothing(packs: Any, name: str) -> None:
    text = _read(name)
    whole = _audit(text, packs)
    card = _audit(text.rstrip() + "\n附件：1.2023年度法治政府建设工作台账\n2.2023年度行政执法数据统计表\n", packs)
    assert (card.pack, card.report_year, card.verdict) == (whole.pack, whole.report_year, whole.verdict)
    assert _statuses(card) == _statuses(whole)


# ----------------------------------------------------------------------------- news about a report

NEWS = {
    # no 近日/记者/会议: the headline says the report came out, the text tells what it shows
    "published-headline": "宝圣湖街道2023年度法治政府建设情况报告发布\n宝圣湖街道在门户网站公开了《2023年度法治政府建设情况报告》。"
                          "报告显示，2023年，该街道开展普法活动56场，重大决策合法性审查率达到100%。\n"
                          "报告指出，该街道基层执法力量较为薄弱。据了解，2024年该街道将持续提升行政执法质量。",
    "report-word-headline": "法治政府建设年度报告：宝圣湖街道这一年\n宝圣湖街道近期公布的2023年度法治政府建设情况报告显示，"
                            "该街道全年开展综合行政执法检查286次。\n报告提到，该街道调整了法治建设工作领导小组。\n"
                            "报告同时指出，部分干部依法行政能力有待提升。",
    # work news (政务动态) with no 近日/记者: the unit in the third person (该县), a headline proclaiming results
    "work-news": "某县多措并举推进法治政府建设\n今年以来，某县坚持以习近平法治思想为指导，扎实推进法治政府建设。\n"
                 "该县严格落实重大行政决策程序，全年审查重大决策事项28件。\n同时，该县深化“谁执法谁普法”责任制，开展普法活动120场。"
                 "据统计，全县行政机关负责人出庭应诉率达100%。\n下一步，该县将持续推进依法行政。",
    "results-headline": "某市法治政府建设取得新成效\n2023年，某市法治政府建设取得新成效。市政府常务会议专题研究法治政府建设工作4次。\n"
                        "一、依法全面履行政府职能\n该市深化“放管服”改革，精简审批事项30项。\n二、推进依法决策\n该市严格落实重大行政决策程序。",
}


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_about_a_published_report_is_refused(packs: Any, name: str) -> None:
    card = _audit(NEWS[name], packs)
    assert card.verdict == "error" and card.error.startswith("这是新闻报道"), card.error


@pytest.mark.parametrize("cut", [None, 700])
def test_a_report_quoted_inside_news_is_news(packs: Any, cut: int | None) -> None:
    text = ("宝圣湖街道晒出2023年法治政府建设成绩单\n3月28日，宝圣湖街道在门户网站公开了2023年度法治政府建设情况报告，全文如下：\n"
            + _read("compliant"))
    card = _audit(text[:cut] if cut else text, packs)
    assert card.verdict == "error" and card.error.startswith("这是新闻报道"), card.error


def test_a_report_saying_it_published_last_years_report_is_still_a_report(packs: Any) -> None:
    head, rest = _split_head(_read("compliant"))
    at = next(i for i, s in enumerate(rest) if s.startswith("一、"))
    rest.insert(at + 1, "（一）推进政务公开。在区政府门户网站公开了2022年度法治政府建设情况报告，据实回应群众关切。")
    card = _audit("\n".join(head + rest), packs)
    assert (card.pack, card.report_year, card.pack_confidence) == ("annual", 2023, "high"), card.error


# ----------------------------------------------------------------------------- neighbouring report kinds

SHUZHI = ("某某县司法局局长2023年度述职述廉报告\n2023年，本人在县委、县政府的坚强领导下，认真履行岗位职责，现将一年来的思想、工作和廉洁自律情况报告如下：\n"
          "一、加强学习，提高政治素质\n本人坚持学习习近平新时代中国特色社会主义思想和习近平法治思想。\n"
          "二、履职尽责，推动工作落实\n全年组织开展普法活动30场，办理法律援助案件120件。\n三、严格自律，廉洁从政\n本人严格遵守中央八项规定精神。\n"
          "四、存在的问题和不足\n一是学习不够深入。二是调研不够。\n五、下一步打算\n一是加强学习。二是改进作风。\n张三\n2024年1月10日")


def test_a_shuzhi_shulian_report_is_not_a_duty_report(packs: Any) -> None:
    """A leader's yearly report on the whole job and integrity is another kind of report."""
    card = _audit(SHUZHI, packs)
    assert card.verdict == "error" and card.error.startswith("这是个人述职述廉报告"), card.error


def test_a_shuzhi_shulian_shufa_report_is_a_duty_report(packs: Any) -> None:
    card = _audit(SHUZHI.replace("述职述廉报告", "述职述廉述法报告"), packs)
    assert (card.pack, card.report_year, _statuses(card)["DR001"]) == ("duty", 2023, "pass")


def test_a_duty_report_under_a_shuzhi_title_is_audited_as_duty(packs: Any) -> None:
    """The body reports the 第一责任人 duties in the first person: the content decides; the title warns."""
    text = _read("duty").replace("2023年度履行推进法治建设第一责任人职责情况的报告", "2023年度述职述廉报告")
    card = _audit(text, packs)
    assert (card.pack, card.report_year, _statuses(card)["DR001"]) == ("duty", 2023, "warn")


def test_a_work_summary_is_an_annual_report(packs: Any) -> None:
    text = _read("compliant").replace("关于2023年度法治政府建设情况的报告", "2023年法治政府建设工作总结").replace(
        "现将2023年度法治政府建设情况报告如下", "现将2023年度法治政府建设工作总结如下")
    card = _audit(text, packs)
    # audited as the annual report; the title does not use the regulation's name (……报告): a warning
    assert (card.pack, card.report_year, card.pack_confidence, _statuses(card)["AR001"]) == ("annual", 2023, "high", "warn")


def test_a_party_committees_rule_of_law_report_uses_the_annual_pack(packs: Any) -> None:
    """中共某某市委关于2023年度法治建设工作情况的报告: the committee's yearly report on 法治建设 (reported to the
    level above like the government's), not a leader's duty report."""
    text = (_read("compliant").replace("重庆市渝北区人民政府宝圣湖街道办事处\n关于2023年度法治政府建设情况的报告",
                                       "中共某某市委\n关于2023年度法治建设工作情况的报告")
            .replace("法治政府建设", "法治建设").replace("重庆市渝北区人民政府宝圣湖街道办事处\n2024", "中共某某市委\n2024"))
    for cut in (None, 700):
        card = _audit(text[:cut] if cut else text, packs)
        assert (card.pack, card.report_year) == ("annual", 2023)
        assert _statuses(card)["AR001"] == "warn"  # it names 法治建设, not 法治政府建设


def test_a_departments_report_meets_the_deadline_it_is_given(packs: Any) -> None:
    """Departments report to the government by March 1 (provincial guides): 04-01 stays the default,
    `--deadline 03-01` checks a department's report."""
    text = _read("compliant").replace("重庆市渝北区人民政府宝圣湖街道办事处", "某某县司法局").replace(
        "宝圣湖街道", "县司法局").replace("2024年3月8日", "2024年3月15日")
    assert _statuses(_audit(text, packs))["AR303"] == "pass"
    assert _statuses(_audit(text, packs, deadline="03-01"))["AR303"] == "fail"
    assert _statuses(_audit(text.replace("2024年3月15日", "2024年2月26日"), packs, deadline="03-01"))["AR303"] == "pass"


# ----------------------------------------------------------------------------- fragments and the year


@pytest.mark.parametrize("page", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="the first 400 characters are the site's outline (【提纲】) only"))
    if p == "page-16.txt" else p
    for p in _corpus_reports()
])
def test_a_corpus_page_cut_to_400_characters_is_still_its_report(packs: Any, page: str) -> None:
    text = (FIXTURES / "corpus" / "cases" / page).read_text(encoding="utf-8")
    whole = _audit(text, packs)
    assert whole.verdict != "error", whole.error
    card = _audit(text[:400], packs)
    assert card.verdict != "error" and card.pack == whole.pack, card.error


def test_this_year_is_read_against_the_reports_own_date(packs: Any) -> None:
    text = (_read("compliant").replace("关于2023年度法治政府建设情况的报告", "关于法治政府建设情况的报告")
            .replace("2023年，宝圣湖", "今年以来，宝圣湖").replace("现将2023年度", "现将").replace("2023年", "")
            .replace("2024年推进", "明年推进"))
    assert _audit(text, packs).report_year == 2023  # signed 2024年3月8日: written for the year before
    assert _audit(text.replace("2024年3月8日", "2023年12月20日"), packs).report_year == 2023
    undated = _audit(text.replace("2024年3月8日", ""), packs)
    assert undated.report_year is None and _statuses(undated)["AR002"] == "fail"  # no year stated anywhere


def test_a_report_titled_as_sent_is_the_report_itself(packs: Any) -> None:
    """“关于报送…情况的报告” over the report's own salutation, preamble and parts: no letter to strip."""
    head, rest = _split_head(_read("compliant"))
    text = "\n".join(["某某街道办事处", "关于报送2023年度法治政府建设情况的报告", "区委、区政府：", *rest])
    card = _audit(text, packs)
    assert (card.pack, card.report_year, _statuses(card)["AR001"]) == ("annual", 2023, "pass"), card.error


@pytest.mark.parametrize("name", ["seed000", "seed002", "compliant", "duty"])
def test_sharing_site_stamps_inside_the_text_change_nothing(packs: Any, name: str) -> None:
    """A document-sharing or template site's stamps — a line of their own (here between the
    signature and its date), inside a part heading, after the title — are matched away like the
    gambling watermarks (and quoted as written)."""
    text = _read(name)
    whole = _audit(text, packs)
    lines = text.rstrip().splitlines()
    date = max(i for i, s in enumerate(lines) if re.fullmatch(r"\s*20\d{2}年\d{1,2}月\d{1,2}日\s*", s))
    lines.insert(date, "仅供学习与交流，如有侵权请联系网站删除")
    for i, s in enumerate(lines):
        if re.match(r"^[一二三四五]、.*存在", s):
            lines[i] = s.replace("存在", "存【精品文档】在", 1)
    title = next((i for i, s in enumerate(lines[:3]) if s.rstrip().endswith("报告")), None)
    if title is not None:
        lines[title] += "（word版可编辑）"
    card = _audit("\n".join(lines), packs)
    assert (card.pack, card.report_year, card.verdict) == (whole.pack, whole.report_year, whole.verdict)
    assert _statuses(card) == _statuses(whole)


@pytest.mark.parametrize("page", _corpus_reports())
def test_every_corpus_report_under_a_cover_letter_or_reprint_line_keeps_type_and_year(packs: Any, page: str) -> None:
    """Real page beginnings (leftovers, glued titles, a whole report on one line) wrapped as
    a supervisor receives them."""
    text = (FIXTURES / "corpus" / "cases" / page).read_text(encoding="utf-8")
    whole = _audit(text, packs)
    assert whole.verdict != "error", whole.error
    for variant in (_with_letter(text, whole.pack, "函"), "【转载】\n来源：某某网\n" + text):
        card = _audit(variant, packs)
        assert (card.pack, card.report_year) == (whole.pack, whole.report_year), card.error


@pytest.mark.parametrize("name", [p.name for p in sorted((FIXTURES / "kinds").glob("*.txt"))])
def test_a_non_report_cut_short_or_reprinted_is_still_refused(packs: Any, name: str) -> None:
    """The weak signs that keep a report's fragment audited must not let another kind's fragment in."""
    text = (FIXTURES / "kinds" / name).read_text(encoding="utf-8")
    for variant in (text[:700], text[:400], text[:250], "【转载】\n来源：某某网\n" + text):
        card = _audit(variant, packs)
        assert card.verdict == "error" and card.pack is None, (name, card.pack)
