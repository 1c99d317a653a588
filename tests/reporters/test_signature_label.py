"""The signature line is called what the report type calls it: 发文单位 or 署名 (duty reports)."""

from __future__ import annotations

import dataclasses
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
    assert _common.signature_fact(dataclasses.replace(card, body="述法人：王芳")) == "述法人：王芳"
    assert _common.signature_fact(dataclasses.replace(card, body="县委书记 王芳")) == "署名：县委书记 王芳"
