"""Strict validation of a pack file: YAML, the pack schema, each kind's params, the regexes.

Imported only when a pack is not in the cache (PyYAML and jsonschema cost ~110 ms to import).
Every problem of a file is reported at once, each with the file, the YAML line and column, the
rule and the key, and a did-you-mean for misspelt keys and kinds.

Besides problems (which stop the run), warnings: a pattern holding a character the normaliser
rewrites (a full-width `：`, `（`, an ideographic space …) can never match it in the normalised
text. A warning and not an error: the pattern may still match through its other characters or
alternatives (`[:：]` is only redundant), and a rule file that worked must not stop working on
an upgrade. The warnings travel with the validated data (`WARNINGS`), so a cached pack still
carries them, and are shown by `auditor validate-rules` and each time a run loads the file.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping, NamedTuple

from auditor import checks
from auditor.checks.contract import ParamType, Scoping, param_specs, params_schema
from auditor.errors import RuleFileError, RuleFileProblem
from auditor.packs import sources

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


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern is unusable (it does not compile, or nests unbounded repeats, which could
    hang an audit), or None."""
    try:
        re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    if _star_height(parsed) > 1:
        return (f"regular expression {pattern!r} nests unbounded repeats (like (a+)+), which can hang on "
                "some texts; rewrite it without a repeat inside a repeat")
    return None


def check_pattern(pattern: str, where: str, *, rule: str | None, key: str) -> None:
    """RuleFileError if `pattern` is unusable (see pattern_problem)."""
    problem = pattern_problem(pattern)
    if problem:
        raise RuleFileError(where, problem, rule=rule, key=key)


Path = tuple[Any, ...]  # a path into the YAML data: ("rules", 3, "params", "patterns", 0)

#: the key of the validated data that holds the file's warnings (not a key of the pack file;
#: ruleset.build_pack reads it: that module cannot import this one, which is loaded lazily)
WARNINGS = "_warnings"



class Found(NamedTuple):
    """A pattern or a word among a rule's raw params."""

    path: Path  # under params, with each index, so the YAML line can be found
    text: str
    word: bool  # a plain word of `words:` (matched literally), not a regular expression
    original: bool  # matched against the original text, not the normalised one


def _sources(value: Any, key: Path, original: bool) -> list[Found]:
    """The patterns and words of one patterns value: a list of regular expressions, or
    {words: [...], patterns: [...]}."""
    if isinstance(value, list):
        return [Found((*key, i), x, False, original) for i, x in enumerate(value) if isinstance(x, str)]
    if not isinstance(value, dict):
        return []
    found = []
    for name, word in (("patterns", False), ("words", True)):
        items = value.get(name)
        if isinstance(items, list):
            found += [Found((*key, name, i), x, word, original) for i, x in enumerate(items) if isinstance(x, str)]
    return found


def _patterns_in(declared: type, params: Mapping[str, Any], prefix: Path = ()) -> list[Found]:
    """Every regular expression and word among a rule's raw params, as the kind's Params declare
    them, at any depth."""
    found: list[Found] = []
    for spec in param_specs(declared):
        value = params.get(spec.name)
        key = (*prefix, spec.name)
        if spec.type is ParamType.PATTERNS:
            found += _sources(value, key, spec.original)
        elif spec.type is ParamType.PATTERN and isinstance(value, str):
            found.append(Found(key, value, False, spec.original))
        elif spec.type is ParamType.PATTERN:
            found += _sources(value, key, spec.original)
        elif spec.type is ParamType.GROUPS and isinstance(value, dict):
            for g, xs in value.items():
                found += _sources(xs, (*key, g), spec.original)
        elif spec.type is ParamType.RECORD and spec.record and isinstance(value, dict):
            found += _patterns_in(spec.record, value, key)
        elif spec.type is ParamType.RECORDS and spec.record and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    found += _patterns_in(spec.record, item, (*key, i))
    return found


def folded_marks(pattern: str) -> list[tuple[str, str]]:
    """The characters of `pattern` that the normaliser rewrites (full-width ASCII variants such as
    ：，（）；！？ and ０–９, the ideographic and other spaces, 「」『』, Kangxi radicals …), each with
    what it becomes: the normalised text never holds them. Read from the normaliser's own table."""
    from auditor.document.normalize import fold

    return [(ch, fold(ch)) for ch in dict.fromkeys(pattern) if fold(ch) != ch]


