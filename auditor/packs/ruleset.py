"""Rule packs: read rules/*.yaml, validate strictly, compile, and cache what was validated.

Validation (YAML parse + JSON Schema + each kind's parameter schema + regex compilation and a
backtracking check) runs only when a pack file changes: given a store (auditor.pool.cache), the
validated pack is kept keyed by the file's content hash and the tool version, so an ordinary
run imports neither PyYAML nor jsonschema.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Protocol, Sequence

from auditor import __version__, checks
from auditor.checks.contract import Missing, ScopeSpec, compile_params
from auditor.errors import ConfigError, RuleFileError, RuleFileProblem
from auditor.models import Severity, replace
from auditor.document.roles import RoleSpec, YearSpec
from auditor.document.patterns import Rx, lazy
from auditor.document.signs import Sign, compile_signs

BUILTIN_DIR: Path | None = None  # set to use another directory of packs (tests do)
_CACHE_FORMAT = 4  # 2: rules have `scope:`; 3: the validated data carries its warnings; 4: references resolved
# against rules/data/sources.yaml


class Clause(NamedTuple):
    """A confirmed clause a rule cites (from rules/data/sources.yaml): its number where that is
    confirmed, what it deals with (our words), and its wording where that is confirmed."""

    id: str
    article: str | None
    about: str
    text: str | None = None


class Practice(NamedTuple):
    """Local practice a rule follows besides its national basis: cited as 参考, never as binding."""

    document: str
    text: str | None = None  # the old form's quoted words; sources give clauses instead
    source: str | None = None
    article: str | None = None
    clauses: tuple[Clause, ...] = ()
    note: str | None = None
    details: str = ""


def _clauses(data: Mapping[str, Any]) -> tuple[Clause, ...]:
    return tuple(Clause(c["id"], c.get("article"), c["about"], c.get("text")) for c in data.get("clauses") or ())


class Reference(NamedTuple):
    document: str
    article: str | None = None
    text: str | None = None  # the old form's quoted words; with a source, the clauses' wording joined
    practice: Practice | None = None
    source: str | None = None  # the registry's id (None: the old form)
    clauses: tuple[Clause, ...] = ()
    note: str | None = None  # in our words, never quoted
    details: str = ""  # 发文机关　文号　日期, as confirmed

    @property
    def cited(self) -> str:
        """How findings cite it: 《规定》第三条、第四条, then 参考：… for local practice."""
        basis = self.document + (self.article or "")
        if not self.practice:
            return basis
        return f"{basis}；参考：{self.practice.document}{self.practice.article or ''}"

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Reference":
        """The old form ({document, article, text, practice}) or a resolved source reference
        (auditor.packs.sources.resolve)."""
        practice = data.get("practice")
        if data.get("source") is not None:
            clauses = _clauses(data)
            quoted = "；".join(f"{c.article or ''}“{c.text}”" for c in clauses if c.text) or None
            return cls(document=data["document"], article=data.get("article"), text=quoted,
                       practice=Practice(document=practice["document"], source=practice["source"],
                                         article=practice.get("article"), clauses=_clauses(practice),
                                         note=practice.get("note"), details=practice.get("details", ""))
                       if practice else None,
                       source=data["source"], clauses=clauses, note=data.get("note"), details=data.get("details", ""))
        return cls(document=data["document"], article=data.get("article"), text=data.get("text"),
                   practice=Practice(document=practice["document"], text=practice.get("text")) if practice else None)

    def __str__(self) -> str:
        return self.cited


class LazyParams:
    """A rule's params, compiled on first use: a run compiles only the rules it runs (a report
    is one type, and a cold start pays ~0.2 ms per regular expression). The raw params were
    validated (and every pattern compiled once) when the pack file was; a pack from the cache
    is trusted like any validated data."""

    __slots__ = ("kind", "raw", "where", "rule", "_value")

    def __init__(self, kind: str, raw: Mapping[str, Any], *, where: str, rule: str) -> None:
        self.kind = kind
        self.raw = raw
        self.where = where
        self.rule = rule
        self._value: Any = None

    def get(self) -> Any:
        """The kind's Params NamedTuple, patterns compiled."""
        if self._value is None:
            self._value = compile_params(checks.get(self.kind), self.raw, where=self.where, rule=self.rule)
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyParams) and (self.kind, self.raw) == (other.kind, other.raw)

    def __hash__(self) -> int:
        return hash((self.kind, self.rule))

    def __repr__(self) -> str:
        return f"LazyParams({self.kind!r}, {dict(self.raw)!r})"

    def __getstate__(self) -> tuple[str, Mapping[str, Any], str, str]:
        return (self.kind, self.raw, self.where, self.rule)  # a worker compiles what it runs

    def __setstate__(self, state: tuple[str, Mapping[str, Any], str, str]) -> None:
        self.kind, self.raw, self.where, self.rule = state
        self._value = None


