"""`--format text`: a rich scorecard per report, then a summary table for several reports.

On a terminal: rich tables in colour. Piped, in CI or with --no-color: the same content as
line-oriented plain text (reporters/plain.py), which never cuts evidence and imports no rich.
"""

from __future__ import annotations

from typing import IO, Any, Sequence

from auditor.models import RuleResult, Scorecard, Status
from auditor.reporters import _common

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


def _detail(r: RuleResult) -> str:
    if r.status is Status.PASS and r.evidence:
        return _common.where(r.evidence[0])  # the message would only repeat the evidence
    if r.status in (Status.PASS, Status.SKIP):
        return r.message
    return _common.detail(r)  # message, evidence, and for a finding how to fix it and why


def _counts(card: Scorecard) -> dict[Status, int]:
    out = {s: 0 for s in Status}
    for r in card.results:
        out[r.status] += 1
    return out


def header_lines(card: Scorecard) -> list[list[tuple[str, str | None]]]:
    """The scorecard header as lines of (text, style) pieces, shared by the rich and plain forms."""
    verdict, style = VERDICT[card.verdict]
    lines: list[list[tuple[str, str | None]]] = [[("文件：", "bold"), (card.path, None)]]
    if card.verdict == "error":
        return lines + [[("结论：", "bold"), (verdict, style)], [("原因：", "bold"), (card.error or "", None)]]
    pack_name = str(card.meta.get("pack_name") or card.pack)
    by = f"，据第{card.pack_evidence.line}行" if card.pack_evidence and card.pack_evidence.line else ""
    lines.append([("报告类型：", "bold"), (f"{pack_name}（{card.pack}{by}）", None)])
    year = [("报告年度：", "bold"), (f"{card.report_year}年" if card.report_year else "无法确定", None)]
    if card.year_evidence and card.year_evidence.line:
        year.append((f"（据第{card.year_evidence.line}行）", None))
    if card.meta.get("published"):
        year += [("　发布日期：", "bold"), (str(card.meta["published"]), None)]
    lines.append(year)
    if card.meta.get("ocr_pages"):  # --ocr read scanned pages: misread characters can change rows
        lines.append([("文字来源：", "bold"),
                      (f"OCR识别（第{card.meta['ocr_pages']}页），识别错误可能影响检查结果，请对照原件核对", None)])
    lines += cross_lines(card)
    c = _counts(card)
    tally = f"通过 {c[Status.PASS]}　警告 {c[Status.WARN]}　不合格 {c[Status.FAIL]}　不适用 {c[Status.SKIP]}"
    if c[Status.WAIVED]:
        tally += f"　豁免 {c[Status.WAIVED]}"
    lines.append([("结论：", "bold"), (verdict, style), (f"　得分：{card.score:g} / 100　", "bold"), (tally, None)])
    return lines


def cross_lines(card: Scorecard) -> list[list[tuple[str, str | None]]]:
    """Header lines of the cross-report checks: the copied share (--similarity) and last year's
    edition (--previous)."""
    out: list[list[tuple[str, str | None]]] = []
    share = card.meta.get("similarity")
    if share is not None:
        out.append([("与其他报告重复的比例：", "bold"), (f"{round(100 * float(share))}%", None)])
    prev = card.meta.get("previous")
    if isinstance(prev, dict):
        if prev.get("matched"):
            text = f"{prev['matched']}（{prev.get('reason', '')}），沿用比例 {round(100 * prev.get('carried_over', 0))}%"
            plan = prev.get("plan") or {}
            if plan.get("measures"):
                text += f"，上年安排落实 {plan['taken_up']}/{plan['measures']} 项"
        else:
            text = str(prev.get("reason") or "未找到")
        out.append([("上一年度报告：", "bold"), (text, None)])
    return out


def problem_lines(cards: Sequence[Scorecard]) -> list[str]:
    """--quiet: one line per failed or warned rule, failures first, then the unreadable files;
    nothing for a report without problems."""
    order = {Status.FAIL: 0, Status.WARN: 1}
    lines = []
    for card in cards:
        if card.verdict == "error":
            lines.append(f"{card.path}: {VERDICT['error'][0]}: {card.error or ''}")
            continue
        found = sorted((r for r in card.results if r.status in order), key=lambda r: order[r.status])
        for r in found:
            ev = _common.first_line(r)
            at = f":{ev.line}" if ev and ev.line else ""
            lines.append(f"{card.path}{at}: {MARK[r.status][0]} {r.rule} {r.title}：{r.message}")
    return lines


def write_quiet(cards: Sequence[Scorecard], out: IO[str]) -> None:
    lines = problem_lines(cards)
    if len(cards) > 1 or not lines:
        lines.append(_common.summary_line(cards))
    out.write("\n".join(lines) + "\n")


def _header(card: Scorecard) -> Any:
    from rich.text import Text

    t = Text()
    for i, line in enumerate(header_lines(card)):
        if i:
            t.append("\n")
        for text, style in line:
            t.append(text, style=style or "")
    return t


# shared with the plain form (reporters/plain.py)
detail = _detail
counts = _counts


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