def fold_warning(pattern: str) -> str | None:
    """The warning for a pattern matched against the normalised text that holds characters the
    normaliser rewrites, or None."""
    marks = folded_marks(pattern)
    if not marks:
        return None
    said = ", ".join(f"'{ch}' (U+{ord(ch):04X}, becomes '{to}')" for ch, to in marks)
    return (f"pattern {pattern!r} holds {said}: patterns are matched against the normalised text, where "
            f"{'it never occurs' if len(marks) == 1 else 'these never occur'}, so that part can never match; "
            "write the half-width form, or give plain words under 'words:' (normalised for you)")


def _scope_problem(kind: checks.CheckKind[Any], scope: Any, roles: set[str]) -> tuple[str, Path] | None:
    """What is wrong with a rule's `scope:` for its kind and pack (message, path under the rule)."""
    if scope is None:
        if kind.scoping is Scoping.REQUIRED:
            return f"kind {kind.name} needs 'scope: {{role: ...}}' (the part it reads)", ("scope",)
        return None
    if kind.scoping is Scoping.NONE:
        return f"kind {kind.name} reads the document's structure and takes no scope", ("scope",)
    role = scope.get("role") if isinstance(scope, dict) else None
    if isinstance(role, str) and role not in roles:
        known = ", ".join(sorted(roles)) or "none"
        return f"unknown role '{role}' (the pack's roles: {known}){_did_you_mean(role, roles)}", ("scope", "role")
    return None