class ExampleFile(NamedTuple):
    """A sample document shipped next to the pack (for rules that read a Word draft's layout)."""

    name: str  # as the pack names it: examples/gongwen-gbt9704.docx
    path: str  # resolved against the pack file's directory

    def __str__(self) -> str:
        return self.name


class RuleSpec(NamedTuple):
    id: str
    name: str
    kind: str
    severity: Severity
    title: str
    message: str
    hint: str
    reference: Reference
    rationale: str
    lazy_params: LazyParams  # compiled on first use
    examples: Mapping[str, tuple[str | ExampleFile, ...]]
    source: str
    scope: ScopeSpec | None = None  # the part the rule reads; None = the whole report
    short: str = ""  # a column head of at most 4 characters (标题, 一, 落款); "" when the pack gives none

    @property
    def head(self) -> str:
        """The rule's column head in a batch matrix: its short title, else its title."""
        return self.short or self.title

    @property
    def params(self) -> Any:
        """The kind's Params NamedTuple, patterns compiled."""
        return self.lazy_params.get()


class Pack(NamedTuple):
    id: str
    name: str
    rules: tuple[RuleSpec, ...]
    roles: tuple[RoleSpec, ...]
    year: YearSpec
    detect_title: tuple[Rx, ...] = ()
    detect_preamble: tuple[Rx, ...] = ()
    detect_priority: int = 0
    detect_signs: tuple[Sign, ...] = ()  # every weighed sign, title and preamble lists included
    detect_role_weight: float = 0.0  # weight of each part role a heading names
    source: str = ""
    digest: str = ""
    description: str = ""
    signature_label: str = "发文单位"  # the signature line's name in scorecards (署名 for a personal report)
    addon: bool = False  # run beside the detected pack when asked for (--with), never detected itself
    data: Mapping[str, Any] = {}
    warnings: tuple[RuleFileProblem, ...] = ()  # found when the file was validated (validate.fold_warning)

    def rule(self, rule_id: str) -> RuleSpec | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def builtin_dir() -> Path:
    """Where the shipped packs are: the repository's rules/ or the installed auditor.rules."""
    if BUILTIN_DIR is not None:
        return BUILTIN_DIR
    try:
        import auditor.rules  # rules/ ships as the package auditor.rules (also in editable installs)
    except ImportError:  # running from a source tree that is not installed
        return Path(__file__).resolve().parents[2] / "rules"
    return Path(auditor.rules.__file__).resolve().parent


def builtin_pack_files() -> list[Path]:
    return sorted(builtin_dir().glob("*.yaml"))


