"""Rule packs: read rules/*.yaml, validate strictly, compile, and cache what was validated.

Validation (YAML parse + JSON Schema + each kind's parameter schema + regex compilation and a
backtracking check) runs only when a pack file changes: the validated pack is cached as JSON
keyed by the file's content hash and the tool version, so an ordinary run imports neither
PyYAML nor jsonschema.
"""

from __future__ import annotations

import zlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from auditor import __version__
from auditor.errors import RuleFileError
from auditor.models import Severity
from auditor.document.roles import RoleSpec, YearSpec

BUILTIN_DIR: Path | None = None  # set to use another directory of packs (tests do)
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class Practice:
    """Local practice a rule follows besides its national basis: cited as 参考, never as binding."""

    document: str
    text: str | None = None


@dataclass(frozen=True)
class Reference:
    document: str
    article: str | None = None
    text: str | None = None
    practice: Practice | None = None

    @property
    def cited(self) -> str:
        """How findings cite it: 《规定》第二十四条, then 参考：… for local practice."""
        basis = self.document + (self.article or "")
        return f"{basis}；参考：{self.practice.document}" if self.practice else basis

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Reference":
        practice = data.get("practice")
        return cls(document=data["document"], article=data.get("article"), text=data.get("text"),
                   practice=Practice(**practice) if practice else None)

    def __str__(self) -> str:
        return self.cited


@dataclass(frozen=True)
class RuleSpec:
    id: str
    name: str
    kind: str
    severity: Severity
    title: str
    message: str
    hint: str
    reference: Reference
    rationale: str
    params: Mapping[str, Any]
    examples: Mapping[str, tuple[str, ...]]
    source: str


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    rules: tuple[RuleSpec, ...]
    roles: tuple[RoleSpec, ...]
    year: YearSpec
    detect_title: tuple[re.Pattern[str], ...] = ()
    detect_preamble: tuple[re.Pattern[str], ...] = ()
    detect_priority: int = 0
    source: str = ""
    digest: str = ""
    description: str = ""
    signature_label: str = "发文单位"  # the signature line's name in scorecards (署名 for a personal report)
    data: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

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


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off (AUDITOR_NO_CACHE) or unusable."""
    if os.environ.get("AUDITOR_NO_CACHE"):
        return None
    base = os.environ.get("AUDITOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "auditor"
    )
    return Path(base)


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
        return data
    except (OSError, ValueError):
        return None


def _write_cache(path: Path, data: Mapping[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home must not stop an audit; we simply validate again next time


def load_pack(path: str | os.PathLike[str], *, use_cache: bool = True) -> Pack:
    """Load one pack file; RuleFileError (naming file, rule and key) when it is invalid."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RuleFileError(str(p), f"cannot read rule file: {exc.strerror or exc}") from exc
    # crc32 + length identify a content version well enough for a cache key, and zlib loads
    # in a fraction of hashlib's (OpenSSL) import time, which every cold start pays.
    digest = f"{zlib.crc32(raw):08x}{len(raw):x}-{__version__}-{_CACHE_FORMAT}"
    cdir = cache_dir() if use_cache else None
    cached = _read_cache(cdir / f"pack-{digest}.json") if cdir else None
    if cached is None:
        from auditor.packs.validate import validate_pack_data  # lazy: yaml + jsonschema only on a miss

        cached = validate_pack_data(raw, str(p))
        if cdir:
            _write_cache(cdir / f"pack-{digest}.json", cached)
    return build_pack(cached, source=str(p), digest=digest)


def _compile(patterns: list[str], where: str, *, rule: str | None = None, key: str = "") -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(x) for x in patterns)
    except re.error as exc:
        raise RuleFileError(where, f"invalid regular expression: {exc}", rule=rule, key=key) from exc


def is_pattern_key(key: str) -> bool:
    """Parameters holding regular expressions, by naming convention: `patterns`, `*_patterns`, `groups`."""
    return key == "patterns" or key.endswith("_patterns") or key == "groups"


def _compile_params(params: Mapping[str, Any], source: str, rule: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key == "groups":
            out[key] = {g: _compile(v, source, rule=rule, key=f"params.groups.{g}") for g, v in value.items()}
        elif is_pattern_key(key):
            out[key] = _compile(value, source, rule=rule, key=f"params.{key}")
        else:
            out[key] = value
    return out


def build_pack(data: Mapping[str, Any], *, source: str, digest: str = "") -> Pack:
    """Validated pack data → Pack with compiled patterns."""
    roles = tuple(
        RoleSpec(
            name=r["name"], title=r["title"], headings=_compile(r["headings"], source, key=f"roles.{r['name']}.headings"),
            year_offset=int(r.get("year_offset", 0)), infer_from_thematic=bool(r.get("infer_from_thematic", False)),
        )
        for r in data.get("roles", [])
    )
    year = YearSpec(preamble=_compile(data.get("year", {}).get("preamble", []), source, key="year.preamble"))
    rules = tuple(
        RuleSpec(
            id=r["id"], name=r["name"], kind=r["kind"], severity=Severity(r["severity"]), title=r["title"],
            message=r["message"], hint=r["hint"], reference=Reference.from_data(r["reference"]),
            rationale=r["rationale"],
            params=_compile_params(r.get("params", {}), source, r["id"]), source=source,
            examples={k: tuple(v) for k, v in r["examples"].items()},
        )
        for r in data["rules"]
    )
    detect = data.get("detect", {})
    return Pack(
        id=data["pack"], name=data["name"], rules=rules, roles=roles, year=year,
        detect_title=_compile(detect.get("title", []), source, key="detect.title"),
        detect_preamble=_compile(detect.get("preamble", []), source, key="detect.preamble"),
        detect_priority=int(detect.get("priority", 0)), source=source, digest=digest,
        description=data.get("description", ""), signature_label=data.get("signature_label", "发文单位"), data=data,
    )


def load_builtin_packs(*, use_cache: bool = True) -> dict[str, Pack]:
    """Every shipped pack by id."""
    packs: dict[str, Pack] = {}
    for f in builtin_pack_files():
        pack = load_pack(f, use_cache=use_cache)
        packs[pack.id] = pack
    return packs
