"""Strict validation of a pack file: YAML, the pack schema, each kind's params, the regexes.

Imported only when a pack is not in the cache (PyYAML and jsonschema cost ~110 ms to import).
Every error names the file, the rule and the key.
"""

from __future__ import annotations

import json
import re
import sys
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from auditor import checks
from auditor.checks.contract import Scoping, params_schema, pattern_params
from auditor.errors import RuleFileError

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse  # type: ignore[attr-defined]
else:  # pragma: no cover
    import sre_parse


@lru_cache(maxsize=1)
def pack_schema() -> dict[str, Any]:
    text = resources.files("auditor").joinpath("schema/pack.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    # the kind enum comes from the registry: one list, no second one to keep in step
    schema["$defs"]["rule"]["properties"]["kind"] = {"enum": sorted(checks.CHECK_KINDS)}
    return schema


def _star_height(parsed: Any) -> int:
    """Nesting depth of unbounded repeats: > 1 (like (a+)+) can backtrack catastrophically."""
    best = 0
    for op, av in parsed:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            inner = _star_height(sub)
            unbounded = hi == sre_parse.MAXREPEAT or hi > 100
            best = max(best, inner + (1 if unbounded else 0))
        elif name == "SUBPATTERN":
            best = max(best, _star_height(av[-1]))
        elif name == "BRANCH":
            best = max(best, *(_star_height(b) for b in av[1]))
        elif name in ("ASSERT", "ASSERT_NOT"):
            best = max(best, _star_height(av[1]))
    return best


def check_pattern(pattern: str, where: str, *, rule: str | None, key: str) -> None:
    """Compile a pattern and reject nested unbounded repeats, which could hang an audit."""
    try:
        re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise RuleFileError(where, f"invalid regular expression {pattern!r}: {exc}", rule=rule, key=key) from exc
    if _star_height(parsed) > 1:
        raise RuleFileError(
            where, f"regular expression {pattern!r} nests unbounded repeats (like (a+)+), which can hang on "
            "some texts; rewrite it without a repeat inside a repeat", rule=rule, key=key,
        )


def _located(error: Any, data: Mapping[str, Any]) -> tuple[str | None, str]:
    path = list(error.absolute_path)
    rule = None
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            rule = str(data["rules"][path[1]].get("id", f"#{path[1] + 1}"))
        except (IndexError, AttributeError, KeyError):
            rule = f"#{path[1] + 1}"
        path = path[2:]
    return rule, ".".join(str(p) for p in path) or "(top level)"


def _check_scope(kind: checks.CheckKind[Any], scope: Mapping[str, Any] | None, roles: set[str],
                 where: str, rule: str) -> None:
    """A rule's `scope:` must suit its kind and name a role of the pack."""
    if scope is None:
        if kind.scoping is Scoping.REQUIRED:
            raise RuleFileError(where, f"kind {kind.name} needs 'scope: {{role: ...}}' (the part it reads)",
                                rule=rule, key="scope")
        return
    if kind.scoping is Scoping.NONE:
        raise RuleFileError(where, f"kind {kind.name} reads the document's structure and takes no scope",
                            rule=rule, key="scope")
    if scope["role"] not in roles:
        known = ", ".join(sorted(roles)) or "none"
        raise RuleFileError(where, f"unknown role '{scope['role']}' (the pack's roles: {known})",
                            rule=rule, key="scope.role")


def validate_pack_data(raw: bytes, where: str) -> dict[str, Any]:
    """Parse and validate a pack file's bytes; the plain data, ready to cache and build."""
    import jsonschema
    import yaml

    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleFileError(where, "rule files must be UTF-8") from exc
    except yaml.YAMLError as exc:
        raise RuleFileError(where, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleFileError(where, "a pack file must be a mapping with 'pack', 'name' and 'rules'")
    validator = jsonschema.Draft202012Validator(pack_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        rule, key = _located(errors[0], data)
        raise RuleFileError(where, errors[0].message, rule=rule, key=key)
    seen: set[str] = set()
    roles = {r["name"] for r in data.get("roles", [])}
    for rule_data in data["rules"]:
        rid = rule_data["id"]
        if rid in seen:
            raise RuleFileError(where, "duplicate rule id", rule=rid, key="id")
        seen.add(rid)
        kind = checks.get(rule_data["kind"])
        params = rule_data.get("params", {})
        for err in jsonschema.Draft202012Validator(params_schema(kind)).iter_errors(params):
            key = ".".join(["params", *map(str, err.absolute_path)]) if err.absolute_path else "params"
            raise RuleFileError(where, err.message, rule=rid, key=key)
        _check_scope(kind, rule_data.get("scope"), roles, where, rid)
        for key, pattern in pattern_params(kind, params):
            check_pattern(pattern, where, rule=rid, key=key)
    for role in data.get("roles", []):
        for x in role["headings"]:
            check_pattern(x, where, rule=None, key=f"roles.{role['name']}.headings")
    for section in ("detect", "year"):
        for key, xs in data.get(section, {}).items():
            if isinstance(xs, list):
                for x in xs:
                    check_pattern(x, where, rule=None, key=f"{section}.{key}")
    plain: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=str))  # dates → str
    return plain