class ValidatedStore(Protocol):
    """Where validated pack data is kept between runs (auditor.packs.store.ValidatedStore)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, data: Mapping[str, Any]) -> None: ...


def read_rule_file(p: Path) -> tuple[bytes, str]:
    """A rule file's bytes (a regular file within the size cap) and the digest that keys its
    validated form in the cache; RuleFileError naming the file otherwise."""
    from auditor.packs.bounded import BoundsError, read_regular

    try:
        raw = read_regular(str(p))
    except OSError as exc:
        raise RuleFileError(str(p), f"cannot read rule file: {exc.strerror or exc}") from exc
    except BoundsError as exc:
        raise RuleFileError(str(p), f"refused: {exc}") from exc
    # crc32 + length identify a content version well enough for a cache key, and zlib loads
    # in a fraction of hashlib's (OpenSSL) import time, which every cold start pays.
    return raw, f"{zlib.crc32(raw):08x}{len(raw):x}-{__version__}-{_CACHE_FORMAT}"


def load_pack(path: str | os.PathLike[str], *, store: ValidatedStore | None = None) -> Pack:
    """Load one pack file; RuleFileError (naming file, rule and key) when it is invalid.
    With a `store`, a file validated before (same content, same tool version) is not validated again."""
    p = Path(path)
    raw, digest = read_rule_file(p)
    from auditor.packs.sources import registry_digest, registry_path

    digest += "-" + registry_digest(builtin_dir())  # a pack's citations are resolved against the registry
    data = store.get(f"pack-{digest}") if store is not None else None
    if data is not None:
        try:
            return build_pack(data, source=str(p), digest=digest)
        except (KeyError, TypeError, ValueError, AttributeError, RuleFileError):
            data = None  # a damaged entry (valid JSON of another shape): validate again and rewrite it
    if data is None:
        from auditor.packs.validate import validate_pack_data  # lazy: yaml + jsonschema only on a miss

        data = validate_pack_data(raw, str(p), registry=registry_path(builtin_dir()))
        if store is not None:
            store.put(f"pack-{digest}", data)
    return build_pack(data, source=str(p), digest=digest)


def _lazy(patterns: list[str]) -> tuple[Rx, ...]:
    """A pack's role headings or year patterns, each compiled when first searched (validating
    the pack compiled each once: a one-file check searches few of them)."""
    return tuple(lazy(x) for x in patterns)


def _unique_shorts(rules: Sequence[RuleSpec], source: str) -> None:
    """Two rules of one pack with the same short title would be two columns with one head."""
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.short and seen.setdefault(rule.short, rule.id) != rule.id:
            raise RuleFileError(source, f"short title '{rule.short}' is also that of {seen[rule.short]}",
                                rule=rule.id, key="short")


def _scope(data: Mapping[str, Any] | None) -> ScopeSpec | None:
    return None if not data else ScopeSpec(data["role"], Missing(data.get("missing", "skip")))


def _example(value: Any, source: str) -> str | ExampleFile:
    if isinstance(value, str):
        return value
    return ExampleFile(name=value["file"], path=str(Path(source).parent / value["file"]))


def build_pack(data: Mapping[str, Any], *, source: str, digest: str = "") -> Pack:
    """Validated pack data → Pack with compiled patterns."""
    roles = tuple(
        RoleSpec(
            name=r["name"], title=r["title"], headings=_lazy(r["headings"]),
            year_offset=int(r.get("year_offset", 0)), infer_from_thematic=bool(r.get("infer_from_thematic", False)),
        )
        for r in data.get("roles", [])
    )
    year = YearSpec(preamble=_lazy(data.get("year", {}).get("preamble", [])))
    rules = tuple(
        RuleSpec(
            id=r["id"], name=r["name"], kind=r["kind"], severity=Severity(r["severity"]), title=r["title"],
            message=r["message"], hint=r["hint"], reference=Reference.from_data(r["reference"]),
            rationale=r["rationale"],
            lazy_params=LazyParams(r["kind"], r.get("params", {}), where=source, rule=r["id"]),
            source=source, examples={k: tuple(_example(x, source) for x in v) for k, v in r["examples"].items()},
            scope=_scope(r.get("scope")), short=str(r.get("short") or ""),
        )
        for r in data["rules"]
    )
    _unique_shorts(rules, source)
    detect = data.get("detect", {})
    weights = detect.get("weights", {})
    # the signs' patterns are compiled when first searched (the validation compiled each once): in
    # a report, most of the other report type's are ruled out by their literals
    signs = compile_signs(
        [{"where": "title", "weight": weights.get("title", 10), "patterns": detect.get("title", []), "name": "title"},
         {"where": "opening", "weight": weights.get("preamble", 8), "patterns": detect.get("preamble", []),
          "name": "preamble"}, *detect.get("signs", [])])
    return Pack(
        id=data["pack"], name=data["name"], rules=rules, roles=roles, year=year,
        detect_title=tuple(lazy(p) for p in detect.get("title", [])),
        detect_preamble=tuple(lazy(p) for p in detect.get("preamble", [])),
        detect_priority=int(detect.get("priority", 0)), source=source, digest=digest,
        detect_signs=tuple(x for x in signs if x.sources), detect_role_weight=float(weights.get("role", 2)),
        description=data.get("description", ""), signature_label=data.get("signature_label", "发文单位"),
        addon=bool(data.get("addon", False)), data=data,
        warnings=tuple(RuleFileProblem(source, **w) for w in data.get("_warnings", ())),  # validate.WARNINGS
    )


def report_packs(packs: Mapping[str, Pack]) -> dict[str, Pack]:
    """The packs a document can be detected as (or forced to with --pack): all but the add-ons."""
    return {pid: p for pid, p in packs.items() if not p.addon}


def load_builtin_packs(*, store: ValidatedStore | None = None) -> dict[str, Pack]:
    """Every shipped pack by id."""
    packs: dict[str, Pack] = {}
    for f in builtin_pack_files():
        pack = load_pack(f, store=store)
        packs[pack.id] = pack
    return packs


def merge_packs(base: Pack, extra: Pack) -> Pack:
    """`extra`'s rules appended to pack `base`: a rule file adding rules to a shipped pack keeps
    that pack's roles, year and detect settings; a rule id may not be defined twice."""
    if extra.roles or extra.detect_title or extra.detect_preamble or extra.year.preamble:
        raise ConfigError(f"{extra.source}: adds rules to pack '{base.id}', whose roles, year and detect "
                          "settings it keeps: remove 'roles', 'year' and 'detect', or use a new pack id")
    for rule in extra.rules:
        if base.rule(rule.id):
            raise ConfigError(f"{extra.source}: rule {rule.id}: already defined in pack '{base.id}' "
                              f"({base.source}); use a new id (and disable the shipped rule if it should go)")
    return replace(base, rules=base.rules + extra.rules, digest=f"{base.digest}+{extra.digest}",
                   source=f"{base.source}+{extra.source}", warnings=base.warnings + extra.warnings)
