"""`--format text`: a rich scorecard per report, then a summary table for several reports.

On a terminal: rich tables in colour. Piped, in CI or with --no-color: the same content as
line-oriented plain text (reporters/plain.py), which never cuts evidence and imports no rich.
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Scorecard
from auditor.reporters import _common
from auditor.models import RuleResult
from auditor.reporters.scorecard_text import MARK, config_line, detail, header_lines, section_title
from auditor.reporters.summary import make_console, summary_table


NAME = "text"
BINARY = False
EXTENSION = "txt"  # a file of this format is called X.txt
MEDIA_TYPE = "text/plain; charset=utf-8"
DESCRIPTION = "scorecards for people (rich; plain when piped)"


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


#: below this width the title goes above the details in one column, so neither is squeezed
WIDE = 100


def _card(card: Scorecard, width: int = 120) -> Any:
    from rich.console import Group
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped

    if card.verdict == "error" or not card.results:
        return Group(_header(card), Text(""))
    parts = [_header(card), _table(_common.report_results(card), width)]
    for pack_id, name, results in _common.addon_sections(card):  # 公文规范 …: a section each
        parts += [Wrapped(Text(section_title(pack_id, name, results), style="bold")), _table(results, width)]
    return Group(*parts, Text(""))


def _table(results: Sequence[RuleResult], width: int) -> Any:
    """A table of rules. Wide: 状态 | 规则 | 检查项 | 说明与证据, the 检查项 column sized for the
    titles first (up to 40 % of the room); narrow: 状态 | 规则 | 检查项与说明, the title in bold
    above its details. Every cell wraps by Chinese line-breaking rules (reporters/linebreak.py)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from auditor.reporters.linebreak import Wrapped, cells

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    room = width - max(cells(m) for m, _ in MARK.values()) - max((len(r.rule) for r in results), default=5) - 6
    if width >= WIDE:
        title_w = min(max((cells(r.title) for r in results), default=8), int(room * 0.4))
        table.add_column("检查项", width=title_w)
        table.add_column("说明与证据", ratio=1)
        for r in results:
            mark, style = MARK[r.status]
            table.add_row(Text(mark, style=style), r.rule, Wrapped(r.title), Wrapped(detail(r)))
    else:
        table.add_column("检查项与说明", ratio=1)
        for r in results:
            mark, style = MARK[r.status]
            text = detail(r)
            cell = [(r.title, "bold")] + ([("\n" + text, None)] if text else [])
            table.add_row(Text(mark, style=style), r.rule, Wrapped(cell))
    return table


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
        from auditor.reporters.scorecard_text import write_quiet

        write_quiet(cards, out)
        return
    if not wants_rich(out, ctx):
        from auditor.reporters import plain

        plain.write(cards, out, ctx=ctx)
        return
    console = make_console(out, ctx)
    config = config_line(ctx)
    if config:
        console.print(config + "\n", markup=False)
    from auditor.reporters._common import roster_lines

    roster = roster_lines(ctx)  # the bodies that sent nothing come before everything else
    if roster:
        console.print("\n".join(roster) + "\n", markup=False)
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            console.print(_card(card, console.width))
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        console.print(summary_table(cards, ctx, width=console.width))


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.terminal as _this

    _contract: Reporter = _this
