"""The duty-report pack: its rule contract, and exact statuses on every fixture in fixtures/duty/.

fixtures/duty/ holds duty reports (one complete, the others with one defect each), annual reports
that look like duty reports (for detection), and two documents that are no report at all.
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_file

from conftest import FIXTURES, make_doc

DUTY = FIXTURES / "duty"
DR = ["DR001", "DR101", "DR102", "DR103", "DR202", "DR301", "DR302", "DR401", "DR205", "DR206", "DR207", "DR208"]
AR = ["AR001", "AR002", "AR101", "AR102", "AR103", "AR104", "AR105", "AR106",
      "AR201", "AR202", "AR203", "AR204", "AR301", "AR302", "AR303", "AR401", "AR304", "AR205", "AR206", "AR207",
      "AR208", "AR209"]
_P = "pass"

# file → (pack, report year, verdict, every rule's status in the pack's rule order)
TABLE: dict[str, tuple[str | None, int | None, str, str]] = {
    "complete.txt": ("duty", 2023, "pass", "pass pass pass pass pass pass pass pass pass pass pass pass"),
    # DR207: “對部門依法行政的督導還不夠經常” is about 督导; 會前學法 and 執法人員輪訓 do not answer it
    "traditional.txt": ("duty", 2024, "pass", "pass pass pass pass pass pass pass pass pass pass warn pass"),
    "shufa_web.txt": ("duty", 2023, "pass", "pass pass pass pass pass pass pass pass pass pass pass pass"),
    "no_year_title.txt": ("duty", 2023, "pass", "warn pass pass pass pass pass pass pass pass pass pass pass"),
    "duty_no_title.txt": ("duty", 2023, "pass", "warn pass pass pass pass pass pass pass pass pass pass pass"),
    "thematic.txt": ("duty", 2023, "pass", "pass warn pass pass pass pass pass pass pass pass pass pass"),
    "no_performance.txt": ("duty", 2023, "fail", "pass fail pass pass skip pass pass pass pass skip pass pass"),
    "no_shortcomings.txt": ("duty", 2023, "fail", "pass pass fail pass pass pass pass pass pass pass skip pass"),
    "plan_vague.txt": ("duty", 2023, "fail", "pass pass pass fail pass pass pass pass pass pass warn pass"),  # DR207: “继续努力” answers none of the three
    "thin_duties.txt": ("duty", 2023, "pass", "pass pass pass pass warn pass pass pass pass pass pass pass"),
    "no_signer.txt": ("duty", 2023, "fail", "pass pass pass pass pass fail pass pass pass pass pass pass"),
    "no_date.txt": ("duty", 2023, "fail", "pass pass pass pass pass pass fail pass pass pass pass pass"),
    "placeholder.txt": ("duty", 2023, "fail", "pass pass pass pass pass pass pass fail pass pass pass pass"),
    # AR208: “今年以来，云溪县紧扣…” opens a report on 2025 written in March 2026; AR209 warns on
    # the three annual reports: county governments whose part 1 gives figures for a few core areas
    # only (no 复议, 应诉, 出庭 figures)
    "annual_2025_web.txt": ("annual", 2025, "pass", "warn" + " pass" * 16 + " pass pass pass warn warn"),
    "annual_traditional.txt": ("annual", 2024, "pass", "pass " * 16 + "skip pass pass pass pass warn"),
    "annual_combined_title.txt": ("annual", 2023, "pass", "pass " * 16 + "skip pass pass pass pass warn"),
    "notice.txt": (None, None, "error", ""),
    "work_plan.txt": (None, None, "error", ""),
}


def test_every_fixture_is_in_the_table() -> None:
    assert sorted(p.name for p in DUTY.glob("*.txt")) == sorted(TABLE)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_fixture(packs: Any, name: str) -> None:
    pack, year, verdict, statuses = TABLE[name]
    card = audit_file(str(DUTY / name), packs, AuditOptions())
    assert (card.pack, card.report_year, card.verdict) == (pack, year, verdict), card.error
    ids = {"duty": DR, "annual": AR}.get(pack or "", [])
    assert {r.rule: r.status.value for r in card.results} == dict(zip(ids, statuses.split()))
    if verdict == "error":  # refused, saying what the document is
        assert card.error is not None and card.error.startswith(REFUSED[name]), card.error


REFUSED = {"notice.txt": "这是通知", "work_plan.txt": "这是工作方案"}


def test_contract_ids_and_severities(packs: Any) -> None:
    got = [(r.id, r.severity.value) for r in packs["duty"].rules]
    assert got == [("DR001", "warning"), ("DR101", "error"), ("DR102", "error"), ("DR103", "error"),
                   ("DR202", "warning"), ("DR301", "error"), ("DR302", "error"), ("DR401", "error"),
                   ("DR205", "warning"), ("DR206", "warning"), ("DR207", "warning"),
                   ("DR208", "warning")]


def test_every_rule_explains_itself(packs: Any) -> None:
    for rule in packs["duty"].rules:
        assert rule.title and rule.message and rule.hint and rule.reference.document.startswith(("《", "山东"))


def test_forcing_duty_on_an_annual_report(packs: Any) -> None:
    card = audit_file(str(DUTY / "annual_combined_title.txt"), packs, AuditOptions(pack="duty"))
    assert card.pack == "duty" and [r.rule for r in card.results] == DR
    assert card.meta["pack_reason"] == "forced" and card.pack_evidence is None


def test_forcing_annual_fails_a_correct_duty_report_for_the_wrong_reasons(packs: Any) -> None:
    card = audit_file(str(DUTY / "complete.txt"), packs, AuditOptions(pack="annual"))
    failed = {r.rule for r in card.results if r.status.value == "fail"}
    assert card.pack == "annual" and {"AR101", "AR105"} <= failed


def test_forcing_a_pack_audits_a_non_report(packs: Any) -> None:
    card = audit_file(str(DUTY / "notice.txt"), packs, AuditOptions(pack="duty"))
    assert card.pack == "duty" and card.verdict == "fail" and card.error is None


def test_signature_of_a_person(packs: Any) -> None:
    card = audit_file(str(DUTY / "no_year_title.txt"), packs)
    dr301 = next(r for r in card.results if r.rule == "DR301")
    assert dr301.evidence[0].text == "述法人：王芳"


def test_website_noise_is_not_the_signature_or_year(packs: Any) -> None:
    card = audit_file(str(DUTY / "shufa_web.txt"), packs)
    assert card.body == "中共云溪县应急管理局党组书记、局长 赵强"
    assert card.year_evidence is not None and card.year_evidence.text.endswith("2023年度述法报告")
    dr001 = next(r for r in card.results if r.rule == "DR001")
    assert [e.line for e in dr001.evidence] == [4]  # the breadcrumb and the time stamp are no title


def test_roles_of_duty_headings(packs: Any) -> None:
    text = ("一、坚持问题导向，亲自协调解决难题\n本人亲自协调。\n二、突出工作重点，补齐短板\n本人亲自督办。\n"
            "三、履职中的不足\n学法不够。\n四、2024年工作打算\n一是学法。二是督办。")
    doc = make_doc(text, packs["duty"])
    assert [(p.role, p.inferred) for p in doc.parts] == [
        ("performance", True), ("performance", True), ("shortcomings", False), ("plan", False)]
    assert doc.report_year == 2023  # the plan heading names the next year


def test_duties_in_the_words_real_reports_use(packs: Any) -> None:
    """岩山镇 (corpus page-48): 工作专班, 行动方案, 任务清单, 季度调度, 专题党委会 4次, 法治督察 2次 and
    学法 12次 are several kinds of duty with counts, not one."""
    card = audit_file(str(FIXTURES / "corpus/cases/page-48.txt"), packs, AuditOptions())
    dr202 = next(r for r in card.results if r.rule == "DR202")
    assert dr202.status.value == "pass", dr202.message
    for kind in ("学法", "四个亲自", "听取汇报", "专题研究", "纳入规划", "领导机构"):
        assert kind in dr202.message


UNDER_TITLE = ("西洞庭管理区党委副书记、管委会主任2024年度履行推进法治建设第一责任人职责情况报告\n"
               "西洞庭管理区党委副书记、管委会主任 叶春华\n2025年2月\n"
               "2024年以来，本人认真履行推进法治建设第一责任人职责，现将有关情况报告如下：\n"
               "一、履职情况\n本人带头学法，参加理论学习中心组学法4次，听取法治建设工作汇报3次，召开专题党委会2次。\n"
               "二、存在的问题\n学法不够系统。\n三、下一步打算\n一是坚持会前学法，全年不少于4次。二是定期听取法治建设工作汇报。\n")


def test_signed_under_the_title(packs: Any) -> None:
    """The usual 述法 layout: title, then role and name, then a date; no signature at the end."""
    from auditor.run.engine import audit_text

    card = audit_text(UNDER_TITLE, packs)
    got = {r.rule: r for r in card.results}
    assert card.pack == "duty" and card.verdict == "pass"
    assert got["DR301"].status.value == "pass" and got["DR301"].evidence[0].line == 2
    assert got["DR301"].message == "标题下署名：西洞庭管理区党委副书记、管委会主任 叶春华"
    assert got["DR302"].status.value == "pass" and got["DR302"].evidence[0].line == 3
    assert card.body == "西洞庭管理区党委副书记、管委会主任 叶春华"  # the signature is read from there
    doc = make_doc(UNDER_TITLE, packs["duty"])
    assert doc.signature.under_title and doc.preamble[0].norm.startswith("2024年以来")  # not the preamble


@pytest.mark.parametrize("under", [
    # a full date in brackets is no page stamp when an office and a name stand above it
    "西洞庭管理区党委副书记、管委会主任 叶春华\n（2025年2月10日）\n",
    # the office, then the name on its own line (a short line a page's leftovers would drop)
    "西洞庭管理区党委副书记、管委会主任\n叶春华\n（2025年2月10日）\n",
    "西洞庭管理区党委副书记、管委会主任  叶 春 华\n二〇二五年二月十日\n",
])
def test_signed_under_the_title_with_a_full_date(packs: Any, under: str) -> None:
    from auditor.run.engine import audit_text

    text = UNDER_TITLE.replace("西洞庭管理区党委副书记、管委会主任 叶春华\n2025年2月\n", under)
    card = audit_text(text, packs)
    got = {r.rule: r for r in card.results}
    assert got["DR301"].status.value == "pass" and got["DR302"].status.value == "pass", got["DR301"].message
    assert got["DR301"].evidence[0].line == 2 and card.verdict == "pass"


@pytest.mark.parametrize("variant", [
    UNDER_TITLE.replace("2025年2月\n", ""),  # a name under the title without a date: no signature
    UNDER_TITLE.replace("西洞庭管理区党委副书记、管委会主任 叶春华\n", ""),  # a date alone
])
def test_under_the_title_needs_signer_and_date(packs: Any, variant: str) -> None:
    from auditor.run.engine import audit_text

    got = {r.rule: r.status.value for r in audit_text(variant, packs).results}
    assert got["DR301"] == "fail" or got["DR302"] == "fail"


def test_a_signature_at_the_end_wins(packs: Any) -> None:
    doc = make_doc(UNDER_TITLE + "叶春华\n2025年2月10日\n", packs["duty"])
    assert not doc.signature.under_title and doc.signature.date_value == (2025, 2, 10)
