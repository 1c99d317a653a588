from __future__ import annotations

import pytest

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


def test_noise_is_dropped_for_matching_and_spans_map_back() -> None:
    from auditor.document.normalize import normalize_lines, original_span

    lines = ["某縣2023年法治政府建設情況報(bào)告", "一,、加強(qiáng)組織領導,,全面推進依法行政。",
             "县委、县政府皇冠足球比分:《2025年全县法治政府建设工作要点》文件精神", "一、加强组织领导www.example.com"]
    normed, traditional = normalize_lines(lines)
    assert traditional
    assert normed[0] == "某县2023年法治政府建设情况报告"
    assert normed[1] == "一、加强组织领导,全面推进依法行政。"
    assert normed[2] == "县委、县政府:《2025年全县法治政府建设工作要点》文件精神"
    assert normed[3] == "一、加强组织领导"
    at = normed[0].index("报告")
    a, b = original_span(lines[0], normed[0], (at, at + 2))
    assert lines[0][a:b] == "報(bào)告"
    at = normed[2].index("《")
    a, b = original_span(lines[2], normed[2], (at, normed[2].index("》") + 1))
    assert lines[2][a:b] == "《2025年全县法治政府建设工作要点》"


def test_ordinary_parentheses_and_punctuation_are_kept() -> None:
    from auditor.document.normalize import normalize_lines

    lines = ["(一)加强组织领导", "开展普法活动(a)12场,覆盖群众1万人次。", "全民体育活动中心、体育局"]
    assert normalize_lines(lines)[0] == ["(一)加强组织领导", "开展普法活动(a)12场,覆盖群众1万人次。", "全民体育活动中心、体育局"]


# drop_noise's gate lets every kind of noise through (else it is kept).
@pytest.mark.parametrize("noisy", [
    "依法行政報(bào)告", "县政府皇冠足球比分:《通知》", "详见www.example.com/a", "仅供学习与交流，如有侵权请联系网站删除",
    "word版可编辑", "本文档下载后可任意编辑", "【精品文档】", "某某范文网", "欢迎下载",
    "Evaluation Warning: The document was created with Spire.Doc", "一是,,加强", "二是,、推进", "三是、、落实",
])
def test_noise_gate_passes_every_kind(noisy: str) -> None:
    from auditor.document.normalize import drop_noise, normalize_line

    norm = normalize_line(noisy)
    assert drop_noise([norm]) != [norm]


def test_looks_traditional_counts_ideographs() -> None:
    from auditor.document.normalize import looks_traditional

    assert looks_traditional("國際會議" + "中" * 50)
    assert not looks_traditional("國際會議" + "中" * 500)
