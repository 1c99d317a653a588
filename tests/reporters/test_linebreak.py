"""Chinese line breaking for the terminal tables."""

from __future__ import annotations

import pytest

from auditor.reporters.linebreak import cells, min_width, wrap

TEXT = "未设“推进法治政府建设的主要举措和成效”部分，相关内容写在专题标题“一、高度重视，加强组织领导”下。"


@pytest.mark.parametrize("width", range(6, 60))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width: int) -> None:
    lines = wrap(TEXT, width)
    assert "".join(lines) == TEXT  # nothing lost, nothing added
    for line in lines:
        assert cells(line) <= width
        assert line[0] not in "，。、；：？！）》”’…" and line[-1] not in "（《“‘"


def test_latin_runs_and_kept_spans_stay_whole() -> None:
    assert wrap("第12行：共排查矛盾纠纷205件，成功率达100%。", 12) == ["第12行：共排", "查矛盾纠纷", "205件，成功", "率达100%。"]
    name = "reports/某街道2023年报告.pdf"
    assert wrap(f"文件：{name}", 30, keep=[name]) == ["文件：", name]
    assert min_width(f"文件：{name}", keep=[name]) == cells(name)


def test_too_long_pieces_are_cut_and_paragraphs_kept() -> None:
    assert wrap("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]
    assert wrap("第一段\n\n  缩进的第三段", 20) == ["第一段", "", "  缩进的第三段"]
    assert wrap("one two three", 7) == ["one two", "three"]
