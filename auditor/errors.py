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


class AuditorError(Exception):
    """Base of every error auditor raises on purpose."""


class DocumentLoadError(AuditorError):
    """A document could not be read; the message is Chinese, for the report's user."""


class UnsupportedFormatError(DocumentLoadError):
    """No loader for this file type."""


class RuleFileError(AuditorError):
    """A rule file is invalid: names the file, the rule and the key."""

    def __init__(self, path: str, message: str, *, rule: str | None = None, key: str | None = None):
        self.path = path
        self.rule = rule
        self.key = key
        where = path
        if rule:
            where += f": rule {rule}"
        if key:
            where += f": key '{key}'"
        super().__init__(f"{where}: {message}")


class BudgetExceeded(AuditorError):
    """A document took longer than its time budget (becomes an error card)."""


class ConfigError(AuditorError):
    """A configuration file or option is invalid."""


class CardFormatError(AuditorError, ValueError):
    """Plain data (a cache entry, a batch worker's answer) does not have the shape of a Scorecard."""
