"""The batch summary drawn by rich: a reports × rules matrix per report type, the unreadable
files and the totals. Used by the rich and the plain text forms alike.
"""

from __future__ import annotations

from typing import IO, Any, Sequence

from auditor.models import Scorecard, Status
from auditor.reporters import _common
from auditor.reporters.scorecard_text import MARK, VERDICT

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
    copied = any(c.meta.get("similarity") is not None for c in cards)  # --similarity: a 重复 column
    fixed = _FIXED + (5 if copied else 0)
    file_w = min(max(max(cells(c.path) for c in cards), 12), width - fixed)
    wide = width >= file_w + 1 + fixed + 4 * len(ids)
    name = str(cards[0].meta.get("pack_name") or pack_id)
    scores = [c.score for c in cards if c.score is not None]
    # the title above the table, not rich's table title, which would break （annual） as it likes
    title = Wrapped(Text(f"汇总：{name}（{pack_id}）", style="italic"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=0, show_footer=wide)
    table.add_column("文件" if wide else "文件（及未通过的规则）", min_width=file_w, footer="通过率%", ratio=None if wide else 1)
    table.add_column("结论", no_wrap=True, min_width=6)
    table.add_column("得分", no_wrap=True, justify="right", min_width=4,
                     footer=f"{sum(scores) / len(scores):.1f}" if scores else "—")
    if copied:  # 与其他报告重复的比例
        table.add_column("重复", no_wrap=True, justify="right", min_width=4)
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
        share = card.meta.get("similarity")
        extra = [f"{round(100 * float(share))}%" if share is not None else "—"] if copied else []
        table.add_row(Wrapped(file_cell, keep=[card.path]), Text(verdict, style=style), _common.score_text(card),
                      *extra, *row)
    if wide:
        return Group(title, table)
    rates_line = [f"{rid} {pct_sign[rid]}" for rid in ids]
    return Group(title, table, Wrapped("通过率：" + "　".join(rates_line), keep=rates_line))


def _errors(cards: Sequence[Scorecard], width: int, title: str = "无法检查",
            reason: Any = lambda c: c.error or "") -> Any:
    from rich import box
    from rich.table import Table

    from auditor.reporters.linebreak import Wrapped, cells

    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title_justify="left")
    # as in the matrix, a file name is never broken (a supervisor copies it to find the file);
    # the reason, which reads well wrapped, keeps up to 24 columns. The file column's width is
    # fixed, not a min_width: with a min_width rich cropped the ends of the reason's lines.
    reason_w = min(max(cells(reason(c)) for c in cards), 24)
    table.add_column("文件", width=max(4, min(max(cells(c.path) for c in cards), width - 2 - reason_w)))
    table.add_column("原因", ratio=1)
    for card in cards:
        table.add_row(Wrapped(card.path, keep=[card.path]), Wrapped(reason(card)))
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
    # audited, but the report type is not sure: the pages a supervisor should look at first
    unsure = [c for c in ordered if c.verdict != "error" and c.pack_confidence == "low"]
    if unsure:
        parts += [_errors(unsure, width, "报告类型把握不大（请核对，必要时用 --pack 指定）",
                          lambda c: _common.confidence_cells(c)[1] or "据正文推断"), Text("")]
    errors = [c for c in ordered if c.verdict == "error"]
    if errors:
        parts += [_errors(errors, width), Text("")]
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
