"""Output formats: one module each, behind this registry, which also feeds `--format`.

A reporter module has `NAME`, `BINARY` (True when it writes bytes, like xlsx), `DESCRIPTION`
and `write(cards, out, *, ctx)`. Reporters only read Scorecards; they never re-run checks.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Mapping

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


@dataclass(frozen=True)
class ReportContext:
    """What reporters may know besides the scorecards."""

    packs: Mapping[str, object] = field(default_factory=dict)  # pack id → ruleset.Pack
    color: bool | None = None  # None: decide from the terminal
    width: int | None = None
    summary_only: bool = False
    sort: str = "path"  # "path" | "score"
    verbose: bool = False
    options: Mapping[str, object] = field(default_factory=dict)
    quiet: bool = False  # text: only failed and warned rules, one line each
    cross: object = None  # run.crosscheck.CrossReport of --similarity / --previous, or None


def names() -> tuple[str, ...]:
    return tuple(REPORTER_BY_NAME)


def get(name: str) -> ModuleType:
    """The reporter module for a format name; KeyError listing the valid names."""
    try:
        module = REPORTER_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown format '{name}'; valid formats: {', '.join(REPORTER_BY_NAME)}") from None
    return importlib.import_module(f"auditor.reporters.{module}")
