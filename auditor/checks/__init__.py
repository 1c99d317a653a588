"""The closed set of check kinds: one module each, listed here.

A kind module ends with `KIND = Kind(name, Params, check, scoping, __doc__)` (see
`auditor.checks.contract`): a NamedTuple declaring its parameters with their types and
defaults, and `check(target, params, ctx) -> Outcome`. Its docstring documents it. A new rule
of an existing kind is YAML only; a new kind is a module plus one line below.
"""

from __future__ import annotations

import importlib
from typing import Any

from auditor.checks.contract import CheckKind, Context, Kind, Scoping, Target

__all__ = ["CHECK_KINDS", "CheckKind", "Context", "Kind", "Scoping", "Target", "get"]

#: kind name → module under auditor.checks
CHECK_KINDS: dict[str, str] = {
    "title": "title",
    "year_consistency": "year_consistency",
    "part_present": "part_present",
    "part_order": "part_order",
    "pattern_present": "pattern_present",
    "pattern_absent": "pattern_absent",
    "keyword_groups": "keyword_groups",
    "concrete_content": "concrete_content",
    "signature": "signature",
    "date_window": "date_window",
    "figures_consistent": "figures_consistent",
    "dates_in_period": "dates_in_period",
    "core_areas": "core_areas",
    "plan_answers": "plan_answers",
    "whole_year": "whole_year",
    # the 公文规范 add-on pack (rules/gongwen.yaml)
    "title_form": "title_form",
    "heading_sequence": "heading_sequence",
    "punctuation": "punctuation",
    "number_forms": "number_forms",
    "fixed_terms": "fixed_terms",
    "docx_layout": "docx_layout",
}

_LOADED: dict[str, CheckKind[Any]] = {}


def get(kind: str) -> CheckKind[Any]:
    """A check kind, imported on first use; KeyError naming the valid kinds when unknown."""
    found = _LOADED.get(kind)
    if found is not None:
        return found
    try:
        name = CHECK_KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown check kind '{kind}'; valid kinds: {', '.join(sorted(CHECK_KINDS))}") from None
    module = importlib.import_module(f"auditor.checks.{name}")
    declared: Any = getattr(module, "KIND", None)
    if getattr(declared, "name", None) != kind or not callable(getattr(declared, "check", None)):
        raise TypeError(f"auditor.checks.{name}.KIND is not the check kind '{kind}'")
    loaded: CheckKind[Any] = declared  # its module's annotation `KIND: CheckKind[Params]` is checked by mypy
    _LOADED[kind] = loaded
    return loaded
