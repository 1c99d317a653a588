"""`--format text`: a rich scorecard per report, then a summary table for several reports.

Colour on a terminal; plain text (same layout) when piped or with --no-color.
"""

from __future__ import annotations

from typing import IO, Any, Sequence

from auditor.models import Evidence, RuleResult, Scorecard, Status

NAME = "text"
BINARY = False
DESCRIPTION = "scorecards for people (rich; plain when piped)"

MARK = {
    Status.PASS: ("✔ 通过", "green"),
    Status.WARN: ("⚠ 警告", "yellow"),
    Status.FAIL: ("✘ 不合格", "bold red"),
    Status.SKIP: ("– 不适用", "dim"),
    Status.WAIVED: ("≈ 豁免", "cyan"),
}
VERDICT = {"pass": ("合格", "bold green"), "fail": ("不合格", "bold red"), "error": ("无法检查", "bold magenta")}
MAX_EVIDENCE = 3


def _where(e: Evidence) -> str:
    loc = f"第{e.line}行" if e.line else ""
    if e.where:
        loc = f"{loc}（{e.where}）" if loc else e.where
    return f"{loc}：{e.text}" if loc else e.text


def _detail(r: RuleResult) -> str:
    if r.status is Status.PASS and r.evidence:
        return _where(r.evidence[0])  # the message would only repeat the evidence
    lines = [r.message] if r.message else []
    if r.status in (Status.PASS, Status.SKIP):
        return "\n".join(lines)
    lines += [_where(e) for e in r.evidence[:MAX_EVIDENCE] if e.text or e.line]
    if len(r.evidence) > MAX_EVIDENCE:
        lines.append(f"……另有{len(r.evidence) - MAX_EVIDENCE}处")
    if r.status in (Status.FAIL, Status.WARN):
        if r.hint:
            lines.append(f"修改建议：{r.hint}")
        if r.reference:
            lines.append(f"依据：{r.reference}")
    return "\n".join(lines)


def _counts(card: Scorecard) -> dict[Status, int]:
    out = {s: 0 for s in Status}
    for r in card.results:
        out[r.status] += 1
    return out


def _header(card: Scorecard) -> Any:
    from rich.text import Text

    verdict, style = VERDICT[card.verdict]
    t = Text()
    t.append("文件：", style="bold").append(card.path + "\n")
    if card.verdict == "error":
        t.append("结论：", style="bold").append(verdict, style=style)
        t.append("\n原因：", style="bold").append(card.error or "")
        return t
    pack_name = str(card.meta.get("pack_name") or card.pack)
    t.append("报告类型：", style="bold").append(f"{pack_name}（{card.pack}")
    if card.pack_evidence and card.pack_evidence.line:
        t.append(f"，据第{card.pack_evidence.line}行")
    t.append("）\n")
    t.append("报告年度：", style="bold").append(f"{card.report_year}年" if card.report_year else "无法确定")
    if card.year_evidence and card.year_evidence.line:
        t.append(f"（据第{card.year_evidence.line}行）")
    if card.meta.get("published"):
        t.append("　发布日期：", style="bold").append(str(card.meta["published"]))
    t.append("\n结论：", style="bold").append(verdict, style=style)
    t.append(f"　得分：{card.score:g} / 100　", style="bold")
    c = _counts(card)
    t.append(f"通过 {c[Status.PASS]}　警告 {c[Status.WARN]}　不合格 {c[Status.FAIL]}　不适用 {c[Status.SKIP]}")
    if c[Status.WAIVED]:
        t.append(f"　豁免 {c[Status.WAIVED]}")
    return t


def _card(card: Scorecard) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if card.verdict == "error" or not card.results:
        return Group(_header(card), Text(""))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    # fold: Chinese has no spaces to wrap at, and evidence must never be cut off
    table.add_column("检查项", ratio=2, overflow="fold")
    table.add_column("说明与证据", ratio=5, overflow="fold")
    for r in card.results:
        mark, style = MARK[r.status]
        table.add_row(Text(mark, style=style), r.rule, r.title, Text(_detail(r)))
    return Group(_header(card), table, Text(""))


def summary_table(cards: Sequence[Scorecard]) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title="汇总", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for col in ("文件", "类型", "年度", "结论", "得分", "不合格", "警告"):
        table.add_column(col, overflow="fold")
    for card in cards:
        verdict, style = VERDICT[card.verdict]
        c = _counts(card)
        table.add_row(
            card.path, card.pack or "—", str(card.report_year or "—"), Text(verdict, style=style),
            "—" if card.score is None else f"{card.score:g}",
            str(c[Status.FAIL]) if card.results else "—", str(c[Status.WARN]) if card.results else "—",
        )
    passed = sum(c.verdict == "pass" for c in cards)
    failed = sum(c.verdict == "fail" for c in cards)
    errors = sum(c.verdict == "error" for c in cards)
    table.caption = f"共 {len(cards)} 份：合格 {passed}，不合格 {failed}，无法检查 {errors}"
    return table


def make_console(out: IO[str], ctx: Any) -> Any:
    from rich.console import Console

    color = getattr(ctx, "color", None)
    return Console(
        file=out, width=getattr(ctx, "width", None), no_color=color is False,
        force_terminal=True if color else None, highlight=False, emoji=False,
    )


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    console = make_console(out, ctx)
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            console.print(_card(card))
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        console.print(summary_table(cards))
