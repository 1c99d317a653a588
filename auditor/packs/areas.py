"""The core areas of an annual report's part 1 (rules/data/core-areas.yaml), read by AR209.

Plain data a province may edit: each area's name, its words and which kinds of body answer for
it. Like a pack, the file is validated (YAML + JSON Schema) only when it changes; the validated
data is cached as JSON, so an ordinary run imports neither PyYAML nor jsonschema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple

from auditor.packs import datafile
from auditor.packs.ruleset import ValidatedStore

BODY_KINDS = ("government", "department", "township")
_KIND_NAMES = {"government": "政府", "department": "部门", "township": "乡镇（街道）"}


class Area(NamedTuple):
    name: str
    words: tuple[str, ...]
    bodies: tuple[str, ...]  # kinds of body that answer for it
    until: Mapping[str, int] = {}  # kind of body → last report year it answers for the area
    not_words: tuple[str, ...] = ()  # longer words holding one of `words` that are not about it
    # the other areas' words (except those holding one of its own): a sentence naming one is
    # about another area (built with the data, not for every report)
    others: tuple[str, ...] = ()

    def applies(self, kind: str, year: int | None) -> bool:
        """Whether a body of this kind answers for the area in its report of `year`."""
        last = self.until.get(kind)
        return kind in self.bodies and (last is None or year is None or year <= last)


class CoreAreas(NamedTuple):
    areas: tuple[Area, ...]
    reach: int = 40
    kind_names: Mapping[str, str] = _KIND_NAMES


def areas_file() -> Path:
    """rules/data/core-areas.yaml beside the packs (the shipped one when a test moves the packs)."""
    return datafile.beside_packs("data", "core-areas.yaml")


def _validate(raw: bytes, where: str) -> dict[str, Any]:
    data = datafile.validated(raw, where, "core-areas.schema.json")
    datafile.names_once(data["areas"], where, what="area", key="areas")
    return datafile.plain(data)


def _build(data: Mapping[str, Any]) -> CoreAreas:
    areas = tuple(Area(a["name"], tuple(a["words"]), tuple(a["bodies"]), dict(a.get("until", {})),
                       tuple(a.get("not_words", ())))
                  for a in data["areas"])
    areas = tuple(area._replace(others=tuple(w for o in areas if o is not area for w in o.words
                                             if not any(w in x for x in area.words)))
                  for area in areas)
    return CoreAreas(areas, int(data.get("reach", 40)), {**_KIND_NAMES, **data.get("body_kinds", {})})


def load_areas(path: str | None = None, *, store: ValidatedStore | None = None) -> CoreAreas:
    """The core areas; RuleFileError when the file is invalid. With a `store`, a file validated
    before is not validated again."""
    return datafile.load(Path(path) if path else areas_file(), "areas", _validate, _build, store)


_LOADED: dict[str | None, CoreAreas] = {}


def shipped_areas(path: str | None = None, store: Callable[[], ValidatedStore | None] | None = None) -> CoreAreas:
    """The core areas a run uses, loaded once per process (and, with the run's `store` (a function
    that gives it, called only on the first load), validated once per change, like the packs)."""
    found = _LOADED.get(path)
    if found is None:
        found = _LOADED[path] = load_areas(path, store=store() if store is not None else None)
    return found
