"""The scorecard as plain, line-oriented text: for pipes, CI logs and `--no-color`.

Why not rich here: a table re-wrapped to a pipe's 80 columns breaks Chinese evidence mid-line
and is hard to grep, and importing rich costs a fifth of a cold start. One finding per block,
every line complete, is what a log reader and `grep AR203` want. The batch summary matrix is
still drawn by rich (without colour): there the import is paid once for many reports.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any, Sequence

from auditor.models import Scorecard
from auditor.reporters import _common
from auditor.reporters.scorecard_text import MARK, config_line, detail, header_lines, section_title


def width(text: str) -> int:
    """Terminal cells of a string: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


_MARK_CELLS = max(width(m) for m, _ in MARK.values())
_INDENT = " " * (_MARK_CELLS + 2)


def card_lines(card: Scorecard) -> list[str]:
    """The header, then per rule a line `mark  id  title` and its indented details."""
    lines = ["".join(text for text, _ in line) for line in header_lines(card)]
    if card.verdict == "error":
        return lines
    lines.append("")
    for r in _common.report_results(card):
        lines.append(f"{pad(MARK[r.status][0], _MARK_CELLS)}  {r.rule}  {r.title}")
        lines += [_INDENT + d for d in detail(r).splitlines()]
    for pack_id, name, results in _common.addon_sections(card):  # 公文规范 …: a section each
        lines += ["", section_title(pack_id, name, results)]
        for r in results:
            lines.append(f"{pad(MARK[r.status][0], _MARK_CELLS)}  {r.rule}  {r.title}")
            lines += [_INDENT + d for d in detail(r).splitlines()]
    return lines


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    summary_only = getattr(ctx, "summary_only", False)
    config = config_line(ctx)
    if config:
        out.write(config + "\n\n")
    from auditor.reporters._common import roster_lines

    roster = roster_lines(ctx)  # the bodies that sent nothing come before everything else
    if roster:
        out.write("\n".join(roster) + "\n\n")
    if not summary_only:
        for card in cards:
            out.write("\n".join(card_lines(card)) + "\n\n")
    if len(cards) > 1 or summary_only:
        from auditor.reporters.summary import make_console, summary_table

        console = make_console(out, ctx)
        console.print(summary_table(cards, ctx, width=console.width))
