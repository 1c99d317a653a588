"""The signature line is called what the report type calls it: 发文单位 or 署名 (duty reports)."""

from __future__ import annotations

from typing import Any

from auditor.reporters import _common, get
from auditor.reporters import ReportContext
from auditor.run.engine import audit_file

from conftest import FIXTURES


def test_duty_report_signature_is_a_signer_not_an_issuing_body(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "duty/complete.txt"), packs)
    assert card.pack == "duty" and card.meta["signature_label"] == "署名" and card.body
    fact = _common.signature_fact(card)
    assert "发文单位" not in fact and (fact.startswith("署名：") or fact == card.body)
    import io

    out = io.StringIO()
    get("html").write([card], out, ctx=ReportContext(packs=packs))
    assert "发文单位：" not in out.getvalue() and fact in out.getvalue()


def test_annual_report_signature_is_the_issuing_body(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "reports/compliant.txt"), packs)
    assert _common.signature_fact(card) == f"发文单位：{card.body}"


def test_a_line_that_names_itself_is_not_labelled_twice(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "duty/complete.txt"), packs)
    assert _common.signature_fact(card._replace(body="述法人：王芳")) == "述法人：王芳"
    assert _common.signature_fact(card._replace(body="县委书记 王芳")) == "署名：县委书记 王芳"


def test_duty_findings_speak_of_the_signature_not_an_issuing_body(packs: Any) -> None:
    from auditor.run.engine import AuditOptions, audit_text

    text = ("中共某某县委书记 张三\n2023年度履行推进法治建设第一责任人职责情况的报告\n一、履职情况\n本人带头学法。\n"
            "二、存在的问题\n学法不够系统。\n三、下一步打算\n一是坚持学法，全年不少于4次。二是加强督办，推动问题整改。")
    card = audit_text(text, packs, AuditOptions(pack="duty"))
    messages = {r.rule: r.message for r in card.results}
    assert messages["DR301"] == "文末没有署名，文首第1行的“中共某某县委书记 张三”不能代替。"
    assert messages["DR302"] == "署名下没有日期。"
    assert not any("发文单位" in m for m in messages.values())