def _id_header(rule_id: str) -> str:
    """"AR\n203": two short lines keep a column of one-character marks narrow."""
    cut = next((i for i, ch in enumerate(rule_id) if ch.isdigit()), len(rule_id))
    return f"{rule_id[:cut]}\n{rule_id[cut:]}" if 0 < cut < len(rule_id) else rule_id


_FIXED = 12 + 7 + 5  # file (at least), verdict and score columns, each with its separator


def _matrix(cards: Sequence[Scorecard], pack_id: str, ctx: Any, width: int) -> Any:
    """Reports × rules of one pack: a mark per cell, verdict and score per report, and the
    pass rate of each rule in the footer (the same rates as html/markdown, from _common).
    When the console is too narrow for a column per rule, each row lists its rules that did
    not pass instead, and the pass rates follow the table."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    ids = [rid for rid in _common.rule_ids(cards, ctx) if any(r.rule == rid for c in cards for r in c.results)]
    rates = _common.pass_rates(cards, ids)
    pct = {rid: f"{round(100 * p / t)}" if t else "—" for rid, (p, t) in rates.items()}
    pct_sign = {rid: f"{v}%" if t else v for (rid, v), (_p, t) in zip(pct.items(), rates.values())}
    wide = width >= _FIXED + 4 * len(ids)
    name = str(cards[0].meta.get("pack_name") or pack_id)
    scores = [c.score for c in cards if c.score is not None]
    table = Table(title=f"汇总：{name}（{pack_id}）", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=0, show_footer=wide, title_justify="left")
    table.add_column("文件", overflow="fold", ratio=1, min_width=12, footer="通过率%")
    table.add_column("结论", no_wrap=True, min_width=6)
    table.add_column("得分", no_wrap=True, justify="right", min_width=4,
                     footer=f"{sum(scores) / len(scores):.1f}" if scores else "—")
    copied = any(c.meta.get("similarity") is not None for c in cards)
    if copied:  # --similarity: 与其他报告重复的比例
        table.add_column("重复", no_wrap=True, justify="right", min_width=4)
    if wide:
        for rid in ids:
            table.add_column(_id_header(rid), no_wrap=True, justify="center", width=3, footer=pct[rid])
    else:
        table.add_column("未通过的规则", overflow="fold", ratio=1)
    for card in cards:
        verdict, style = VERDICT[card.verdict]
        marks = {r.rule: r.status for r in card.results}
        if wide:
            cells = [Text(MARK[marks[rid]][0][0], style=MARK[marks[rid]][1]) if rid in marks else Text("")
                     for rid in ids]
        else:
            cells = [Text(" ").join(Text(MARK[st][0][0] + rid, style=MARK[st][1]) for rid, st in marks.items()
                                    if st not in (Status.PASS, Status.SKIP))]
        share = card.meta.get("similarity")
        extra = [f"{round(100 * float(share))}%" if share is not None else "—"] if copied else []
        table.add_row(card.path, Text(verdict, style=style), _common.score_text(card), *extra, *cells)
    if wide:
        return table
    return Group(table, Text("通过率：" + "　".join(f"{rid} {pct_sign[rid]}" for rid in ids)))


def _errors(cards: Sequence[Scorecard]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title="无法检查", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.add_column("文件", overflow="fold", ratio=1)
    table.add_column("原因", overflow="fold", ratio=2)
    for card in cards:
        table.add_row(card.path, card.error or "")
    return table


def summary_table(cards: Sequence[Scorecard], ctx: Any = None, *, width: int = 120) -> Any:
    """The batch summary: a matrix per report type, the unreadable files, the totals."""
    from rich.console import Group
    from rich.text import Text

    ordered = _common.ordered(cards, ctx)
    parts: list[Any] = []
    for pack_id in sorted({c.pack for c in ordered if c.pack and c.verdict != "error"}):
        parts += [_matrix([c for c in ordered if c.pack == pack_id and c.verdict != "error"], pack_id, ctx, width),
                  Text("")]
    errors = [c for c in ordered if c.verdict == "error"]
    if errors:
        parts += [_errors(errors), Text("")]
    legend = "　".join(f"{m}" for m, _ in MARK.values())
    parts.append(Text(f"{_common.summary_line(cards)}\n{legend}"))
    return Group(*parts)


def make_console(out: IO[str], ctx: Any) -> Any:
    from rich.console import Console

    color = getattr(ctx, "color", None)
    return Console(
        file=out, width=getattr(ctx, "width", None), no_color=color is False,
        force_terminal=True if color else None, highlight=False, emoji=False,
    )


def wants_rich(out: IO[str], ctx: Any) -> bool:
    """The rich table on a terminal (or when colour is forced); line-oriented text otherwise."""
    import os

    color = getattr(ctx, "color", None)
    if color is not None:
        return bool(color)
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    if getattr(ctx, "quiet", False):
        write_quiet(cards, out)
        return
    if not wants_rich(out, ctx):
        from auditor.reporters import plain

        plain.write(cards, out, ctx=ctx)
        return
    console = make_console(out, ctx)
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            console.print(_card(card))
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        console.print(summary_table(cards, ctx, width=console.width))
