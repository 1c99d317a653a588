"""The scorecard as plain, line-oriented text: for pipes, CI logs and `--no-color`.

Why not rich here: a table re-wrapped to a pipe's 80 columns breaks Chinese evidence mid-line and
is hard to grep, and importing rich costs a quarter of a cold start. One finding per block, every
line complete, is what a log reader and `grep AR203` want. On a terminal the rich table is used.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any, Sequence

from auditor.models import Scorecard, Status
from auditor.reporters.terminal import MARK, VERDICT, counts, detail, header_lines


def width(text: str) -> int:
    """Terminal cells of a string: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


def card_lines(card: Scorecard) -> list[str]:
    lines = [label + value for label, value in header_lines(card)]
    if card.verdict == "error":
        return lines
    mark_cells = max(width(m) for m, _ in MARK.values())
    indent = " " * (mark_cells + 2)
    for r in card.results:
        lines.append(f"{pad(MARK[r.status][0], mark_cells)}  {r.rule}  {r.title}")
        lines += [indent + d for d in detail(r).splitlines()]
    return lines


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    """Columns aligned by display width."""
    cols = [max(width(x) for x in col) for col in zip(header, *rows)]
    fmt = lambda row: "  ".join(pad(x, w) for x, w in zip(row, cols)).rstrip()  # noqa: E731
    return [fmt(header), "  ".join("-" * w for w in cols), *(fmt(r) for r in rows)]


def summary_lines(cards: Sequence[Scorecard]) -> list[str]:
    rows = []
    for card in cards:
        c = counts(card)
        rows.append([
            card.path, card.pack or "—", str(card.report_year or "—"), VERDICT[card.verdict][0],
            "—" if card.score is None else f"{card.score:g}",
            str(c[Status.FAIL]) if card.results else "—", str(c[Status.WARN]) if card.results else "—",
        ])
    passed = sum(c.verdict == "pass" for c in cards)
    failed = sum(c.verdict == "fail" for c in cards)
    errors = sum(c.verdict == "error" for c in cards)
    return ["汇总", *table(rows, ["文件", "类型", "年度", "结论", "得分", "不合格", "警告"]),
            f"共 {len(cards)} 份：合格 {passed}，不合格 {failed}，无法检查 {errors}"]


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            out.write("\n".join(card_lines(card)) + "\n\n")
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        out.write("\n".join(summary_lines(cards)) + "\n")
