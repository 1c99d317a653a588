"""`--format markdown`: a compact summary for a pull-request comment or a CI job summary.

A table with one row per report (verdict, score, failed and warned rules), then, per report
that has any, its failed, warned and waived rules with evidence, hint and reference in a
collapsible `<details>` block. Document text is escaped, so a `|` or `*` in a report can
neither break the table nor turn into formatting.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Any, Sequence

from auditor.models import Scorecard, Status
from auditor.reporters import _common

NAME = "markdown"
BINARY = False
EXTENSION = "md"  # a file of this format is called X.md
MEDIA_TYPE = "text/plain; charset=utf-8"  # served as text to be saved, not shown
DESCRIPTION = "Markdown summary (pull-request comment)"

TITLE = "法治政府建设报告检查结果"
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def esc(text: str) -> str:
    """Escape Markdown/HTML punctuation and fold line breaks: safe inside a table cell."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")).replace("\r", ""))


def _rules(rs: Sequence[Any]) -> str:
    return " ".join(r.rule for r in rs) or "—"


def render(cards: Sequence[Scorecard], ctx: Any = None) -> str:
    cards = _common.ordered(cards, ctx)
    lines = [f"### {TITLE}", "", esc(_common.summary_line(cards)), "",
             "| 文件 | 结论 | 得分 | 不合格项 | 警告项 |", "| --- | --- | ---: | --- | --- |"]
    for c in cards:
        mark = {"pass": "✔", "fail": "✘", "error": "⚠"}[c.verdict]
        if c.verdict == "error":
            lines.append(f"| {esc(c.path)} | {mark} 无法检查：{esc(c.error or '')} | — | — | — |")
            continue
        lines.append(f"| {esc(c.path)} | {mark} {_common.VERDICT_ZH[c.verdict]} | {_common.score_text(c)} "
                     f"| {_rules(_common.with_status(c, Status.FAIL))} | {_rules(_common.with_status(c, Status.WARN))} |")
    for c in cards:
        found = _common.findings(c)
        if not found:
            continue
        summary = f"{esc(c.path)}：{_common.VERDICT_ZH[c.verdict]}（{_common.score_text(c)}分）"
        lines += ["", f"<details><summary>{summary}</summary>", ""]
        sections = {pid: f"**{esc(name)}**（{esc(pid)}{_common.section_note(rs)}）"
                    for pid, name, rs in _common.addon_sections(c)}
        shown_section = None
        for r in found:
            if r.addon and r.addon != shown_section:  # an add-on pack's findings under its own heading
                shown_section = r.addon
                lines += ["", sections.get(r.addon, esc(r.addon)), ""]
            lines.append(f"- {_common.MARK[r.status]} **{r.rule}** {esc(r.title)}"
                         f"（{_common.STATUS_ZH[r.status]}）：{esc(r.message)}")
            lines += [f"  - {esc(ev)}" for ev in _common.evidence_lines(r)]
            if r.status is not Status.WAIVED:
                if r.hint:
                    lines.append(f"  - 修改建议：{esc(r.hint)}")
                if r.reference:
                    lines.append(f"  - 依据：{esc(r.reference)}")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    from auditor import OUTPUT_MARKER

    out.write(f"<!-- {OUTPUT_MARKER} -->\n")  # invisible when rendered; a later scan skips this file
    out.write(render(cards, ctx))


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.markdown as _this

    _contract: Reporter = _this
