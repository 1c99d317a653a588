"""Normalization scans the text as few times as its stages allow (issue 23): folding counts the
Traditional markers in the same scan, the noise gate asks the doubled marks with `in` and the
rest in one search, the joined text is not joined again. Each shortcut gives exactly what the
plain computation gives, on every fixture, corpus and perf-corpus text and on made-up texts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import assert_left_uncompiled

from auditor.document import normalize as nz


def plain_fold(text: str) -> str:
    """fold as written before it scanned for the markers too."""
    for ch in set(re.findall(nz._FOLD_CLASS, text)):
        text = text.replace(ch, nz._REPLACEMENT.get(ch, ch))
    return text


def plain_normalize_lines(lines: list[str]) -> tuple[list[str], bool]:
    """normalize_lines as written before the shortcuts: fold, then count the markers apart, ask
    for two markers apart, and gate noise by the whole noise pattern over the lines joined again."""

    def drop_noise(normed: list[str]) -> list[str]:
        if nz._NOISE.search("\n".join(normed)) is None:
            return normed
        return [nz._drop_noise(s) if nz._NOISE.search(s) is not None else s for s in normed]

    joined = nz.close_gaps(plain_fold("\n".join(lines)))
    normed = joined.split("\n")
    if len(normed) != len(lines):
        normed = [nz.close_gaps(plain_fold(s)) for s in lines]
        joined = "\n".join(normed)
    if not nz.looks_traditional(joined):
        two = len(nz._MARKERS.findall(joined)) >= 2
        mixed = [i for i, n in enumerate(normed) if len(nz._MARKERS.findall(n)) >= 2] if two else []
        for i in mixed:
            normed[i] = nz.to_simplified(normed[i])
        return drop_noise(normed), bool(mixed)
    converted = nz.to_simplified(joined).split("\n")
    if len(converted) != len(normed):
        return drop_noise(normed), False
    return drop_noise([c if len(c) == len(n) else n for c, n in zip(converted, normed)]), True


# Texts that take the rare paths: Traditional throughout, a Simplified text with a Traditional
# title, markers spelled as compatibility ideographs or Kangxi radicals (they fold into markers),
# a line holding a line break, noise of each kind, a toned vowel without a gloss.
MADE_UP: list[list[str]] = [
    ["關於2023年法治政府建設情況的報告", "一、主要舉措", "這一年來，我們圍繞國務院部署，認真開展工作。"],
    ["某县2023年法治政府建设情况報告關於這", "一、主要举措", "开展普法宣传12场。"],
    ["某县2023年法治政府建设情况報告這", "一、主要举措", "开展普法宣传12场。"],  # two markers, one line
    ["關於報告", "中" * 400],  # three markers, under 1 % of the ideographs
    ["\uf967\uf9a8說\uf96f\u2f3e報告", "\u2fa7\u2fa8\u2fb4 國"],
    ["某县情况报告\uf96f\uf9a1", "说明"],  # two markers as compatibility ideographs
    ["一行\n两行", "二、報告這們", "三、這"],
    ["报(bào)告,,内容", "一,、二", "某县政府皇冠足球比分:", "见www.example.com", "仅供学习参考"],
    ["café 报告 Évaluation", "résumé。。"],
    ["word 版可编辑", "Evaluation Warning: Spire.Doc", "(报告)ā"],
    ["\u3000\u3000全角：空格，ＡＢＣ１２３「引号」", "2024 年 3 月 4 日", "渝 ICP 备 2021011583 号"],
]


@pytest.fixture(scope="module")
def line_lists(every_document: Any) -> list[list[str]]:
    seen: dict[str, list[str]] = {}
    for _, doc in every_document:
        seen.setdefault(doc.path, [ln.text for ln in doc.lines])
    assert len(seen) > 100
    return [*seen.values(), *MADE_UP]


def test_normalize_lines_is_the_plain_computation(line_lists: list[list[str]]) -> None:
    traditional = mixed = 0
    for lines in line_lists:
        got = nz.normalize_lines(list(lines))
        assert got == plain_normalize_lines(list(lines)), lines[:3]
        traditional += got[1]
        mixed += got[1] and not nz._traditional(nz.fold("\n".join(lines)), 3)
    assert traditional >= 3 and mixed >= 2  # the Traditional paths were taken, a converted line among them


def test_fold_counting_is_fold_then_count(line_lists: list[list[str]]) -> None:
    texts = ["\n".join(lines) for lines in line_lists]
    texts += [chr(cp) for cp in range(0x10000) if nz._FOLD_OR_MARKER.match(chr(cp))]
    texts.append("".join(texts[-1000:]))
    for text in texts:
        folded = plain_fold(text)
        assert nz._fold_counting(text) == (folded, len(nz._MARKERS.findall(folded))), text[:40]
        assert nz.fold(text) == folded
        # a word is converted when it holds a marker (matching_form asks the set, not the pattern)
        assert nz._TRADITIONAL_MARKERS.isdisjoint(folded) == (nz._MARKERS.search(folded) is None)
    # the class holds what folding looks for and the markers, nothing else
    for cp in range(0x110000):
        ch = chr(cp)
        assert bool(nz._FOLD_OR_MARKER.match(ch)) == (bool(nz._TO_FOLD.match(ch)) or ch in nz._TRADITIONAL_MARKERS)


def test_noise_gate_is_the_whole_pattern(line_lists: list[list[str]]) -> None:
    noisy = 0
    for lines in line_lists:
        normed, _ = nz.normalize_lines(list(lines))
        pieces = ["\n".join(lines), "\n".join(normed), *lines, *(nz.normalize_line(s) for s in lines)]
        for piece in pieces:
            assert nz._noisy(piece) == (nz._NOISE.search(piece) is not None), piece[:40]
            noisy += nz._noisy(piece)
    assert noisy > 10


def test_a_toned_vowel_alone_is_no_noise() -> None:
    assert not nz._noisy("café résumé 报告")
    assert nz._noisy("café 报(bào)告") and nz._noisy("café 报告,,")


def test_a_report_compiles_none_of_the_single_scans() -> None:
    """A Simplified report is folded, counted and gated by the combined scans alone: the
    patterns they stand for are compiled only when something asks for them."""
    assert_left_uncompiled(
        "[normalize._TO_FOLD, normalize._MARKERS, normalize._TONED_AT, normalize._PINYIN_AT]",
        ("某县2023年法治政府建设情况报告", "一、主要举措和成效", "开展普法１２场，（一）完善制度。", "某县人民政府", "2024年3月1日"),
        then="assert normalize.matching_form('法治') == '法治' and normalize.matching_form('報告') == '报告'")
