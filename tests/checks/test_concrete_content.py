from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

SCOPE = {"role": "plan"}
P = {"reject_patterns": ["(无|暂无|略)[。.]?"], "min_items": 2, "min_chars": 20}
HEAD = "一、主要举措和成效\n正文。\n二、2024年工作安排\n"


@pytest.mark.parametrize(("text", "met"), [
    (HEAD + "一是加强执法人员培训，全年轮训一次。二是深化普法宣传，开展宪法宣传周活动。", Met.MET),
    (HEAD + "（一）完善领导体制和工作机制，定期学习。\n（二）继续狠抓法治宣传教育，开展普法。", Met.MET),
    (HEAD + "1.完善领导体制和工作机制，定期学习。\n2.继续狠抓法治宣传教育，开展普法。", Met.MET),
    (HEAD + "无。", Met.UNMET),
    (HEAD + "暂无", Met.UNMET),
    (HEAD + "略。", Met.UNMET),
    (HEAD + "继续努力。", Met.UNMET),
    (HEAD + "我们将继续努力，进一步推进法治政府建设再上新台阶，确保各项工作落到实处。", Met.UNMET),
    (HEAD + "一是加强培训，全年轮训一次执法人员。一是加强培训，全年轮训。", Met.UNMET),  # not distinct
    (HEAD.rstrip("\n"), Met.UNMET),  # heading only
    ("一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
])
def test_concrete_content(annual: Any, text: str, met: Met) -> None:
    assert run_kind("concrete_content", text, P, annual, scope=SCOPE).met is met


def test_missing_part_can_fail(annual: Any) -> None:
    out = run_kind("concrete_content", "一、主要举措和成效\n正文。", P, annual, scope={**SCOPE, "missing": "fail"})
    assert out.met is Met.UNMET


@pytest.mark.parametrize(("text", "met"), [
    (HEAD + "加强执法人员培训，全年组织执法人员轮训一次，提高执法规范化水平。\n"
            "深化普法宣传，围绕民法典开展进社区、进企业活动，提升群众法治意识。", Met.MET),
    (HEAD + "第一，加强执法人员培训，全年轮训一次。第二，深化普法宣传，开展宪法宣传周活动。", Met.MET),
    (HEAD + "我们将继续努力，进一步推进法治政府建设再上新台阶，确保各项工作落到实处。", Met.UNMET),
])
def test_paragraphs_and_ordinals_count_as_measures(annual: Any, text: str, met: Met) -> None:
    assert run_kind("concrete_content", text, {**P, "paragraph_chars": 30}, annual, scope=SCOPE).met is met


def test_first_responsible_person_is_not_an_ordinal(annual: Any) -> None:
    text = HEAD + "落实第一责任人职责，推动法治建设。落实第一责任人述法制度。"
    assert run_kind("concrete_content", text, P, annual, scope=SCOPE).met is Met.UNMET
