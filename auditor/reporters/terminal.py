"""`--format text`: a rich scorecard per report, then a summary table for several reports.

On a terminal: rich tables in colour. Piped, in CI or with --no-color: the same content as
line-oriented plain text (reporters/plain.py), which never cuts evidence and imports no rich.
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Scorecard
from auditor.reporters import _common
from auditor.models import RuleResult
from auditor.reporters.scorecard_text import MARK, detail, header_lines, section_title
from auditor.reporters.summary import make_console, summary_table


NAME = "text"
BINARY = False
DESCRIPTION = "scorecards for people (rich; plain when piped)"

def _header(card: Scorecard) -> Any:
    from rich.text import Text

    t = Text()
    for i, line in enumerate(header_lines(card)):
        if i:
            t.append("\n")
        for text, style in line:
            t.append(text, style=style or "")
    return t


def _card(card: Scorecard) -> Any:
    from rich.console import Group
    from rich.text import Text

    if card.verdict == "error" or not card.results:
        return Group(_header(card), Text(""))
    parts = [_header(card), _table(_common.report_results(card))]
    for pack_id, name, results in _common.addon_sections(card):  # 公文规范 …: a section each
        parts += [Text(section_title(pack_id, name, results), style="bold"), _table(results)]
    return Group(*parts, Text(""))


def _table(results: Sequence[RuleResult]) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("规则", no_wrap=True)
    # fold: Chinese has no spaces to wrap at, and evidence must never be cut off
    table.add_column("检查项", ratio=2, overflow="fold")
    table.add_column("说明与证据", ratio=5, overflow="fold")
    for r in results:
        mark, style = MARK[r.status]
        table.add_row(Text(mark, style=style), r.rule, r.title, Text(detail(r)))
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
    if not getattr(ctx, "summary_only", False):
        for card in cards:
            console.print(_card(card))
    if len(cards) > 1 or getattr(ctx, "summary_only", False):
        console.print(summary_table(cards, ctx, width=console.width))


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.terminal as _this

    _contract: Reporter = _this
