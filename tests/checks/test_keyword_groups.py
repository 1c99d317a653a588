from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

SCOPE = {"role": "duties"}
P = {
    "min_groups": 3,
    "groups": {"学法": ["学法"], "听取汇报": ["听取.{0,20}汇报"], "述法": ["述法"], "出庭": ["出庭应诉"]},
}
HEAD = "一、主要举措和成效\n正文。\n二、主要负责人履行推进法治建设第一责任人职责情况\n"


@pytest.mark.parametrize(("params", "text", "met"), [
    (P, HEAD + "带头学法，听取法治工作汇报3次，开展述法。", Met.MET),
    (P, HEAD + "带头学法，听取汇报。", Met.UNMET),
    (P, "一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
    ({**P, "quantified_patterns": [r"\d+\s*次"], "min_quantified": 1}, HEAD + "带头学法，听取汇报，开展述法。", Met.PARTLY),
    ({**P, "quantified_patterns": [r"\d+\s*次"], "min_quantified": 1}, HEAD + "带头学法，听取汇报3次，开展述法。", Met.MET),
])
def test_keyword_groups(annual: Any, params: dict[str, Any], text: str, met: Met) -> None:
    assert run_kind("keyword_groups", text, params, annual, scope=SCOPE).met is met


def test_message_lists_missing_groups(annual: Any) -> None:
    out = run_kind("keyword_groups", HEAD + "带头学法。", P, annual, scope=SCOPE)
    assert out.message.startswith("只写到学法1类职责，还可以写") and "听取汇报" in out.message


def _shipped(pack: str, rule: str) -> dict[str, Any]:
    import yaml

    from conftest import ROOT

    data = yaml.safe_load((ROOT / "rules" / f"{pack}.yaml").read_text(encoding="utf-8"))
    params: dict[str, Any] = next(r for r in data["rules"] if r["id"] == rule)["params"]
    return params


# page-21 of the corpus (静海区, 2022): a government principal's duties in the words real reports use
PAGE_21 = ("通过区政府常务会、党组会等形式,深入学习贯彻习近平法治思想、党中央关于全面依法治国重大决策部署;坚持集体讨论决策制度,"
           "主持召开区政府常务会议审议《静海区2022年度法治政府建设情况报告》;对区人民法院《关于转发最高人民法院“一号司法建议”的报告》"
           "等文件作出批示,要求政府系统各单位坚持依法行政;开展深化法治政府建设专题调研,深入区法院、司法局及信访办等政法部门一线实地调研。")


def test_duty_synonyms_of_real_reports(annual: Any) -> None:
    out = run_kind("keyword_groups", HEAD + PAGE_21 + "\n三、存在的不足和原因\n培训不足。", _shipped("annual-report", "AR202"),
                   annual, scope=SCOPE)
    assert out.met is Met.MET, out.message
    assert all(k in out.message for k in ("学法", "亲自部署督办", "研究部署", "合法性审查"))


def test_a_part_cut_off_mid_sentence_is_not_judged(annual: Any) -> None:
    # page-14 of the corpus: the duties part stops mid-sentence and the page ends there
    cut = HEAD + "一是坚持法治思想的理论武装。带领全体班子成员系统研习。\n(二)聚焦依"
    out = run_kind("keyword_groups", cut, P, annual, scope=SCOPE)
    assert out.met is Met.NOT_APPLICABLE and "可能不完整" in out.message
    # the same text with a sentence that ends, or a part after it, is judged
    assert run_kind("keyword_groups", HEAD + "带头学法，听取汇报。", P, annual, scope=SCOPE).met is Met.UNMET
    assert run_kind("keyword_groups", cut + "\n三、存在的不足和原因\n培训不足。", P, annual, scope=SCOPE).met is Met.UNMET
