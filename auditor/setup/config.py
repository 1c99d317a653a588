"""The configuration file: discovery, parsing, JSON Schema validation, and the packs it adds.

Discovery is cheap because every run pays it: from the current directory upward, each
directory is stat'ed for auditor.yaml, auditor.yml, .auditor.yaml, .auditor.yml, then
pyproject.toml (parsed only when its bytes mention tool.auditor). The first found wins.
It stops after the repository root (a directory holding .git) or the user's home, and never
uses a file owned by another user or writable by any user (ignored with a warning naming it);
`--config PATH` names a file explicitly and is always used. Files are read within bounds
(auditor.packs.bounded: regular files, size cap, no YAML alias bombs).
Validated data is cached by exact content, so an unchanged config imports neither PyYAML
nor jsonschema.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import stat
import zlib
from typing import Any, Mapping, NamedTuple, TYPE_CHECKING

from auditor import __version__
from auditor.errors import ConfigError
from auditor.setup.paths import Pattern
from auditor.run.settings import addon_ids as addon_ids  # the one definition, re-exported

if TYPE_CHECKING:  # waivers (and scoring) load only when a config file has waivers
    from auditor.setup.waivers import Waiver

YAML_NAMES = ("auditor.yaml", "auditor.yml", ".auditor.yaml", ".auditor.yml")
_FRIENDLY = {  # pattern errors with a regex in them read badly; say what is expected instead
    "deadline": "expected MM-DD in quotes, e.g. \"04-01\"",
    "sha256": "expected the document's sha256: 64 hex digits (sha256sum FILE)",
    "expires": "expected a date YYYY-MM-DD",
    "reason": "must not be empty",
    "approved_by": "must not be empty",
}


class Config(NamedTuple):
    """A validated configuration; relative paths in it are relative to `base`."""

    path: str | None = None
    base: str = "."
    pack: str | None = None
    with_packs: tuple[str, ...] = ()  # add-on packs (with: [gongwen])
    deadline: str | None = None
    disable: tuple[str, ...] = ()
    severity: Mapping[str, str] = {}
    rule_files: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[Pattern, ...] = ()
    fail_on: str | None = None
    min_score: float | None = None
    ocr: bool | None = None  # read scanned PDFs by OCR (--ocr); None: not set
    waivers: tuple[Waiver, ...] = ()
    similarity: bool | None = None  # compare the batch's reports (--similarity); None: not set
    thresholds: Mapping[str, float] = {}  # cross-report rule id → share
    key_prefix: str = ""  # "tool.auditor." for pyproject.toml, so errors name the real key
    comment_author: str | None = None  # annotate: the name comments are signed with (default 合规自查)


def _read(path: str) -> bytes:
    """A config file's bytes: a regular file within the size cap, or ConfigError (exit 2)."""
    from auditor.packs.bounded import BoundsError, read_regular

    try:
        return read_regular(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except BoundsError as exc:
        raise ConfigError(f"{path}: refused: {exc}") from exc


def _toml_section(path: str, notes: list[str]) -> dict[str, Any] | None:
    raw = _read(path)
    if b"tool.auditor" not in raw:
        return None  # the common case: no need to import a TOML parser at all
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
        except ImportError:
            notes.append(f"{path}: [tool.auditor] ignored: reading pyproject.toml needs Python 3.11+ or "
                         "the 'tomli' package (or use auditor.yaml)")
            return None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    section = data.get("tool", {}).get("auditor")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: key 'tool.auditor': must be a table")
    return section


def untrusted(path: str, st: os.stat_result | None = None) -> str | None:
    """Why a discovered config file must not be used, or None. As git's safe.directory: a file
    owned by another user, or one any user may write, could have been put there to switch
    rules off (a shared parent directory, a world-writable /tmp)."""
    st = st or os.stat(path)
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    if uid is not None and st.st_uid != uid:
        return "it is owned by another user"
    if st.st_mode & 0o002:
        return "any user may write it"
    return None


def _candidate(path: str, notes: list[str]) -> bool:
    """A regular file we may use; an untrusted one is ignored with a warning naming it."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    why = untrusted(path, st)
    if why:
        notes.append(f"warning: ignoring config file {path}: {why} (name it with --config to use it anyway)")
        return False
    return True


def _is_boundary(directory: str, home: str) -> bool:
    """Discovery stops at a repository root (.git: a directory, or a file in a worktree) or home."""
    return os.path.exists(os.path.join(directory, ".git")) or directory == home


def find(start: str | None = None, notes: list[str] | None = None) -> tuple[str, dict[str, Any] | None] | None:
    """The nearest trusted config file from `start` upward, stopping after the repository root or
    the user's home: (path, pyproject section or None for YAML)."""
    notes = [] if notes is None else notes
    cur = os.path.abspath(start or os.getcwd())
    home = os.path.abspath(os.path.expanduser("~"))
    while True:
        for name in YAML_NAMES:
            candidate = os.path.join(cur, name)
            if _candidate(candidate, notes):
                return candidate, None
        pyproject = os.path.join(cur, "pyproject.toml")
        if _candidate(pyproject, notes):
            section = _toml_section(pyproject, notes)
            if section is not None:
                return pyproject, section
        parent = os.path.dirname(cur)
        if parent == cur or _is_boundary(cur, home):
            return None
        cur = parent


def _schema() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("auditor").joinpath("schema/config.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _error_key(err: Any, prefix: str) -> tuple[str, str]:
    """(dotted key, message) for a jsonschema error, naming the offending key itself."""
    path = [str(p) for p in err.absolute_path]
    message = err.message
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        path.append(missing[0])
        message = "is required"
    elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
        import difflib

        known = list(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in known]
        path.append(str(extra[0]))
        close = difflib.get_close_matches(str(extra[0]), known, n=1)
        message = f"unknown key{f' (did you mean {close[0]!r}?)' if close else ''}; valid keys: {', '.join(known)}"
    elif err.validator == "pattern":
        if "propertyNames" in err.schema_path:  # a bad key: name it, not its parent
            path.append(str(err.instance))
        last = path[-1] if path else ""
        if last in _FRIENDLY:
            message = _FRIENDLY[last]
        elif str(err.validator_value).startswith("^[A-Z]"):
            message = f"{err.instance!r} is not a rule id like AR203"
    return prefix + (".".join(path) or "(top level)"), message


def validate(data: Any, where: str, prefix: str = "") -> dict[str, Any]:
    """Check config data against the schema, plus the rules JSON Schema cannot say well."""
    import jsonschema

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping of keys (pack, disable, waivers …)")
    data = json.loads(json.dumps(data, default=str))  # YAML/TOML dates → "YYYY-MM-DD"
    assert isinstance(data, dict)
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        key, message = _error_key(errors[0], prefix)
        raise ConfigError(f"{where}: key '{key}': {message}")
    for i, w in enumerate(data.get("waivers", [])):
        if ("path" in w) == ("sha256" in w):
            raise ConfigError(f"{where}: key '{prefix}waivers.{i}': give exactly one of 'path' (a glob) or "
                              "'sha256' (the document's content hash)")
        if "expires" in w:
            try:
                _dt.date.fromisoformat(w["expires"])
            except ValueError:
                raise ConfigError(f"{where}: key '{prefix}waivers.{i}.expires': "
                                  f"{w['expires']!r} is not a date") from None
    return data


def _parse_yaml(raw: bytes, where: str) -> Any:
    import yaml

    from auditor.packs.bounded import BoundsError, load_yaml

    try:
        return load_yaml(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: configuration files must be UTF-8") from exc
    except BoundsError as exc:
        raise ConfigError(f"{where}: refused: {exc}") from exc
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2025-02-30
        raise ConfigError(f"{where}: not valid YAML: {exc}") from exc


def _validated(path: str, section: dict[str, Any] | None, *, use_cache: bool = True) -> dict[str, Any]:
    """Validated data, from the cache when this exact content was validated before."""
    from auditor.packs.store import validated_store

    if section is None:
        source = _read(path).decode("utf-8", "surrogateescape")
    else:
        source = json.dumps(section, default=str, sort_keys=True)
    digest = f"{zlib.crc32(source.encode('utf-8', 'surrogateescape')):08x}-{__version__}"
    store = validated_store() if use_cache else None
    entry = store.get(f"config-{digest}") if store else None
    if entry and entry.get("source") == source and isinstance(entry.get("data"), dict):
        data: dict[str, Any] = entry["data"]  # exact content, so a crc collision cannot mislead
        return data
    if section is None:
        data = validate(_parse_yaml(source.encode("utf-8", "surrogateescape"), path), path)
    else:
        data = validate(section, path, prefix="tool.auditor.")
    if store:
        store.put(f"config-{digest}", {"source": source, "data": data})
    return data


def load(path: str, section: dict[str, Any] | None = None, *, use_cache: bool = True) -> Config:
    """Read and validate one config file (a pyproject.toml needs its [tool.auditor] section)."""
    if section is None and os.path.basename(path) == "pyproject.toml":
        section = _toml_section(path, []) or {}
    data = _validated(path, section, use_cache=use_cache)
    if data.get("waivers"):
        from auditor.setup.waivers import Waiver
    base = os.path.dirname(os.path.abspath(path))
    prefix = "tool.auditor." if section is not None else ""
    return Config(
        path=path, base=base, pack=data.get("pack"), with_packs=tuple(data.get("with", ())), deadline=data.get("deadline"),
        disable=tuple(data.get("disable", ())), severity=dict(data.get("severity", {})),
        rule_files=tuple(os.path.join(base, f) for f in data.get("rule_files", ())),
        include=tuple(data.get("include", ())),
        exclude=tuple(Pattern(g, base) for g in data.get("exclude", ())),
        fail_on=data.get("fail_on"), min_score=data.get("min_score"), ocr=data.get("ocr"),
        waivers=tuple(
            Waiver(rule=w["rule"], reason=w["reason"].strip(), approved_by=w["approved_by"].strip(),
                   path=w.get("path"), sha256=(w.get("sha256") or "").lower() or None,
                   expires=_dt.date.fromisoformat(w["expires"]) if "expires" in w else None,
                   source=path, key=f"{prefix}waivers.{i}", base=base)
            for i, w in enumerate(data.get("waivers", ()))
        ),
        similarity=data.get("similarity"), thresholds=dict(data.get("thresholds", {})),
        key_prefix=prefix, comment_author=(data.get("comment_author") or "").strip() or None,
    )


def resolve(explicit: str | None, notes: list[str], *, use_cache: bool = True) -> Config:
    """--config PATH, else the nearest config file upward, else defaults."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: configuration file not found")
        return load(explicit, use_cache=use_cache)
    found = find(None, notes)
    return load(*found, use_cache=use_cache) if found else Config()


def build_packs(config: Config, *, use_cache: bool = True) -> dict[str, Any]:
    """The shipped packs plus the config's rule files.

    A rule file whose pack id is new adds a report type (a province's own pack, detected by
    its own `detect:`). A rule file whose pack id already exists adds its rules to that pack,
    which keeps its roles, year and detect settings; a rule id may not be defined twice.
    """
    from auditor.errors import RuleFileError
    from auditor.run.api import load_rules

    try:
        return dict(load_rules(*config.rule_files, cache=use_cache))
    except RuleFileError as exc:
        first = exc.problems[0]
        named = [i for i, f in enumerate(config.rule_files) if f == first.path]
        if named and config.path and len(exc.problems) == 1 and first.line is None and not (first.key or first.rule):
            # the file itself is unusable (missing, a device, too large): the setting that named it is wrong
            raise ConfigError(f"{config.path}: key '{config.key_prefix}rule_files.{named[0]}': {first}") from exc
        raise ConfigError(str(exc)) from exc




def check_against(config: Config, packs: Mapping[str, Any]) -> None:
    """Rule ids and the pack named in the config must exist: a typo must not silently do nothing."""
    class Known:  # the cross-report rules' file is read only when an id is not a pack's
        ids = {r.id for p in packs.values() for r in p.rules}

        def __contains__(self, rid: object) -> bool:
            from auditor.cross import crossrules

            return rid in self.ids or rid in crossrules.ids()

    known = Known()
    where, pre = config.path or "configuration", config.key_prefix
    if config.pack and config.pack != "auto" and config.pack not in packs:
        raise ConfigError(f"{where}: key '{pre}pack': unknown pack {config.pack!r}; valid: auto, "
                          f"{', '.join(sorted(packs))}")
    if config.pack and config.pack in packs and packs[config.pack].addon:
        raise ConfigError(f"{where}: key '{pre}pack': {config.pack!r} is an add-on pack; add it with 'with: "
                          f"[{config.pack}]' (the report type stays auto or a report pack)")
    for i, pid in enumerate(config.with_packs):
        if pid not in packs or not packs[pid].addon:
            raise ConfigError(f"{where}: key '{pre}with.{i}': unknown add-on pack {pid!r}; valid: "
                              f"{', '.join(addon_ids(packs)) or '(none)'}")
    for i, rid in enumerate(config.disable):
        if rid not in known:
            raise ConfigError(f"{where}: key '{pre}disable.{i}': unknown rule {rid} (see `auditor rules`)")
    for rid in config.severity:
        if rid not in known:
            raise ConfigError(f"{where}: key '{pre}severity.{rid}': unknown rule {rid} (see `auditor rules`)")
    for rid in config.thresholds:
        from auditor.cross import crossrules

        if rid not in crossrules.ids():
            raise ConfigError(f"{where}: key '{pre}thresholds.{rid}': not a cross-report rule; valid: "
                              f"{', '.join(sorted(crossrules.ids()))}")
    for w in config.waivers:
        if w.rule not in known:
            raise ConfigError(f"{w.source}: key '{w.key}.rule': unknown rule {w.rule} (see `auditor rules`)")
