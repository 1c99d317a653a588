from __future__ import annotations

from auditor.document.normalize import looks_traditional, normalize_line, normalize_lines


def test_fullwidth_punctuation_and_spaces_become_ascii() -> None:
    assert normalize_line("（一）加强，领导：　ＸＸ１２") == "(一)加强,领导: XX12"


def test_length_is_kept() -> None:
    for s in ["（一）加强，领导：　", "⼀是⾏政", "「依法」行政\t"]:
        assert len(normalize_line(s)) == len(s)


def test_kangxi_radicals_fold() -> None:
    assert normalize_line("⼀是依法⾏政") == "一是依法行政"


def test_chinese_punctuation_outside_ascii_range_is_kept() -> None:
    assert normalize_line("一、《宪法》。“好”") == "一、《宪法》。“好”"


def test_traditional_converted_with_tw2s() -> None:
    lines, converted = normalize_lines(["關於2023年度法治政府建設情況的報告", "著力推進依法行政，隨著改革深化。"])
    assert converted
    assert lines == ["关于2023年度法治政府建设情况的报告", "着力推进依法行政,随着改革深化。"]  # full-width comma folded too


def test_simplified_text_left_alone() -> None:
    lines, converted = normalize_lines(["关于2023年度法治政府建设情况的报告"])
    assert not converted and lines == ["关于2023年度法治政府建设情况的报告"]
    assert not looks_traditional("显著成效，著作权保护")


def test_fold_applies_the_whole_table() -> None:
    # fold() finds characters with a regex class; every key of the table must be in that class
    from auditor.document.normalize import _TABLE, fold

    for key, value in _TABLE.items():
        want = value if isinstance(value, str) else chr(value)
        assert fold(f"甲{chr(key)}乙") == f"甲{want}乙", hex(key)
