from __future__ import annotations

from auditor.models import replace
from typing import Any

from auditor.models import Scorecard, Status
from auditor.reporters import markdown

from .conftest import WAIVER_REASON, render, summary, verdicts


def table_rows(text: str) -> list[list[str]]:
    """Cells of the summary table, split on unescaped pipes."""
    import re

    rows = [ln for ln in text.splitlines() if ln.startswith("| ")][2:]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in rows]


def test_a_row_per_report(cards: list[Scorecard], ctx: Any) -> None:
    text = render("markdown", cards, ctx)
    assert summary(cards) in text
    rows = table_rows(text)
    label = {"pass": "✔ 合格", "fail": "✘ 不合格", "error": "⚠ 无法检查：文件为空"}
    assert [r[1] for r in rows] == [label[v] for v in verdicts(cards)]
    fails = " ".join(r.rule for r in cards[1].results if r.status is Status.FAIL)
    warns = " ".join(r.rule for r in cards[1].results if r.status is Status.WARN)
    assert rows[1][2:] == [f"{cards[1].score:g}", fails, warns] and "AR105" in fails
    assert rows[3] == ["reports/empty.txt", "⚠ 无法检查：文件为空", "—", "—", "—"]


def test_details_of_failed_and_warned_rules(cards: list[Scorecard], ctx: Any) -> None:
    text = render("markdown", cards, ctx)
    with_findings = sum(any(r.status in (Status.FAIL, Status.WARN) for r in c.results) for c in cards)
    assert text.count("<details>") == with_findings == text.count("</details>") >= 2
    block = text[text.index("004\\_c31362d728184ceb.txt：不合格"):]
    assert "- ✘ **AR301** 文末有发文单位落款（不合格）：文末没有落款，文首第2行的" in block
    assert "  - 第29行：（三）创新普法宣传新形式" in block
    assert "  - 修改建议：在正文最后一部分之后另起一行写发文单位全称" in block


def test_pipes_and_markup_are_escaped(cards: list[Scorecard]) -> None:
    card = cards[2]
    results = tuple(replace(r, message="a|b *c* <script>") if r.status is Status.FAIL else r
                    for r in card.results)
    text = render("markdown", [replace(card, results=results, path="x|y_z.txt")])
    (row,) = table_rows(text)
    assert row[0] == "x\\|y\\_z.txt" and len(row) == 5
    assert "a\\|b \\*c\\* \\<script\\>" in text and "<script>" not in text
    assert markdown.esc("多行\n文本") == "多行 文本"


def test_waived_rules_show_their_reason(waived_cards: list[Scorecard], ctx: Any) -> None:
    text = render("markdown", waived_cards, ctx)
    assert f"- ≈ **AR105** 第五部分“其他需要报告的情况”单列（豁免）：{markdown.esc(WAIVER_REASON)}" in text
