"""GW401 on the Word fixtures: the GB/T 9704 draft passes; each layout deviation is named, grouped."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import loaders
from auditor.document.structure import build
from auditor.models import Met, Outcome

from checks._gongwen import run_on, run_rule_kind
from conftest import FIXTURES

GONGWEN = FIXTURES / "gongwen"


def layout_outcome(path: Path) -> Outcome:
    return run_on("GW401", build(loaders.load(str(path), layout=True)))


def test_the_gbt9704_draft_passes() -> None:
    outcome = layout_outcome(GONGWEN / "gbt9704.docx")
    assert outcome.met is Met.MET, outcome.message


@pytest.mark.parametrize(("name", "says"), [
    ("margins", "上边距（天头）应为37 mm，实为25.4 mm；左边距（订口）应为28 mm，实为31.8 mm；版心应为156×225 mm"),
    ("body_font", "正文应为3号仿宋（仿宋_GB2312/仿宋），8段为宋体 小四：第3段、第10段"),
    ("heading_font", "一级标题应为3号黑体（黑体/方正黑体_GBK），5段为仿宋_GB2312 三号：第4段、第9段"),
    ("line_spacing", "行距应为固定值28～29.5磅，23段为1.5倍行距：第1段"),
    ("page_number", "页码应写作“— 1 —”（数字左右各一条一字线），word/footer1.xml为“1”"),
])
def test_each_deviation_is_named_with_its_paragraphs(name: str, says: str) -> None:
    outcome = layout_outcome(GONGWEN / f"dev_{name}.docx")
    assert outcome.met is Met.UNMET
    assert says in outcome.message, outcome.message


def test_deviations_are_grouped_not_one_row_per_run() -> None:
    outcome = layout_outcome(GONGWEN / "dev_body_font.docx")
    assert outcome.message.count("正文应为") == 1  # eight paragraphs, one group
    assert len(outcome.evidence) == 1
    assert outcome.evidence[0].where == "第3段" and outcome.evidence[0].line == 3


def test_a_draft_without_page_numbers_is_told_so() -> None:
    outcome = layout_outcome(Path(__file__).resolve().parents[2] / "rules" / "examples" / "gongwen-layout-deviations.docx")
    assert "未设置页码" in outcome.message


def test_text_formats_are_not_applicable() -> None:
    assert run_rule_kind("GW401", "一、主要举措和成效\n全年办理行政复议案件12件。").met is Met.NOT_APPLICABLE


def test_a_docx_read_without_its_layout_is_not_applicable() -> None:
    doc = build(loaders.load(str(GONGWEN / "gbt9704.docx")))
    assert run_on("GW401", doc).met is Met.NOT_APPLICABLE
