"""Result and extraction cache for batches: a second run over unchanged files skips the work.

Keys: the file's content sha256, and a salt made of the tool version, a fingerprint of the
installed code (so an edited checkout never serves stale results), the packs' digests and the
options that change results (--ocr among them). Extracted text is keyed by content and code
only (and "-ocr" after the sha256 when read with --ocr), so editing a rule re-runs the checks
without re-reading PDFs. Entries are JSON (never pickle: a cache
directory may be restored from CI storage) written atomically; a damaged entry is a miss.
Layout: <cache_dir>/results/<salt>/<sha[:2]>/<sha>.json and <cache_dir>/text/<code>/….
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Mapping, TypeVar

from auditor import __version__
from auditor.models import (
    Evidence,
    RawText,
    RuleResult,
    Scorecard,
    Severity,
    SourceLine,
    Status,
)

_FORMAT = 1
_T = TypeVar("_T")


def code_fingerprint() -> str:
    """Version plus size and mtime of every module of the package: cheap (stat only)."""
    root = Path(__file__).resolve().parents[1]  # the whole auditor package
    h = hashlib.sha256(f"{__version__}|{_FORMAT}".encode())
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(dirpath, name))
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                h.update(f"{rel}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def salt(packs: Mapping[str, Any], options: Any, code: str) -> str:
    """Everything besides the document that a result depends on (not the time budget)."""
    parts = {
        "code": code,
        "packs": sorted((pid, p.digest) for pid, p in packs.items()),
        "pack": options.pack, "deadline": options.deadline, "max_bytes": options.max_bytes,
        "disabled": sorted(options.disabled), "severity": sorted(options.severity.items()),
        "ocr": options.ocr, "with": list(getattr(options, "with_packs", ())),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _new(cls: type[_T], values: Mapping[str, Any]) -> _T:
    """A frozen dataclass instance without running __init__: the generated init sets fields
    one object.__setattr__ at a time, which made rebuilding ~20 objects per cached report
    cost more than reading the file. Fields come from our own asdict-shaped JSON."""
    if values.keys() != _names(cls).keys():
        raise KeyError(f"cache entry does not match {cls.__name__}")  # damaged, or another version
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


_FIELDS: dict[type, dict[str, None]] = {}


def _names(cls: type) -> dict[str, None]:
    """A dataclass's field names (as dict keys, for set-like comparison), computed once."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = dict.fromkeys(f.name for f in fields(cls))
    return names


def _to_json(obj: Any) -> Any:
    """json `default` hook: a dataclass → its fields (tuples, dicts, str enums encode natively)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        # the instance dict is exactly the fields for our plain frozen records, and free to get
        return getattr(obj, "__dict__", None) or {n: getattr(obj, n) for n in _names(type(obj))}
    if isinstance(obj, Mapping):
        return dict(obj)
    raise TypeError(f"cannot cache {type(obj).__name__}")


def _evidence(d: Mapping[str, Any] | None) -> Evidence | None:
    return _new(Evidence, d) if d else None


def card_from_dict(d: Mapping[str, Any]) -> Scorecard:
    results = tuple(
        _new(RuleResult, {**r, "severity": Severity(r["severity"]), "status": Status(r["status"]),
                          "evidence": tuple(_new(Evidence, e) for e in r["evidence"])})
        for r in d["results"]
    )
    return _new(Scorecard, {**d, "results": results, "pack_evidence": _evidence(d["pack_evidence"]),
                            "year_evidence": _evidence(d["year_evidence"])})


def raw_from_dict(d: Mapping[str, Any]) -> RawText:
    return _new(RawText, {**d, "lines": tuple(_new(SourceLine, ln) for ln in d["lines"])})


@dataclass
class Cache:
    """One run's view of the cache; counters let tests and the benchmark see hits."""

    root: str
    salt: str
    code: str
    hits: int = 0
    misses: int = 0
    text_hits: int = 0
    _made: set[str] = field(default_factory=set)

    def _path(self, kind: str, key: str, digest: str) -> str:
        return os.path.join(self.root, kind, key, digest[:2], digest + ".json")

    def _read(self, path: str) -> Any:
        try:
            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return None

    def _write(self, path: str, data: Any) -> None:
        try:
            parent = os.path.dirname(path)
            if parent not in self._made:
                os.makedirs(parent, exist_ok=True)
                self._made.add(parent)
            # dumps, not dump: only dumps uses the C encoder
            text = json.dumps(data, ensure_ascii=False, default=_to_json)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except (OSError, TypeError, ValueError):
            pass  # a read-only or full disk costs speed, never a result

    def card(self, digest: str) -> Scorecard | None:
        data = self._read(self._path("results", self.salt, digest))
        try:
            card = card_from_dict(data) if data else None
        except (TypeError, KeyError, ValueError):
            card = None
        if card is None:
            self.misses += 1
        else:
            self.hits += 1
        return card

    def put_card(self, digest: str, card: Scorecard) -> None:
        self._write(self._path("results", self.salt, digest), card)

    def raw(self, digest: str) -> RawText | None:
        data = self._read(self._path("text", self.code, digest))
        try:
            raw = raw_from_dict(data) if data else None
        except (TypeError, KeyError, ValueError):
            return None
        self.text_hits += raw is not None
        return raw

    def put_raw(self, digest: str, raw: RawText) -> None:
        self._write(self._path("text", self.code, digest), raw)


def open_cache(packs: Mapping[str, Any], options: Any) -> Cache | None:
    """The cache for this run, or None when caching is off (AUDITOR_NO_CACHE, --no-cache)."""
    from auditor.packs.ruleset import cache_dir

    root = cache_dir()
    if root is None:
        return None
    code = code_fingerprint()
    c = Cache(root=str(root), salt=salt(packs, options, code), code=code)
    prune(os.path.join(c.root, "results"), keep=c.salt)
    prune(os.path.join(c.root, "text"), keep=c.code)
    return c


KEEP = 8  # generations (rule/option/code versions) of results kept; older ones are removed


def prune(parent: str, *, keep: str) -> None:
    """Mark `keep` as just used and remove all but the KEEP most recently used generations, so
    the cache does not grow with every edit of a rule file."""
    try:
        os.makedirs(os.path.join(parent, keep), exist_ok=True)
        os.utime(os.path.join(parent, keep))
        gens = sorted(os.scandir(parent), key=lambda e: e.stat().st_mtime, reverse=True)
    except OSError:
        return
    import shutil

    for entry in gens[KEEP:]:
        if entry.is_dir() and entry.name != keep:
            shutil.rmtree(entry.path, ignore_errors=True)
