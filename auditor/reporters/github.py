"""`--format github`: GitHub Actions workflow commands, shown as annotations on the files.

A failed rule is `::error file=PATH,line=N,title=AR101 标题::message`, a warned one
`::warning …`, a waived one `::notice …` (with the waiver's reason); the line is the first
evidence line, left out when the finding has none (an absence: the annotation is on the file) and
for docx, pdf, html … whose line numbers count extracted text, not lines of the file.
A report that could not be checked is an `::error file=PATH,title=无法检查::reason`. Values are
escaped as the runner expects (message: % CR LF; properties also : and ,), so a document's text
can never inject a command of its own.

When the environment names a job summary file (GITHUB_STEP_SUMMARY), the Markdown summary of
the markdown reporter is appended to it, so the run's summary page shows the table.
"""

from __future__ import annotations

import os
from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import RuleResult, Scorecard, Status
from auditor.reporters import _common, markdown

NAME = "github"
BINARY = False
EXTENSION = "txt"  # a file of this format is called X.txt
MEDIA_TYPE = "text/plain; charset=utf-8"
DESCRIPTION = "GitHub Actions annotations (+ job summary)"

COMMAND = {Status.FAIL: "error", Status.WARN: "warning", Status.WAIVED: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    """`::name k=v,…::message`, properties with value None left out."""
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def _annotation(card: Scorecard, r: RuleResult) -> str:
    ev = _common.first_line(r)
    if r.status is Status.WAIVED:
        message = f"已豁免：{_common.waiver_reason(r)}"
    else:
        message = _common.detail(r)
    line = ev.line if ev and _common.file_lines(card) else None
    return command(COMMAND[r.status], message, file=card.path, line=line,
                   title=f"{r.rule} {r.title}")


def lines(cards: Sequence[Scorecard]) -> list[str]:
    out = []
    for card in cards:
        if card.verdict == "error":
            out.append(command("error", card.error or "无法检查", file=card.path, title="无法检查"))
        out += [_annotation(card, r) for r in card.results if r.status in COMMAND]
    return out


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    for line in lines(cards):
        out.write(line + "\n")
    out.write(_common.summary_line(cards) + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(markdown.render(cards, ctx) + "\n")
        except OSError as exc:  # the annotations are out already; a summary must not fail the run
            out.write(command("warning", f"cannot write the job summary: {exc.strerror or exc}") + "\n")


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.github as _this

    _contract: Reporter = _this
