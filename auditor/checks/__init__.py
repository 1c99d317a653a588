"""The closed set of check kinds: one module each, listed here.

A kind module has `KIND` (the name rules use), `PARAMS` (JSON Schema of its `params`), a module
docstring that documents it, and `check(doc, params, ctx) -> Outcome`. A new rule of an existing
kind is YAML only; a new kind is a module plus one line below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Mapping

from auditor.document.roles import RoleSpec

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
    # the 公文规范 add-on pack (rules/gongwen.yaml)
    "title_form": "title_form",
    "heading_sequence": "heading_sequence",
    "punctuation": "punctuation",
    "number_forms": "number_forms",
    "fixed_terms": "fixed_terms",
    "docx_layout": "docx_layout",
}


@dataclass(frozen=True)
class Context:
    """What a check may know besides the document and its own parameters."""

    roles: tuple[RoleSpec, ...] = ()
    deadline: str | None = None  # MM-DD from --deadline / config; overrides a rule's default
    options: Mapping[str, object] = field(default_factory=dict)

    def role_title(self, name: str) -> str:
        return next((r.title for r in self.roles if r.name == name), name)


_LOADED: dict[str, ModuleType] = {}


def get(kind: str) -> ModuleType:
    """The module of a check kind; KeyError naming the valid kinds when unknown."""
    module = _LOADED.get(kind)
    if module is not None:  # called once per rule per document: skip importlib's machinery
        return module
    try:
        name = CHECK_KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown check kind '{kind}'; valid kinds: {', '.join(sorted(CHECK_KINDS))}") from None
    module = _LOADED[kind] = importlib.import_module(f"auditor.checks.{name}")
    return module
