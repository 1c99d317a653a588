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
    c = _counts(card)
    tally = f"通过 {c[Status.PASS]}　警告 {c[Status.WARN]}　不合格 {c[Status.FAIL]}　不适用 {c[Status.SKIP]}"
    if c[Status.WAIVED]:
        tally += f"　豁免 {c[Status.WAIVED]}"
    lines.append([("结论：", "bold"), (verdict, style), (f"　得分：{card.score:g} / 100　", "bold"), (tally, None)])
    return lines


def _header(card: Scorecard) -> Any:
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped

    t = Text()
    for i, line in enumerate(header_lines(card)):
        if i:
            t.append("\n")
        for text, style in line:
            t.append(text, style=style or "")
    return Wrapped(t, keep=[card.path])  # the file name is never broken


# shared with the plain form (reporters/plain.py)
detail = _detail
counts = _counts


#: below this width the title goes above the details in one column, so neither is squeezed
WIDE = 100


def _card(card: Scorecard, width: int = 120) -> Any:
    """The header, then a table of rules. Wide: 状态 | 规则 | 检查项 | 说明与证据, the 检查项 column
    sized for the titles first (up to 40 % of the room); narrow: 状态 | 规则 | 检查项与说明, the
    title in bold above its details. Every cell wraps by Chinese line-breaking rules."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped, cells

    if card.verdict == "error" or not card.results:
        return Group(_header(card), Text(""))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    room = width - max(cells(m) for m, _ in MARK.values()) - max(len(r.rule) for r in card.results) - 6
    if width >= WIDE:
        title_w = min(max(cells(r.title) for r in card.results), int(room * 0.4))
        table.add_column("检查项", width=title_w)
        table.add_column("说明与证据", ratio=1)
        for r in card.results:
            mark, style = MARK[r.status]
            table.add_row(Text(mark, style=style), r.rule, Wrapped(r.title), Wrapped(_detail(r)))
    else:
        table.add_column("检查项与说明", ratio=1)
        for r in card.results:
            mark, style = MARK[r.status]
            detail = _detail(r)
            cell = [(r.title, "bold")] + ([("\n" + detail, None)] if detail else [])
            table.add_row(Text(mark, style=style), r.rule, Wrapped(cell))
    return Group(_header(card), table, Text(""))


def _id_header(rule_id: str) -> str:
    """"AR\n203": two short lines keep a column of one-character marks narrow."""
    cut = next((i for i, ch in enumerate(rule_id) if ch.isdigit()), len(rule_id))
    return f"{rule_id[:cut]}\n{rule_id[cut:]}" if 0 < cut < len(rule_id) else rule_id


_FIXED = 7 + 5  # verdict and score columns, each with its separator


def _matrix(cards: Sequence[Scorecard], pack_id: str, ctx: Any, width: int) -> Any:
    """Reports × rules of one pack: a mark per cell, verdict and score per report, and the
    pass rate of each rule in the footer (the same rates as html/markdown, from _common).
    When the console is too narrow for a column per rule, each row lists its rules that did
    not pass instead, and the pass rates follow the table."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped, cells

    ids = [rid for rid in _common.rule_ids(cards, ctx) if any(r.rule == rid for c in cards for r in c.results)]
    rates = _common.pass_rates(cards, ids)
    pct = {rid: f"{round(100 * p / t)}" if t else "—" for rid, (p, t) in rates.items()}
    pct_sign = {rid: f"{v}%" if t else v for (rid, v), (_p, t) in zip(pct.items(), rates.values())}
    # file names are never broken: the file column is as wide as the longest name. When a
    # column per rule does not fit beside it, each row lists its rules that did not pass under
    # its file name instead, and the pass rates follow the table.
    file_w = min(max(max(cells(c.path) for c in cards), 12), width - _FIXED)
    wide = width >= file_w + 1 + _FIXED + 4 * len(ids)
    name = str(cards[0].meta.get("pack_name") or pack_id)
    scores = [c.score for c in cards if c.score is not None]
    # the title above the table, not rich's table title, which would break （annual） as it likes
    title = Wrapped(Text(f"汇总：{name}（{pack_id}）", style="italic"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=0, show_footer=wide)
    table.add_column("文件" if wide else "文件（及未通过的规则）", min_width=file_w, footer="通过率%", ratio=None if wide else 1)
    table.add_column("结论", no_wrap=True, min_width=6)
    table.add_column("得分", no_wrap=True, justify="right", min_width=4,
                     footer=f"{sum(scores) / len(scores):.1f}" if scores else "—")
    for rid in ids if wide else ():
        table.add_column(_id_header(rid), no_wrap=True, justify="center", width=3, footer=pct[rid])
    for card in cards:
        verdict, style = VERDICT[card.verdict]
        marks = {r.rule: r.status for r in card.results}
        if wide:
            row = [Text(MARK[marks[rid]][0][0], style=MARK[marks[rid]][1]) if rid in marks else Text("")
                   for rid in ids]
            file_cell = Text(card.path)
        else:
            row = []
            file_cell = Text(card.path)
            missed = [Text(MARK[st][0][0] + rid, style=MARK[st][1]) for rid, st in marks.items()
                      if st not in (Status.PASS, Status.SKIP)]
            if missed:
                file_cell.append("\n  ")
                file_cell.append(Text(" ").join(missed))
        table.add_row(Wrapped(file_cell, keep=[card.path]), Text(verdict, style=style), _common.score_text(card), *row)
    if wide:
        return Group(title, table)
    rates_line = [f"{rid} {pct_sign[rid]}" for rid in ids]
    return Group(title, table, Wrapped("通过率：" + "　".join(rates_line), keep=rates_line))


def _errors(cards: Sequence[Scorecard]) -> Any:
    from rich import box
    from rich.table import Table

    from auditor.reporters.linebreak import Wrapped

    table = Table(title="无法检查", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    table.add_column("文件")
    table.add_column("原因", ratio=1)
    for card in cards:
        table.add_row(Wrapped(card.path, keep=[card.path]), Wrapped(card.error or ""))
    return table


def summary_table(cards: Sequence[Scorecard], ctx: Any = None, *, width: int = 120) -> Any:
    """The batch summary: a matrix per report type, the unreadable files, the totals."""
    from rich.console import Group
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped

    ordered = _common.ordered(cards, ctx)
    parts: list[Any] = []
    for pack_id in sorted({c.pack for c in ordered if c.pack and c.verdict != "error"}):
        parts += [_matrix([c for c in ordered if c.pack == pack_id and c.verdict != "error"], pack_id, ctx, width),
                  Text("")]
    errors = [c for c in ordered if c.verdict == "error"]
    if errors:
        parts += [_errors(errors), Text("")]
    legend = "　".join(f"{m}" for m, _ in MARK.values())
    parts.append(Wrapped(f"{_common.summary_line(cards)}\n{legend}"))
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
    if not wants_rich(out, ctx):
        from auditor.reporters import plain

        plain.write(cards, out, ctx=ctx)
        return
    console = make_console(out, ctx)
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            console.print(_card(card, console.width))
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        console.print(summary_table(cards, ctx, width=console.width))
