"""The term list of GW301: every entry's own examples, its size and sources, and the terms that
are right in their own context."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from checks._gongwen import rule_params, run_rule_kind

TERMS: list[Any] = list(rule_params("GW301").terms)


def _doc(sentence: str) -> str:
    return "一、主要举措和成效\n" + sentence


def test_the_list_has_at_least_40_entries_each_with_a_source() -> None:
    assert len(TERMS) >= 40
    for t in TERMS:
        assert t.source.strip() and t.right.strip(), t.pattern.pattern
    assert len({t.pattern.pattern for t in TERMS}) == len(TERMS), "an entry is listed twice"


@pytest.mark.parametrize("term", TERMS, ids=[t.pattern.pattern for t in TERMS])
def test_each_entry_passes_its_right_form_and_flags_its_wrong_form(term: Any) -> None:
    # the whole list runs on each example, so no other entry may flag a right sentence either
    ok = run_rule_kind("GW301", _doc(term.right_example))
    assert ok.met is Met.MET, ok.message
    bad = run_rule_kind("GW301", _doc(term.wrong_example))
    assert bad.met is Met.UNMET
    assert f"应为“{term.right}”（{term.source}）" in bad.message, bad.message


@pytest.mark.parametrize("sentence", [
    "严格落实重大执法决定法制审核制度。",  # the system's official name says 法制审核
    "原市政府法制办公室职责划入市司法局。",  # an office's former name
    "贯彻《江苏省法制宣传教育条例》。",  # a regulation whose name keeps the older word
    "推进法制宣传教育和依法治理。",
    "行政执法人员法制培训。",
])
def test_terms_right_in_their_own_context_are_not_flagged(sentence: str) -> None:
    outcome = run_rule_kind("GW301", _doc(sentence))
    assert outcome.met is Met.MET, outcome.message


def test_one_finding_names_every_wrong_term_with_its_lines() -> None:
    outcome = run_rule_kind("GW301", "一、甲\n学习习近平法制思想。\n推进法制政府建设。\n再学习近平法制思想。")
    assert outcome.met is Met.UNMET
    assert "第2、4行“习近平法制思想”应为“习近平法治思想”" in outcome.message
    assert "第3行“法制政府”应为“法治政府”" in outcome.message
    assert len(outcome.evidence) == 3


@pytest.mark.parametrize("sentence", ["组织开展“12·4”全国法制宣传日活动。", "开展国家宪法宣传日系列活动。"])
def test_the_outdated_name_of_the_constitution_day_is_flagged(sentence: str) -> None:
    # 12月4日 has been 国家宪法日 since the 2014 decision of the NPC Standing Committee; a report
    # of a later year that writes 全国法制宣传日 uses the old name (review.md §3)
    outcome = run_rule_kind("GW301", _doc(sentence))
    assert outcome.met is Met.UNMET
    assert "国家宪法日" in outcome.message, outcome.message
