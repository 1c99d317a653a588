from __future__ import annotations

from typing import Any

import pytest

from auditor.checks.numerals import cn_value, counts, percent
from auditor.models import Met

from conftest import run_kind

P = {
    "total_patterns": ["(共计?|合计|总计|累计)"],
    "part_patterns": ["其中"],
    "share_patterns": ["(出庭应诉|出庭|完成|覆盖|审查|办结)率", "占比"],
    "stop_patterns": ["同比", "增长", "占", "率"],
}


def doc(sentence: str) -> str:
    return f"一、主要举措和成效\n{sentence}\n二、存在的问题\n培训不足。"


@pytest.mark.parametrize(("sentence", "met", "says"), [
    ("共办理45件，其中行政复议30件、行政诉讼20件。", Met.UNMET, "合计50件"),
    ("共办理45件，其中行政复议30件、行政诉讼15件。", Met.MET, ""),
    ("合计受理复议案件十二件，其中维持八件、撤销六件。", Met.UNMET, "合计14件"),  # Chinese numerals
    ("累计培训1.2万人次，其中线上8000人次、线下5000人次。", Met.UNMET, "合计13000人次"),
    ("共办理45件，其中行政复议30件，同比增长20件。", Met.MET, ""),  # the growth is no part
    ("共办理45件，涉及群众60人，其中老年人50人。", Met.MET, ""),  # parts of another unit
    ("行政机关负责人出庭应诉率达到120%。", Met.UNMET, "超过100%"),
    ("收入增长率达到120%。", Met.MET, ""),  # not a share
    ("应诉案件12件，负责人出庭10件，出庭应诉率100%。", Met.UNMET, "12件、10件"),
    ("应诉案件12件，负责人出庭12件，出庭应诉率100%。", Met.MET, ""),
    ("审查合同47份，审查率为百分之百。", Met.MET, ""),
    ("应诉案件12件，出庭10件，出庭率百分之百。", Met.UNMET, "12件、10件"),
    ("覆盖率为百分之一百二十。", Met.UNMET, "超过100%"),
])
def test_figures(annual: Any, sentence: str, met: Met, says: str) -> None:
    out = run_kind("figures_consistent", doc(sentence), P, annual)
    assert out.met is met, out.message
    assert says in out.message
    if met is Met.UNMET:
        assert out.evidence and out.evidence[0].line == 2


def test_scope_is_resolved_by_the_engine(annual: Any) -> None:
    text = "一、存在的问题\n共办理45件，其中行政复议30件、行政诉讼20件。"
    assert run_kind("figures_consistent", text, P, annual, scope={"role": "achievements"}).met is Met.NOT_APPLICABLE


def test_numerals() -> None:
    assert [(f.value, f.unit) for f in counts("开展普法十二场，覆盖1.2万人次，第一次会议，两个维护")] == [
        (12, "场"), (12000, "人次"), (2, "个")]
    assert cn_value("一万二千") == 12000 and cn_value("两") == 2
    assert percent("达到98.5%") is not None and percent("达到98.5%").value == 98.5  # type: ignore[union-attr]
    assert percent("为百分之百").value == 100  # type: ignore[union-attr]


R = {**P, "share_patterns": [*P["share_patterns"], "(合格|参考)率"]}


@pytest.mark.parametrize(("sentence", "met"), [
    # page-18 of the corpus: the 合格率 rates the 145名 who sat the test, not the sessions of 学法
    ("全年组织党委理论学习中心组学法6次、机关干部专题学法8次,组织全镇145名干部职工参加2025年法治理论考试,合格率达100%。",
     Met.MET),
    # page-20 of the corpus: the counts of 学法 stand far from the rates of the test
    ("全年开展中心组专题学法8次、全镇干部集中学法16次,重点学习《中华人民共和国宪法》《中华人民共和国民法典》"
     "《中华人民共和国行政复议法》等法律法规及习近平法治思想最新论述,组织国家工作人员学法考试,参考率、合格率均达100%。",
     Met.MET),
    # the rate right after its counts is still checked
    ("组织145名干部参加法治理论考试,合格130名,合格率达100%。", Met.UNMET),
])
def test_a_rate_is_checked_against_its_own_counts(annual: Any, sentence: str, met: Met) -> None:
    assert run_kind("figures_consistent", doc(sentence), R, annual).met is met


def test_the_line_prefilter_is_the_per_character_test_it_replaced() -> None:
    """The compiled prefilter reads exactly the lines `any(ch.isdigit() or ch in "十百千万两")` read."""
    from auditor.checks.figures_consistent import _FIGURE_CHAR

    differ = [hex(c) for c in range(0x110000)
              if bool(_FIGURE_CHAR.search(chr(c))) != (chr(c).isdigit() or chr(c) in "十百千万两")]
    assert differ == []


def test_sentences_read_with_the_patterns_they_can_hold_find_what_all_patterns_find(
        packs: Any, every_document: Any) -> None:
    """`check` reads a sentence only with the total and share patterns whose literals it holds:
    on every fixture, corpus and perf-corpus text, with each pack's figures_consistent rules, the
    findings are those of reading every sentence of every line with a figure with all of them."""
    from auditor.checks import figures_consistent as fc
    from auditor.checks.contract import Context, whole

    rules = [r for pack in packs.values() for r in pack.rules if r.kind == "figures_consistent"]
    assert rules
    compared = found = 0
    for name, document in every_document:
        for rule in rules:
            p = rule.params
            plain: list[Any] = []
            for line in document.lines:
                if fc._FIGURE_CHAR.search(line.norm):
                    for s in fc._SENTENCE.finditer(line.norm):
                        plain += fc._totals(line, s.start(), s.end(), p) + fc._rates(line, s.start(), s.end(), p)
            out = fc.check(whole(document), p, Context(roles=()))
            if plain:
                assert out.met is Met.UNMET and out.evidence == tuple(ev for _, ev in plain[:fc.MAX_SHOWN]), name
                assert out.message.startswith("；".join(msg for msg, _ in plain[:fc.MAX_SHOWN])), name
            else:
                assert out.met is Met.MET, name
            compared += 1
            found += len(plain)
    assert compared > 500 and found >= 10
