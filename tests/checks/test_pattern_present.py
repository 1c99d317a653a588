from __future__ import annotations

from typing import Any

import pytest

from auditor.models import Met

from conftest import run_kind

CAUSES = {"patterns": ["原因"]}
FIGURES = {"min_count": 3, "patterns": [r"\d+\s*(件|次|场|%)"]}
SHORT, ACHIEVED = {"role": "shortcomings"}, {"role": "achievements"}


@pytest.mark.parametrize(("params", "scope", "text", "met"), [
    (CAUSES, SHORT, "一、主要举措和成效\n正文。\n二、存在的不足和原因\n正文。", Met.MET),
    (CAUSES, SHORT, "一、主要举措和成效\n正文。\n二、存在的问题\n执法不规范。原因：培训少。", Met.MET),
    (CAUSES, SHORT, "一、主要举措和成效\n正文。\n二、存在的问题\n执法不规范。", Met.UNMET),
    (CAUSES, SHORT, "一、主要举措和成效\n正文。", Met.NOT_APPLICABLE),
    (CAUSES, {**SHORT, "missing": "fail"}, "一、主要举措和成效\n正文。", Met.UNMET),
    (FIGURES, ACHIEVED, "一、主要举措和成效\n办案3件，培训5次，普法12场。", Met.MET),
    (FIGURES, ACHIEVED, "一、主要举措和成效\n办案3件，培训5次。", Met.UNMET),
    ({"patterns": ["法律顾问"]}, None, "一、主要举措和成效\n聘请法律顾问。", Met.MET),
])
def test_pattern_present(annual: Any, params: dict[str, Any], scope: Any, text: str, met: Met) -> None:
    assert run_kind("pattern_present", text, params, annual, scope=scope).met is met


def test_matches_fullwidth_and_traditional_forms(annual: Any) -> None:
    # normalized matching: full-width colon and Traditional characters still match
    out = run_kind("pattern_present", "一、主要舉措和成效\n辦案３件，培訓５次，普法１２場。", FIGURES, annual, scope=ACHIEVED)
    assert out.met is Met.MET
