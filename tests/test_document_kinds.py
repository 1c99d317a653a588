"""What a careful reviewer reads from a page: documents that are no report are refused with their
own reason (fixtures/kinds), and reports in every title and year form are audited with the right
type, year and title verdict (fixtures/forms)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_file

from conftest import FIXTURES

# fixture → how the refusal starts (the reason names what the document is)
KINDS = {
    "interpretation.txt": "这是对报告的政策解读",
    "notice.txt": "这是通知",
    "bulletin.txt": "这是通报",
    "implementation_plan.txt": "这是工作方案",
    "work_points.txt": "这是工作方案、计划或工作要点",
    "regulation.txt": "这是规定、办法等制度条文",
    "news.txt": "这是新闻报道",
    "paper.txt": "这是学术论文",
    "disclosure_report.txt": "这是政府信息公开工作年度报告",
    "government_work_report.txt": "这是向人民代表大会所作的政府工作报告",
    "speech.txt": "这是讲话或发言稿",
    "responsibility_list.txt": "这是责任清单",
    "indicator_table.txt": "这是考核指标或评分表",
    "index_page.txt": "这是网站栏目的文章列表",
    # look-alikes of real pages (issue 20): each refused with its own kind, not a neighbour's
    "general_work_summary.txt": "这是单位全面工作的年度总结",  # 现将我街道今年工作总结报告如下: no duty report
    "plan_news.txt": "这是新闻报道",  # news that a plan was issued: not last year's report, nor the plan
    "plan_reprinted.txt": "这是工作方案、计划或工作要点",  # a plan under a one-line lead (全文如下): the plan
    "paper_on_reports.txt": "这是学术论文",  # a study of the reports, no 摘要 label
    "feature_article.txt": "这是介绍工作成效的综述或通讯稿",
    "database_abstracts.txt": "这是文献数据库的论文摘要",
    "public_affairs_report.txt": "这是政府信息公开工作年度报告",  # titled 政务公开工作年度报告
    "autonomous_region_work_report.txt": "这是向人民代表大会所作的政府工作报告",  # …报告全文, 各位代表 further down
    "meeting_agenda_explanation.txt": "这是提请会议审议的议题说明",
    "performance_evaluation.txt": "这是预算或部门绩效自评",  # never says 法治 or 依法
    "qa_duty_review.txt": "这是问答或写作指导页面",  # not a 考核指标 table
    "people_congress_news.txt": "这是新闻报道",  # not a 个人述职述廉报告
}

# fixture → (pack, year, title rule status, placeholder rule status, confidence, line of the type's evidence)
FORMS: dict[str, tuple[str, int | None, str, str, str, int]] = {
    # untitled, but the year's work stated and the parts there: a careful reader does not hesitate
    "no_title_first_sentence.txt": ("annual", 2023, "warn", "pass", "high", 4),
    # untitled, no year's work stated, only parts: audited, its type doubtful
    "no_title_parts_only.txt": ("annual", None, "warn", "pass", "low", 1),
    "title_after_site_leftovers.txt": ("annual", 2023, "pass", "pass", "high", 10),
    "title_in_metadata_row.txt": ("annual", 2023, "pass", "pass", "high", 1),
    "title_after_metadata_table.txt": ("annual", 2023, "pass", "pass", "high", 7),
    "title_after_bulleted_metadata.txt": ("annual", 2023, "pass", "pass", "high", 8),
    "title_glued_to_first_sentence.txt": ("annual", 2023, "pass", "pass", "high", 1),
    "title_after_sharing_blurb.txt": ("annual", 2023, "pass", "pass", "high", 2),
    "title_split_over_two_lines.txt": ("annual", 2023, "pass", "pass", "high", 2),
    "title_without_report_word.txt": ("annual", 2025, "warn", "pass", "high", 1),
    "title_joint_issuers.txt": ("annual", 2023, "pass", "pass", "high", 2),
    "title_with_tag.txt": ("annual", 2023, "warn", "pass", "high", 1),
    "duty_outline_before_title.txt": ("duty", 2023, "pass", "pass", "high", 2),
    "duty_title_without_year_name_after.txt": ("duty", 2023, "warn", "pass", "high", 1),
    "pre2019_outline_tasks.txt": ("annual", 2017, "warn", "pass", "high", 1),
    "year_relative_this_year.txt": ("annual", 2023, "warn", "pass", "high", 2),
    "year_relative_last_year.txt": ("annual", 2023, "warn", "pass", "high", 2),
    "big5_round_trip.txt": ("annual", 2023, "pass", "pass", "high", 2),
    "masked_placeholders.txt": ("annual", 2023, "pass", "fail", "high", 1),
    "quoted_years_are_not_the_year.txt": ("annual", 2023, "pass", "pass", "high", 1),
}


def test_every_fixture_is_in_a_table() -> None:
    assert sorted(p.name for p in (FIXTURES / "kinds").glob("*.txt")) == sorted(KINDS)
    assert sorted(p.name for p in (FIXTURES / "forms").glob("*.txt")) == sorted(FORMS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_not_a_report_is_refused_naming_its_kind(packs: Any, name: str) -> None:
    card = audit_file(str(FIXTURES / "kinds" / name), packs, AuditOptions())
    assert card.verdict == "error" and card.pack is None and card.results == ()
    assert card.error is not None and card.error.startswith(KINDS[name]), card.error
    assert "--pack" in card.error  # a document wrongly refused can still be audited
    assert "（第" in card.error  # with the line that shows the kind


@pytest.mark.parametrize("name", sorted(FORMS))
def test_report_form_is_read(packs: Any, name: str) -> None:
    pack, year, title, placeholder, confidence, line = FORMS[name]
    card = audit_file(str(FIXTURES / "forms" / name), packs, AuditOptions())
    prefix = "AR" if pack == "annual" else "DR"
    statuses = {r.rule: r.status.value for r in card.results}
    got = (card.pack, card.report_year, statuses.get(f"{prefix}001"), statuses.get(f"{prefix}401"),
           card.pack_confidence, card.pack_evidence.line if card.pack_evidence else None)
    assert got == (pack, year, title, placeholder, confidence, line), card.error


def test_leading_leftovers_are_chrome_and_their_dates_page_metadata(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "forms" / "title_after_site_leftovers.txt"), packs, AuditOptions())
    assert card.meta["published"] == "2024-03-20" and card.meta["written"] == "2024-03-01"
    assert {r.rule: r.status.value for r in card.results}["AR304"] == "pass"


def test_garbled_text_is_matched_clean_and_quoted_as_it_is(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "forms" / "big5_round_trip.txt"), packs, AuditOptions())
    assert card.pack_evidence is not None and "報(bào)告" in card.pack_evidence.text


def test_placeholder_evidence_names_each_mask(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "forms" / "masked_placeholders.txt"), packs, AuditOptions())
    found = next(r for r in card.results if r.rule == "AR401")
    for mask in ("**区", "A新时代", "A总书记", "x01x年", "年以来，镇"):  # quoted as written
        assert mask in found.message, (mask, found.message)


def test_shipped_kinds_file_validates_and_a_bad_one_is_named(tmp_path: Any) -> None:
    from auditor.errors import RuleFileError
    from auditor.packs.kinds import kinds_file, load_kinds

    kinds = load_kinds(str(kinds_file()))
    assert {k.id for k in kinds.kinds} >= {"interpretation", "notice", "plan", "regulation", "news", "paper",
                                            "disclosure", "work-report", "speech", "list", "indicators"}
    bad = tmp_path / "not-reports.yaml"
    bad.write_text("kinds:\n  - {id: x, name: x, reason: x, signs: [{where: title, weight: 1, patterns: ['(']}]}\n",
                   encoding="utf-8")
    with pytest.raises(RuleFileError) as exc:
        load_kinds(str(bad))
    assert "not-reports.yaml" in str(exc.value)


def test_low_confidence_is_said_in_the_header_and_json(packs: Any) -> None:
    import io
    import json

    from auditor.reporters import ReportContext, get
    from auditor.reporters.json_report import card_dict

    low = audit_file(str(FIXTURES / "forms" / "no_title_parts_only.txt"), packs, AuditOptions())
    high = audit_file(str(FIXTURES / "forms" / "title_joint_issuers.txt"), packs, AuditOptions())
    forced = audit_file(str(FIXTURES / "forms" / "title_joint_issuers.txt"), packs, AuditOptions(pack="annual"))
    assert [card_dict(c)["pack_confidence"] for c in (low, high, forced)] == ["low", "high", None]
    # low says which evidence is missing, in the JSON and in the header
    doubts = ["标题或开头未写明报告类型", "开头未陈述本单位一年来的工作"]
    assert [card_dict(c)["pack_doubts"] for c in (low, high, forced)] == [doubts, [], []]
    out = io.StringIO()
    get("text").write([low, high], out, ctx=ReportContext(packs=packs, color=False, width=400))
    assert out.getvalue().count("把握不大：" + "；".join(doubts) + "；如有误，可用 --pack 指定报告类型") == 1
    js = io.StringIO()
    get("json").write([low], js, ctx=ReportContext(packs=packs))
    assert json.loads(js.getvalue())["reports"][0]["pack_doubts"] == doubts


def test_a_kinds_file_is_bounded_like_every_rule_file(tmp_path: Any) -> None:
    """The not-a-report kinds file is read like packs: regular files only, and no alias bomb."""
    from auditor.errors import RuleFileError
    from auditor.packs.kinds import load_kinds

    bomb = tmp_path / "not-reports.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\nkinds: *a8\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="refused"):
        load_kinds(str(bomb))
    with pytest.raises(RuleFileError, match="not a regular file"):
        load_kinds("/dev/zero")
