"""The mechanical corrections of the 公文规范 kinds (auditor.checks._fixes)."""

from __future__ import annotations

import pytest

from auditor.checks._fixes import Replacement, corrected, date_fix, minimal
from auditor.models import Fix


@pytest.mark.parametrize(("line", "fix"), [
    ("2024.3.8", Fix(0, "2024.3.8", "2024年3月8日")),
    ("  2024-03-08", Fix(2, "2024-03-08", "2024年3月8日")),
    ("2024年03月08日", Fix(0, "2024年03月08日", "2024年3月8日")),
    ("二〇二四年三月十八日", Fix(0, "二〇二四年三月十八日", "2024年3月18日")),
    ("二〇二四年十二月三十一日", Fix(0, "二〇二四年十二月三十一日", "2024年12月31日")),
])
def test_a_date_is_corrected_to_the_standard_form(line: str, fix: Fix) -> None:
    assert date_fix(line) == fix


@pytest.mark.parametrize("line", ["2024年3月8日", "24年3月8日", "2024.13.8", "附件"])
def test_no_correction_for_a_right_date_a_guess_or_no_date(line: str) -> None:
    assert date_fix(line) is None


def test_fullwidth_turns_quotes_by_their_side_and_marks_into_their_twins() -> None:
    full = Replacement("g", "fullwidth")
    text = '开展"法律进社区"活动,效果好(见附表):满意?'
    fixes = [corrected(text, i, i + 1, full) for i, ch in enumerate(text) if ch in '",():?']
    assert [(f.found, f.replace) for f in fixes if f] == [
        ('"', "“"), ('"', "”"), (",", "，"), ("(", "（"), (")", "）"), (":", "："), ("?", "？")]


def test_collapse_replace_and_middle_dot() -> None:
    assert corrected("好，，坏", 1, 3, Replacement("g", "collapse")) == Fix(2, "，", "")
    assert corrected("好，。坏", 1, 3, Replacement("g", "collapse")) is None  # which one is meant: not for auditor
    assert corrected("一是、健全", 0, 3, Replacement("g", "replace", "、", "，")) == Fix(2, "、", "，")
    assert corrected("《宪法》、《民法典》", 4, 5, Replacement("g", "replace", "、", "")) == Fix(4, "、", "")
    assert corrected("“12.4”", 1, 5, Replacement("g", "middle_dot")) == Fix(3, ".", "·")


def test_minimal_keeps_only_what_changes() -> None:
    assert minimal("x(一)y", 1, "(一)", "（一）") == Fix(1, "(一)", "（一）")
    assert minimal("1、健全", 0, "1、", "1.") == Fix(1, "、", ".")
    assert minimal("abc", 0, "abc", "abc") is None
