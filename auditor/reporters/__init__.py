"""Output formats: one module each, behind this registry, which also feeds `--format`.

A reporter module has `NAME`, `BINARY` (True when it writes bytes, like xlsx), `DESCRIPTION`
and `write(cards, out, *, ctx)`. Reporters only read Scorecards; they never re-run checks.
"""

from __future__ import annotations

import importlib
from typing import IO, Any, Mapping, NamedTuple, Protocol, Sequence, cast

from auditor.models import Scorecard

#: format name → module under auditor.reporters
REPORTER_BY_NAME: dict[str, str] = {
    "text": "terminal",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "csv": "csv_report",
    "xlsx": "xlsx",
    "html": "html_report",
    "markdown": "markdown",
}


class ReportContext(NamedTuple):
    """What reporters may know besides the scorecards."""

    packs: Mapping[str, object] = {}  # pack id → ruleset.Pack
    color: bool | None = None  # None: decide from the terminal
    width: int | None = None
    summary_only: bool = False
    sort: str = "path"  # "path" | "score"
    verbose: bool = False
    options: Mapping[str, object] = {}
    quiet: bool = False  # text: only failed and warned rules, one line each
    cross: object = None  # run.crosscheck.CrossReport of --similarity / --previous, or None
    roster: object = None  # run.roster.Result of --roster (the bodies expected to report), or None


class Reporter(Protocol):
    """An output format: a module with these names (each reporter module checks itself against
    this protocol under mypy, see the end of json_report.py)."""

    @property
    def NAME(self) -> str: ...  # noqa: N802 - module constants

    @property
    def BINARY(self) -> bool: ...  # noqa: N802 - True: write() receives a binary stream (xlsx)

    @property
    def DESCRIPTION(self) -> str: ...  # noqa: N802

    def write(self, cards: Sequence[Scorecard], out: IO[Any], *, ctx: Any = None) -> None: ...


def names() -> tuple[str, ...]:
    return tuple(REPORTER_BY_NAME)


def get(name: str) -> Reporter:
    """The reporter module for a format name, imported on first use; KeyError listing the valid names."""
    try:
        module = REPORTER_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown format '{name}'; valid formats: {', '.join(REPORTER_BY_NAME)}") from None
    return cast(Reporter, importlib.import_module(f"auditor.reporters.{module}"))
