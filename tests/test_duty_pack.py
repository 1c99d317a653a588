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
DR = ["DR001", "DR101", "DR102", "DR103", "DR202", "DR301", "DR302", "DR401", "DR205", "DR206", "DR207"]
AR = ["AR001", "AR002", "AR101", "AR102", "AR103", "AR104", "AR105", "AR106",
      "AR201", "AR202", "AR203", "AR204", "AR301", "AR302", "AR303", "AR401", "AR304", "AR205", "AR206", "AR207"]
_P = "pass"

# file → (pack, report year, verdict, every rule's status in the pack's rule order)
TABLE: dict[str, tuple[str | None, int | None, str, str]] = {
    "complete.txt": ("duty", 2023, "pass", "pass pass pass pass pass pass pass pass pass pass pass"),
    "traditional.txt": ("duty", 2024, "pass", "pass pass pass pass pass pass pass pass pass pass pass"),
    "shufa_web.txt": ("duty", 2023, "pass", "pass pass pass pass pass pass pass pass pass pass pass"),
    "no_year_title.txt": ("duty", 2023, "pass", "warn pass pass pass pass pass pass pass pass pass pass"),
    "duty_no_title.txt": ("duty", 2023, "pass", "warn pass pass pass pass pass pass pass pass pass pass"),
    "thematic.txt": ("duty", 2023, "pass", "pass warn pass pass pass pass pass pass pass pass pass"),
    "no_performance.txt": ("duty", 2023, "fail", "pass fail pass pass skip pass pass pass pass skip pass"),
    "no_shortcomings.txt": ("duty", 2023, "fail", "pass pass fail pass pass pass pass pass pass pass skip"),
    "plan_vague.txt": ("duty", 2023, "fail", "pass pass pass fail pass pass pass pass pass pass warn"),  # DR207: “继续努力” answers none of the three
    "thin_duties.txt": ("duty", 2023, "pass", "pass pass pass pass warn pass pass pass pass pass pass"),
    "no_signer.txt": ("duty", 2023, "fail", "pass pass pass pass pass fail pass pass pass pass pass"),
    "no_date.txt": ("duty", 2023, "fail", "pass pass pass pass pass pass fail pass pass pass pass"),
    "placeholder.txt": ("duty", 2023, "fail", "pass pass pass pass pass pass pass fail pass pass pass"),
    "annual_2025_web.txt": ("annual", 2025, "pass", "warn" + " pass" * 16 + " pass pass pass"),
    "annual_traditional.txt": ("annual", 2024, "pass", "pass " * 16 + "skip pass pass pass"),
    "annual_combined_title.txt": ("annual", 2023, "pass", "pass " * 16 + "skip pass pass pass"),
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
                   ("DR205", "warning"), ("DR206", "warning"), ("DR207", "warning")]


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
