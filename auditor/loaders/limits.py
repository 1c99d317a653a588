"""How much text one document may hold: bounds checked before the expensive work.

A real report is 3,000–60,000 characters; a 300-page PDF a few hundred thousand. A file beyond
these bounds is not one report (a log, a dump, a crafted file of millions of short lines, whose
line records alone would take gigabytes), so it becomes an error card instead of filling memory.
"""

from __future__ import annotations

from auditor.errors import DocumentLoadError

MAX_LINES = 200_000
MAX_CHARS = 5_000_000


def check_text(text: str) -> None:
    """DocumentLoadError when decoded text is beyond the bounds (checked before splitting it)."""
    if len(text) > MAX_CHARS:
        raise DocumentLoadError(f"正文过长（{len(text):,} 个字符，上限 {MAX_CHARS:,}），不像一份报告，已跳过")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise DocumentLoadError(f"行数过多（{lines:,} 行，上限 {MAX_LINES:,}），不像一份报告，已跳过")


def check_lines(n_lines: int, n_chars: int) -> None:
    """The same bounds on extracted lines (formats whose text is assembled from parts)."""
    if n_chars > MAX_CHARS:
        raise DocumentLoadError(f"正文过长（{n_chars:,} 个字符，上限 {MAX_CHARS:,}），不像一份报告，已跳过")
    if n_lines > MAX_LINES:
        raise DocumentLoadError(f"行数过多（{n_lines:,} 行，上限 {MAX_LINES:,}），不像一份报告，已跳过")
