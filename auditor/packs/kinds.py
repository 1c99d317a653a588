"""Kinds of document that are not reports (rules/kinds/not-reports.yaml) and the decision thresholds.

Like a pack, the file is validated (YAML + JSON Schema + regex checks) only when it changes; the
validated data is cached as JSON, so an ordinary run imports neither PyYAML nor jsonschema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from auditor.document.signs import Reach, Sign, compile_signs, reach
from auditor.packs import datafile
from auditor.packs.ruleset import ValidatedStore


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    reason: str  # why it is refused, in Chinese: what the document is
    signs: tuple[Sign, ...]

    @cached_property
    def reach(self) -> Reach:
        """The order to weigh its signs in, and how much they can still weigh (see signs.reach)."""
        return reach(self.signs)


@dataclass(frozen=True)
class Decision:
    audit_min: float = 4
    high_min: float = 10
    high_margin: float = 4
    high_margin_unnamed: float = 8
    refuse_margin: float = 0
    law_min: float = 1
    doubt_other: float = 10


@dataclass(frozen=True)
class Kinds:
    kinds: tuple[Kind, ...]
    decision: Decision
    about: tuple[Sign, ...] = ()  # what a text about rule-of-law work says (法治, 依法 …): a report must


def kinds_file() -> Path:
    """rules/kinds/not-reports.yaml beside the packs (the shipped one when a test moves the packs)."""
    return datafile.beside_packs("kinds", "not-reports.yaml")


def _validate(raw: bytes, where: str) -> dict[str, Any]:
    from auditor.packs.validate import check_pattern

    data = datafile.validated(raw, where, "kinds.schema.json")
    for kind in data["kinds"]:
        for i, sign in enumerate(kind["signs"]):
            for p in sign["patterns"]:
                check_pattern(p, where, rule=None, key=f"kinds.{kind['id']}.signs.{i}")
    for i, sign in enumerate(data.get("about", ())):
        for p in sign["patterns"]:
            check_pattern(p, where, rule=None, key=f"about.{i}")
    return datafile.plain(data)


def load_kinds(path: str | None = None, *, store: ValidatedStore | None = None) -> Kinds:
    """The not-a-report kinds; RuleFileError when the file is invalid. With a `store`, a file
    validated before is not validated again (as for packs)."""
    return datafile.load(Path(path) if path else kinds_file(), "kinds", _validate, _build, store,
                         damaged=(*datafile.DAMAGED, re.error))


def _build(data: dict[str, Any]) -> Kinds:
    """Validated data → Kinds (patterns compiled)."""
    kinds = tuple(Kind(id=k["id"], name=k["name"], reason=k["reason"], signs=compile_signs(k["signs"]))
                  for k in data["kinds"])
    return Kinds(kinds=kinds, decision=Decision(**data.get("decision", {})), about=compile_signs(data.get("about", [])))
