"""auditor: a compliance checklist auditor for Chinese government rule-of-law reports.

The Python API (see README, "Python API"):

    import auditor
    card = auditor.audit("report.docx")
    print(card.verdict, card.score)

Everything below is imported on first use (module `__getattr__`), so `import auditor` (and the
CLI's cold start) costs nothing for what it does not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Embedded in every report auditor writes (html, md, json, sarif), so that a later run over the
#: same directory recognises its own outputs and never audits them as reports.
OUTPUT_MARKER = "auditor:output"

#: public name → the module that defines it
_EXPORTS: dict[str, str] = {
    "audit": "auditor.run.api",
    "load_rules": "auditor.run.api",
    "AuditOptions": "auditor.run.options",
    "Pack": "auditor.packs.ruleset",
    "RuleSpec": "auditor.packs.ruleset",
    "Scorecard": "auditor.models",
    "RuleResult": "auditor.models",
    "Evidence": "auditor.models",
    "Verdict": "auditor.models",
    "Status": "auditor.models",
    "Severity": "auditor.models",
    "card_to_plain": "auditor.pool.codec",
    "card_from_plain": "auditor.pool.codec",
    "AuditorError": "auditor.errors",
    "DocumentLoadError": "auditor.errors",
    "UnsupportedFormatError": "auditor.errors",
    "BudgetExceeded": "auditor.errors",
    "RuleFileError": "auditor.errors",
    "ConfigError": "auditor.errors",
    "CardFormatError": "auditor.errors",
}

__all__ = [
    "OUTPUT_MARKER",
    "__version__",
    "audit",
    "load_rules",
    "AuditOptions",
    "Pack",
    "RuleSpec",
    "Scorecard",
    "RuleResult",
    "Evidence",
    "Verdict",
    "Status",
    "Severity",
    "card_to_plain",
    "card_from_plain",
    "AuditorError",
    "DocumentLoadError",
    "UnsupportedFormatError",
    "BudgetExceeded",
    "RuleFileError",
    "ConfigError",
    "CardFormatError",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports on demand
    from auditor.errors import (
        AuditorError,
        BudgetExceeded,
        CardFormatError,
        ConfigError,
        DocumentLoadError,
        RuleFileError,
        UnsupportedFormatError,
    )
    from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status, Verdict
    from auditor.packs.ruleset import Pack, RuleSpec
    from auditor.run.api import audit, load_rules
    from auditor.pool.codec import card_from_plain, card_to_plain
    from auditor.run.options import AuditOptions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'auditor' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
