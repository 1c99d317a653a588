"""The exception tree. Bad documents become results; bad configuration stops the run.

AuditorError
├── DocumentLoadError        a document cannot be read (→ an error card, never raised by audit())
│   └── UnsupportedFormatError
├── BudgetExceeded           a document took too long (→ an error card)
├── RuleFileError            a rule pack is invalid (names file, rule, key)
├── ConfigError              a configuration file or option is invalid
└── CardFormatError          plain data is not a Scorecard (cache entry, worker answer); also a ValueError
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


class AuditorError(Exception):
    """Base of every error auditor raises on purpose."""


class DocumentLoadError(AuditorError):
    """A document could not be read; the message is Chinese, for the report's user."""


class UnsupportedFormatError(DocumentLoadError):
    """No loader for this file type."""


@dataclass(frozen=True)
class RuleFileProblem:
    """One mistake in a rule file, located: file, YAML line and column (1-based), rule id, key."""

    path: str
    message: str
    rule: str | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        if self.rule:
            where += f": rule {self.rule}"
        if self.key:
            where += f": key '{self.key}'"
        return f"{where}: {self.message}"


class RuleFileError(AuditorError):
    """A rule file is invalid. Carries every problem found (validation does not stop at the
    first); `path`, `rule` and `key` are those of the first."""

    def __init__(self, path: str, message: str = "", *, rule: str | None = None, key: str | None = None,
                 line: int | None = None, column: int | None = None,
                 problems: Sequence[RuleFileProblem] = ()):
        self.problems: tuple[RuleFileProblem, ...] = tuple(problems) or (
            RuleFileProblem(path, message, rule=rule, key=key, line=line, column=column),)
        first = self.problems[0]
        self.path, self.rule, self.key = first.path, first.rule, first.key
        if len(self.problems) == 1:
            super().__init__(str(first))
        else:
            lines = [f"{path}: {count(len(self.problems), 'error')}:"] + [f"  {p}" for p in self.problems]
            super().__init__("\n".join(lines))


def count(n: int, noun: str) -> str:
    """'1 error', '4 errors': English plurals for the few nouns the CLI counts."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class BudgetExceeded(AuditorError):
    """A document took longer than its time budget (becomes an error card)."""


class ConfigError(AuditorError):
    """A configuration file or option is invalid."""


class CardFormatError(AuditorError, ValueError):
    """Plain data (a cache entry, a batch worker's answer) does not have the shape of a Scorecard."""
