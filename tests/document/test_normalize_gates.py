"""The fast forms of normalization's searches give exactly what the plain patterns give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.document import normalize

_IDEO = normalize._IDEO
PLAIN_GAP = re.compile(rf"(?<=[{_IDEO}]) +(?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) +(?=[{_IDEO}])")
ALPHABET = ("报告年月日 \n,、。;:()bàoǎwW.xyz0123足球比分体育平台彩票官网www-/仅供个人学习参考与交流之用如有侵权请联系告知本站删除"
            "处理精品优质文档ORDord版格式可下载后编辑修改任意范文网大全欢迎【】[]EvaluationWrSpe")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_noise_gate_is_the_combined_pattern(text: str) -> None:
    assert normalize._noisy(text) == (normalize._NOISE.search(text) is not None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_gap_pattern_deletes_what_the_plain_one_deletes(text: str) -> None:
    assert normalize._GAP.sub("", text) == PLAIN_GAP.sub("", text)


def test_noise_gate_on_real_text() -> None:
    from conftest import FIXTURES

    texts = [p.read_bytes().decode("utf-8", "replace") for d in ("seeds", "reports", "duty")
             for p in (FIXTURES / d).glob("*.txt")]
    texts += ["见《精品文档》Word版可编辑，欢迎下载", "Evaluation Warning: The document was created with Spire.Doc for Python."]
    for text in texts:
        for piece in (text, *text.splitlines()):
            assert normalize._noisy(piece) == (normalize._NOISE.search(piece) is not None)


def test_examples() -> None:
    assert normalize.close_gaps("2024 年 3 月 4 日，渝 ICP 备 2021011583 号") == "2024年3月4日，渝ICP备2021011583号"
    assert normalize.drop_noise(["报(bào)告", "一,、二"]) == ["报告", "一、二"]
    assert normalize._noisy("某县政府皇冠足球比分:") and normalize._noisy("见www.example.com")
    assert normalize._noisy("报告,,内容") and normalize._noisy("一。。二")  # doubled marks are noise


def test_doubled_punctuation_is_dropped_for_matching() -> None:
    assert normalize.drop_noise(["报告,,内容", "完成。。", "一,、加强", "正常,内容"]) == ["报告,内容", "完成。", "一、加强", "正常,内容"]
