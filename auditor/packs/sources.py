"""The registry of the documents the rules cite (rules/data/sources.yaml) and how a rule's
`reference:` is resolved against it.

A reference names a source and, only where it is confirmed, clauses of it:

    reference: {source: dc2019, clause: publication, note: …}
    reference: {source: fzzr2016, clause: [art3, art4], practice: {source: sd-shufa, note: …}}

It is resolved when the pack file is validated (a cache miss only): the validated pack data then
holds the resolved citation (the document's title and particulars, each clause's number, what it
is about and its confirmed wording), so an ordinary run never reads the registry; the pack cache
key includes the registry's digest (`registry_digest`, a read and a crc32) so an edit of the
registry validates the packs again. The old form `{document: 《…》, article, text, practice}` is
still read (a province's pack written before the registry), but the shipped packs use sources
(tests/packs/test_sources.py).
"""

from __future__ import annotations

import os
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from auditor.errors import RuleFileError, RuleFileProblem

REGISTRY_NAME = "data/sources.yaml"
Problem = tuple[str, tuple[Any, ...]]  # (message, path under the reference)


def registry_path(rules_dir: Path | None = None) -> Path:
    """data/sources.yaml in `rules_dir` (the packs in use: ruleset.builtin_dir()) when it has one,
    else the shipped registry."""
    if rules_dir is not None and (rules_dir / REGISTRY_NAME).is_file():
        return rules_dir / REGISTRY_NAME
    try:
        import auditor.rules

        return Path(auditor.rules.__file__).resolve().parent / REGISTRY_NAME
    except ImportError:  # a source tree that is not installed
        return Path(__file__).resolve().parents[2] / "rules" / REGISTRY_NAME


@lru_cache(maxsize=8)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return "none"
    return f"{zlib.crc32(raw):08x}{len(raw):x}"


def registry_digest(rules_dir: Path | None = None) -> str:
    """Identifies the registry's content (part of every pack's cache key)."""
    path = registry_path(rules_dir)
    try:
        st = os.stat(path)
    except OSError:
        return "none"
    return _digest(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=1)
def sources_schema() -> dict[str, Any]:
    import json
    from importlib import resources

    text = resources.files("auditor").joinpath("schema/sources.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_registry(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The registry's sources (id → plain data), parsed but not validated (the cross-report
    rules): any edit of the registry changes every pack's cache key, so the packs, loaded first in
    every run, have validated this content already (auditor.packs.validate.load_registry)."""
    p = str(path or registry_path())
    st = os.stat(p) if os.path.exists(p) else None
    return _read(p, st.st_mtime_ns if st else 0, st.st_size if st else 0)


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    import yaml

    from auditor.packs.bounded import BoundsError, load_yaml

    try:
        with open(path, "rb") as fh:
            data = load_yaml(fh.read().decode("utf-8"))
    except OSError as exc:
        raise RuleFileError(path, f"cannot read the source registry: {exc.strerror or exc}") from exc
    except (BoundsError, ValueError, yaml.YAMLError) as exc:  # ValueError: not UTF-8
        raise RuleFileError(path, f"not a valid source registry: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise RuleFileError(path, "the source registry must be a mapping with 'sources'", line=1, column=1)
    return plain_sources(data)


def plain_sources(data: Mapping[str, Any]) -> dict[str, Any]:
    import json

    plain: dict[str, Any] = json.loads(json.dumps(data["sources"], ensure_ascii=False, default=str))
    return plain


def schema_validator_errors(data: Any) -> list[Any]:
    import jsonschema

    return list(jsonschema.Draft202012Validator(sources_schema()).iter_errors(data))


def _did_you_mean(word: object, choices: Any) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _details(src: Mapping[str, Any]) -> str:
    """发文机关　文号　日期, as far as they are confirmed."""
    number = src.get("number")
    if number and number in src["title"]:
        number = None  # a standard's number is already its title
    return "　".join(x for x in (src.get("issuer"), number, src.get("date")) if x)


def _resolve_one(ref: Mapping[str, Any], sources: Mapping[str, Any], *, practice: bool) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    sid = ref.get("source")
    src = sources.get(sid) if isinstance(sid, str) else None
    if src is None:
        known = ", ".join(sorted(sources))
        problems.append((f"unknown source '{sid}'{_did_you_mean(sid, sources)}; the registry "
                         f"(rules/data/sources.yaml, or the pack's own 'sources:') has: {known}", ("source",)))
        return {}, problems
    if src["kind"] == "practice" and not practice:
        problems.append((f"source '{sid}' is local practice: cite it under 'practice:' (shown as 参考), "
                         "with a binding document as 'source:'", ("source",)))
    raw_clauses = ref.get("clause")
    ids = [raw_clauses] if isinstance(raw_clauses, str) else list(raw_clauses or [])
    clauses = []
    for n, cid in enumerate(ids):
        where: tuple[Any, ...] = ("clause",) if isinstance(raw_clauses, str) else ("clause", n)
        clause = (src.get("clauses") or {}).get(cid)
        if clause is None:
            known = ", ".join(sorted(src.get("clauses") or {})) or "none"
            problems.append((f"source '{sid}' has no clause '{cid}'{_did_you_mean(cid, src.get('clauses') or {})} "
                             f"(its clauses: {known})", where))
            continue
        if not clause.get("confirmed"):
            problems.append((f"clause '{cid}' of source '{sid}' is not confirmed (confirmed: false): cite the "
                             f"document by name only (drop 'clause'), and say in 'note:' what it is about, "
                             "without quotation marks", where))
            continue
        clauses.append({"id": cid, "article": clause.get("article"), "about": clause["about"],
                        "text": clause.get("text")})
    articles = [c["article"] for c in clauses if c.get("article")]
    out: dict[str, Any] = {
        "source": sid, "document": src["title"], "details": _details(src), "kind": src["kind"],
        "article": "、".join(articles) or None, "clauses": clauses, "note": ref.get("note"),
    }
    return out, problems


def resolve(ref: Mapping[str, Any], sources: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """A rule's `reference:` (the source form) → the resolved citation, and what is wrong with it
    (message, path under `reference`)."""
    out, problems = _resolve_one(ref, sources, practice=False)
    practice = ref.get("practice")
    if isinstance(practice, Mapping):
        sub, more = _resolve_one(practice, sources, practice=True)
        problems += [(m, ("practice", *p)) for m, p in more]
        if sub:
            out["practice"] = sub
    return out, problems


def resolve_or_raise(ref: Mapping[str, Any], sources: Mapping[str, Any], *, where: str, rule: str | None) -> dict[str, Any]:
    """resolve(), raising RuleFileError (file, rule, key) on the first problems."""
    out, problems = resolve(ref, sources)
    if problems:
        raise RuleFileError(where, problems=[
            RuleFileProblem(where, m, rule=rule, key=".".join(map(str, ("reference", *p)))) for m, p in problems])
    return out