class _Positions:
    """Where each value (and each mapping key) of the YAML document starts: line and column."""

    def __init__(self, root: Any):
        self.value: dict[Path, tuple[int, int]] = {}
        self.key: dict[Path, tuple[int, int]] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: Any, path: Path) -> None:
        import yaml

        self.value[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                sub = (*path, k.value)
                self.key[sub] = (k.start_mark.line + 1, k.start_mark.column + 1)
                self._walk(v, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._walk(v, (*path, i))

    def of(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of `path` (of its key with `key`), else of the nearest enclosing value."""
        if key and path in self.key:
            return self.key[path]
        for n in range(len(path), -1, -1):
            if path[:n] in self.value:
                return self.value[path[:n]]
        return None, None


def _did_you_mean(word: object, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Collector:
    """Every problem of one file, each located by the path of the data it is about."""

    def __init__(self, where: str, data: Any, positions: _Positions):
        self.where, self.data, self.positions = where, data, positions
        self.problems: list[RuleFileProblem] = []

    def _rule(self, path: Path) -> tuple[str | None, Path]:
        """The rule a path is in (its id, or #n when it has none) and the path inside that rule."""
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            try:
                rid = self.data["rules"][path[1]].get("id")
            except (IndexError, AttributeError, KeyError, TypeError):
                rid = None
            return (str(rid) if isinstance(rid, str) and rid else f"#{path[1] + 1}"), path[2:]
        return None, path

    def add(self, message: str, path: Path, *, at_key: bool = False) -> None:
        rule, inner = self._rule(path)
        line, column = self.positions.of(path, key=at_key)
        key = ".".join(map(str, inner)) or None
        self.problems.append(RuleFileProblem(self.where, message, rule=rule, key=key, line=line, column=column))

    def schema_error(self, error: Any) -> None:
        """One jsonschema error, said the way a rule author needs it (missing and unknown keys
        named, with a did-you-mean for misspelt keys and kinds)."""
        path: Path = tuple(error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, dict):
            for name in error.validator_value:
                if name not in instance:
                    unknown = [k for k in instance if k not in error.schema.get("properties", {})]
                    close = difflib.get_close_matches(name, sorted(map(str, unknown)), n=1, cutoff=0.6)
                    hint = f" (is '{close[0]}' a misspelling of it?)" if close else ""
                    self.add(f"missing required key '{name}'{hint}", (*path, name))
            return
        if error.validator == "additionalProperties" and isinstance(instance, dict):
            allowed = error.schema.get("properties", {})
            for name in instance:
                if name not in allowed:
                    self.add(f"unknown key '{name}'{_did_you_mean(name, allowed)}", (*path, name), at_key=True)
            return
        forms = {"array": "a list of regular expressions", "string": "a regular expression",
                 "object": "{words: [plain words]}"}
        branches = error.validator_value if error.validator == "anyOf" else None
        if branches and error.context and all(b.get("type") in forms for b in branches):
            # patterns: a list, or {words, patterns}: the errors of the branch of the value's type
            want = next((name for t, name in ((list, "array"), (dict, "object"), (str, "string"))
                         if isinstance(instance, t)), None)
            chosen = [e for e in error.context if branches[e.schema_path[0]].get("type") == want]
            if chosen:
                for sub in chosen:
                    self.schema_error(sub)
                return
            self.add(f"{instance!r} is not {' or '.join(forms[b['type']] for b in branches)}", path)
            return
        if error.validator == "enum" and path and path[-1] == "kind" and self._rule(path)[0]:
            self.add(f"unknown check kind '{instance}'{_did_you_mean(instance, error.validator_value)}; "
                     f"valid kinds: {', '.join(error.validator_value)}", path)
            return
        if error.validator == "enum":
            self.add(f"{instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
                     f"{_did_you_mean(instance, error.validator_value)}", path)
            return
        self.add(error.message, path)

    def raise_if_any(self) -> None:
        if self.problems:
            problems = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
            raise RuleFileError(self.where, problems=problems)


def _load_yaml(raw: bytes, where: str) -> tuple[Any, _Positions]:
    import yaml

    from auditor.packs.bounded import BoundsError, load_yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(where, "rule files must be UTF-8") from exc
    try:
        data = load_yaml(text)  # bounded: alias bombs and deep nesting refused before they expand
        positions = _Positions(yaml.compose(text, Loader=yaml.SafeLoader))
    except BoundsError as exc:
        raise RuleFileError(where, f"refused: {exc}") from exc
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2025-02-30
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise RuleFileError(where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                            line=line, column=column) from exc
    return data, positions


def load_registry(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The source registry (rules/data/sources.yaml; the shipped one by default), validated by
    sources.schema.json: id → plain data. RuleFileError names the file, line, source and key."""
    p = str(path or sources.registry_path())
    st = os.stat(p) if os.path.exists(p) else None
    return _load_registry(p, st.st_mtime_ns if st else 0, st.st_size if st else 0)


@lru_cache(maxsize=4)
def _load_registry(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    from auditor.packs.bounded import BoundsError, read_regular

    try:
        raw = read_regular(path)
    except OSError as exc:
        raise RuleFileError(path, f"cannot read the source registry: {exc.strerror or exc}") from exc
    except BoundsError as exc:
        raise RuleFileError(path, f"refused: {exc}") from exc
    data, positions = _load_yaml(raw, path)
    if not isinstance(data, dict):
        raise RuleFileError(path, "the source registry must be a mapping with 'sources'", line=1, column=1)
    found = _Collector(path, data, positions)
    for error in sources.schema_validator_errors(data):
        found.schema_error(error)
    found.raise_if_any()
    return sources.plain_sources(data)


def validate_pack_data(raw: bytes, where: str, *, registry: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Parse and validate a pack file's bytes; the plain data, ready to cache and build.
    References are resolved against `registry` (the shipped rules/data/sources.yaml by default).
    RuleFileError lists every problem found, not only the first."""
    import jsonschema

    data, positions = _load_yaml(raw, where)
    if not isinstance(data, dict):
        raise RuleFileError(where, "a pack file must be a mapping with 'pack', 'name' and 'rules'", line=1, column=1)
    found = _Collector(where, data, positions)
    warned = _Collector(where, data, positions)  # warnings: reported, never stopping the run
    for error in jsonschema.Draft202012Validator(pack_schema()).iter_errors(data):
        found.schema_error(error)
    rules: list[Any] = data["rules"] if isinstance(data.get("rules"), list) else []
    roles = {r["name"] for r in data.get("roles") or [] if isinstance(r, dict) and isinstance(r.get("name"), str)}
    seen: dict[str, int] = {}
    for i, rule_data in enumerate(rules):
        if not isinstance(rule_data, dict):
            continue
        rid = rule_data.get("id")
        if isinstance(rid, str):
            if rid in seen:
                found.add(f"duplicate rule id (rule #{seen[rid] + 1} has it too)", ("rules", i, "id"))
            seen.setdefault(rid, i)
        params = rule_data.get("params", {})
        if rule_data.get("kind") not in checks.CHECK_KINDS or not isinstance(params, dict):
            continue  # the schema error says what is wrong; its params cannot be judged
        kind = checks.get(rule_data["kind"])
        for err in jsonschema.Draft202012Validator(params_schema(kind)).iter_errors(params):
            err.path.extendleft(reversed(("rules", i, "params")))  # locate it in the file
            found.schema_error(err)
        scope_problem = _scope_problem(kind, rule_data.get("scope"), roles)
        if scope_problem:
            found.add(scope_problem[0], ("rules", i, *scope_problem[1]))
        for item in _patterns_in(kind.params, params):
            where_in = ("rules", i, "params", *item.path)
            problem = None if item.word else pattern_problem(item.text)
            if problem:
                found.add(problem, where_in)
            warning = None if item.word or item.original else fold_warning(item.text)
            if warning:
                warned.add(warning, where_in)
    for i, role in enumerate(data.get("roles") or []):
        if isinstance(role, dict) and isinstance(role.get("headings"), list):
            for j, x in enumerate(role["headings"]):
                problem = pattern_problem(x) if isinstance(x, str) else None
                if problem:
                    found.add(problem, ("roles", i, "headings", j))
                warning = fold_warning(x) if isinstance(x, str) else None
                if warning:
                    warned.add(warning, ("roles", i, "headings", j))
    for section in ("detect", "year"):
        block = data.get(section)
        for key, xs in (block.items() if isinstance(block, dict) else ()):
            for j, x in enumerate(xs if isinstance(xs, list) else ()):
                if isinstance(x, dict):  # a weighed sign (detect.signs): each of its patterns
                    for k, y in enumerate(x.get("patterns", [])):
                        problem = pattern_problem(y) if isinstance(y, str) else None
                        if problem:
                            found.add(problem, (section, key, j, "patterns", k))
                        warning = fold_warning(y) if isinstance(y, str) else None
                        if warning:
                            warned.add(warning, (section, key, j, "patterns", k))
                    continue
                problem = pattern_problem(x) if isinstance(x, str) else None
                if problem:
                    found.add(problem, (section, key, j))
                warning = fold_warning(x) if isinstance(x, str) else None
                if warning:
                    warned.add(warning, (section, key, j))
    _resolve_references(found, data, rules, registry)
    found.raise_if_any()
    plain: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=str))  # dates → str
    plain[WARNINGS] = [{"message": w.message, "rule": w.rule, "key": w.key, "line": w.line, "column": w.column}
                       for w in sorted(warned.problems, key=lambda p: (p.line or 0, p.column or 0))]
    return plain


def _resolve_references(found: _Collector, data: dict[str, Any], rules: list[Any],
                        registry_file: str | os.PathLike[str] | None) -> None:
    """Each rule's `reference: {source, clause}` checked against the registry (plus the pack's
    own `sources:`) and replaced in `data` by the resolved citation; problems go to `found`."""
    cites = [i for i, r in enumerate(rules)
             if isinstance(r, dict) and isinstance(r.get("reference"), dict) and "source" in r["reference"]]
    own = data.get("sources")
    if not cites and own is None:
        return  # only old-form references: the registry is not needed
    known = dict(load_registry(registry_file))
    if isinstance(own, dict):
        for error in sources.schema_validator_errors({"sources": own}):
            found.schema_error(error)  # located at sources.<id>.<key>, as in the file
        for sid in own:
            if sid in known:
                found.add(f"source '{sid}' is already in the registry (rules/data/sources.yaml): "
                          "cite it as it is, or give yours another id", ("sources", sid), at_key=True)
        known.update({k: v for k, v in own.items() if isinstance(v, dict) and isinstance(v.get("title"), str)
                      and isinstance(v.get("kind"), str)})
    for i in cites:
        ref = rules[i]["reference"]
        resolved, problems = sources.resolve(ref, known)
        for message, sub in problems:
            found.add(message, ("rules", i, "reference", *sub))
        if not problems:
            rules[i]["reference"] = resolved
