"""The website leftovers after a report's last part are found as a block, so that wrapped, cut or
unknown footer lines never hide the signature and date above them (issue: PDFs as offices make them)."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.run.engine import audit_text
from conftest import FIXTURES, make_doc

SEED = (FIXTURES / "seeds" / "000_ae009fae7ef3885b.txt").read_text(encoding="utf-8")
FOOTER = "ICP备案:渝ICP备2021011583号 政府网站标识码:5001080014 渝公网安备:50010802001142号"
TAIL = "五、其他需要报告的情况\n无。\n重庆市某区人民政府\n2024年3月4日\n"
HEAD = "某区2023年法治政府建设情况报告\n一、主要举措和成效\n" + "全年办理行政执法案件41件，审查合同47份，开展普法活动56场，覆盖群众1.2万人次。\n"


def _statuses(text: str, packs: Any) -> dict[str, str]:
    return {r.rule: r.status.value for r in audit_text(text, packs).results}


def _signed(doc: Any, body: str = "重庆市某区人民政府", date: tuple[int, int, int] = (2024, 3, 4)) -> bool:
    return doc.signature.body is not None and doc.signature.body.text.strip() == body and doc.signature.date_value == date


@pytest.mark.parametrize("variant", [
    # the issue: a PDF wrapped the last footer line, and its half is no known leftover
    SEED.replace("渝公网安备:", "渝公网安\n备:"),
    # the same copied out of the PDF, with the producer's spaces around digits and Latin
    SEED.replace("渝公网安备:50010802001142号", "渝公网安\n备:50010802001142 号")
        .replace("2024年3月4日", "2024 年 3 月 4 日").replace("ICP备案:渝ICP备", "ICP 备案:渝 ICP 备 "),
    # footers the patterns do not know, and a wrapped 主办 line whose half looks like an office
    SEED.rstrip() + "\n网站简介\n隐私声明 | 使用帮助\n重庆市南岸区人民政府办\n公室\n",
    # the first leftover line cut in two
    SEED.replace("国务院部门网站\n", "国务院部\n门网站\n"),
    # 公文 版记 under the date: a note, 抄送 and 印发 lines
    SEED.replace("2024年3月4日\n", "2024年3月4日\n（此件公开发布）\n抄送：区委办公室，区人大办公室\n"
                 "重庆市南岸区人民政府办公室 2024年3月5日印发\n"),
    # full-width digits in the date (WPS)
    SEED.replace("2024年3月4日", "２０２４年３月４日"),
], ids=["wrapped", "copied-from-pdf", "unfamiliar", "cut", "banji", "fullwidth"])
def test_seed_variants_keep_the_statuses_of_the_seed(packs: Any, annual: Any, variant: str) -> None:
    assert _statuses(variant, packs) == _statuses(SEED, packs)
    doc = make_doc(variant, annual)
    assert _signed(doc, "重庆市南岸区人民政府龙门浩街道办事处")
    assert [ln.norm.strip() for ln in doc.parts[-1].body] == ["无。"]


def test_wrapped_footer_lines_become_chrome(annual: Any) -> None:
    doc = make_doc(HEAD + TAIL + "国务院部门网站\n" + FOOTER.replace("渝公网安备:", "渝公网安\n备:"), annual)
    assert _signed(doc)
    assert doc.chrome[-1].text == "备:50010802001142号"


def test_prose_after_a_stray_leftover_stays_in_the_report(annual: Any) -> None:
    """Before the report's date, report content ends a leftover run: a stray 来源 line inside the
    last part does not swallow the paragraph and the signature after it."""
    prose = "全年开展普法宣传活动56场，发放宣传资料5000余份，覆盖群众7000余人，群众法治意识明显提升。"
    doc = make_doc(HEAD + "五、其他需要报告的情况\n来源：区司法局\n" + prose + "\n重庆市某区人民政府\n2024年3月4日\n用户登录", annual)
    assert _signed(doc)
    assert [ln.text for ln in doc.parts[-1].body] == [prose]
    assert [ln.text for ln in doc.chrome] == ["来源：区司法局", "用户登录"]


def test_a_signer_like_footer_fragment_is_no_signature(annual: Any) -> None:
    """An unsigned report: an office name inside the footer block is not a signature."""
    doc = make_doc(HEAD + "五、其他需要报告的情况\n无。\n国务院部门网站\n版权所有:重庆市某区人民政府 主办:重庆市某区人民政府办\n"
                   "重庆市某区人民政府办\n公室", annual)
    assert doc.signature.body is None and doc.signature.date is None


def test_a_signature_after_a_note_line_is_found(annual: Any) -> None:
    """A leftover line above the signature (a note) does not swallow it: a signature ends the run."""
    doc = make_doc(HEAD + "五、其他需要报告的情况\n无。\n（此件公开发布）\n重庆市某区人民政府\n2024年3月4日\n" + FOOTER, annual)
    assert _signed(doc)


def test_a_site_date_in_the_footer_is_not_the_report_date(annual: Any) -> None:
    doc = make_doc(HEAD + TAIL + "发布日期：\n2024年3月10日\n" + FOOTER, annual)
    assert _signed(doc)
    assert "2024年3月10日" in [ln.text for ln in doc.chrome]


def test_signer_after_the_date_is_kept(annual: Any) -> None:
    """Some drafts put the date first: lines under the date that are signers are not leftovers."""
    doc = make_doc(HEAD + "五、其他需要报告的情况\n无。\n2024年3月4日\n重庆市某区人民政府", annual)
    assert _signed(doc)


def test_evidence_quotes_the_spaced_original(packs: Any) -> None:
    text = (FIXTURES / "reports" / "compliant.txt").read_text(encoding="utf-8").replace("2024年3月8日", "2024 年 3 月 8 日")
    card = audit_text(text, packs)
    dated = next(r for r in card.results if r.rule == "AR302")
    assert dated.status.value == "pass"
    assert any(ev.text == "2024 年 3 月 8 日" for ev in dated.evidence)


@pytest.mark.parametrize("page_no", ["— 8 —", "- 8 -", "第 8 页 共 9 页", "8/9"])
def test_a_page_number_copied_out_of_a_pdf_does_not_split_signer_and_date(annual: Any, page_no: str) -> None:
    doc = make_doc(HEAD + "五、其他需要报告的情况\n无。\n重庆市某区人民政府\n" + page_no + "\n2024年3月4日\n" + page_no.replace("8", "9"), annual)
    assert _signed(doc)
    assert page_no in [ln.text for ln in doc.chrome]
