"""The data files beside the packs (rules/kinds/, rules/data/): where they are, and reading one.

Each is plain YAML a province may edit, checked against its JSON Schema in auditor/schema/ only
when it changes (the loaders cache the result in the validated-pack store), so an ordinary run
imports neither PyYAML nor jsonschema. A bad file stops the run with a RuleFileError naming the
file and the key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

from auditor.errors import RuleFileError
from auditor.packs import ruleset
from auditor.packs.ruleset import ValidatedStore

T = TypeVar("T")

#: what building from a damaged store entry raises: the entry is a miss, validated again
DAMAGED: tuple[type[Exception], ...] = (KeyError, TypeError, ValueError, AttributeError)


def beside_packs(*parts: str) -> Path:
    """rules/<parts…> beside the packs in use (the shipped one when a test moves the packs)."""
    here = ruleset.builtin_dir().joinpath(*parts)
    if here.exists():
        return here
    return Path(__file__).resolve().parents[2].joinpath("rules", *parts)


def schema(name: str) -> dict[str, Any]:
    """auditor/schema/<name>."""
    path = Path(__file__).resolve().parents[1] / "schema" / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def validated(raw: bytes, where: str, schema_name: str) -> Any:
    """The file's data, read as bounded YAML (as every rule file) and checked against
    auditor/schema/<schema_name>: the first error found, with its key, is raised."""
    import jsonschema  # lazy: only when the file changed
    import yaml

    from auditor.packs.bounded import BoundsError, load_yaml

    try:
        data = load_yaml(raw.decode("utf-8"))
    except BoundsError as exc:
        raise RuleFileError(where, f"refused: {exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise RuleFileError(where, f"not valid YAML: {exc}") from exc
    for err in jsonschema.Draft202012Validator(schema(schema_name)).iter_errors(data):
        raise RuleFileError(where, err.message, key=".".join(map(str, err.absolute_path)))
    return data


def names_once(items: Iterable[Mapping[str, Any]], where: str, *, what: str, key: str) -> None:
    """RuleFileError when two entries share a `name` (“area '普法' is listed twice”)."""
    names = [item["name"] for item in items]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RuleFileError(where, f"{what} '{twice[0]}' is listed twice", key=key)


def plain(data: Any) -> dict[str, Any]:
    """The data as JSON gives it back (what the store keeps), so a cached and a fresh read agree."""
    out: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False))
    return out


def load(path: Path, prefix: str, validate: Callable[[bytes, str], Any], build: Callable[[Any], T],
         store: ValidatedStore | None, *, damaged: tuple[type[Exception], ...] = DAMAGED) -> T:
    """build(the file's data): validated now (`validate(raw, where)`, RuleFileError when it is not
    valid) and kept in `store` under `<prefix>-<digest>`, or as validated before when the file
    has not changed. An entry `build` cannot use (it raises one of `damaged`) is a miss: the file
    is validated again and the entry rewritten."""
    raw, digest = ruleset.read_rule_file(path)
    key = f"{prefix}-{digest}"
    cached = store.get(key) if store is not None else None
    if cached is not None:
        try:
            return build(cached)
        except damaged:
            pass
    data = validate(raw, str(path))
    if store is not None:
        store.put(key, data)
    return build(data)
