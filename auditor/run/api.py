"""The Python API (re-exported from `auditor`): load rule packs, audit a file or bytes.

    import auditor
    card = auditor.audit("report.docx")                # shipped packs, report type detected
    card.verdict, card.score, [r.rule for r in card.results if r.status == "fail"]

A document that cannot be read gives a card with verdict "error" and a Chinese reason, never
an exception; bad rules or options raise an `auditor.AuditorError`.
"""

from __future__ import annotations

import os
from typing import Mapping, Sequence, Union

from auditor.models import RawText, Scorecard, replace
from auditor.packs.ruleset import Pack
from auditor.run.options import AuditOptions

Source = Union[str, "os.PathLike[str]", bytes]

_SHIPPED: dict[str, Pack] | None = None
# one object for every call without options: the engine keeps each pack's rule plans per options
# object (run.engine._rule_plans), which a fresh AuditOptions() per call would rebuild every time
_DEFAULT_OPTIONS = AuditOptions()


def load_rules(*files: str | os.PathLike[str], builtin: bool = True, cache: bool = True) -> dict[str, Pack]:
    """Rule packs by id: the shipped ones (unless `builtin=False`) plus pack files. A file
    whose pack id is new adds a report type; one whose id is shipped adds its rules to that
    pack (as the config's `rule_files:` do). RuleFileError / ConfigError when invalid.
    `cache`: keep validated packs between runs (in the cache directory)."""
    from auditor.packs.ruleset import load_builtin_packs, load_pack
    from auditor.packs.store import validated_store
    from auditor.packs.ruleset import merge_packs as merge

    store = validated_store() if cache else None
    packs: dict[str, Pack] = dict(load_builtin_packs(store=store)) if builtin else {}
    for f in files:
        extra = load_pack(f, store=store)
        packs[extra.id] = merge(packs[extra.id], extra) if extra.id in packs else extra
    return packs


def _shipped() -> dict[str, Pack]:
    global _SHIPPED
    if _SHIPPED is None:  # loaded once per process: audit() in a loop should not re-read them
        _SHIPPED = load_rules()
    return _SHIPPED


def audit(source: Source, *, pack: str | Pack | None = None, options: AuditOptions | None = None,
          rules: Mapping[str, Pack] | None = None, name: str | None = None,
          with_packs: Sequence[str] = ()) -> Scorecard:
    """Audit one document: a path, or its bytes.

    `pack`: a pack id or a Pack (default: detect the report type among `rules`);
    `options`: deadline, disabled rules, severities, size and time limits, OCR;
    `rules`: the packs to use (default: the shipped ones, see `load_rules`);
    `name`: for bytes, the file name the card shows, whose suffix picks the format
    (default: recognised from the bytes: pdf, docx, doc, html, else text);
    `with_packs`: add-on packs run beside the report's own, e.g. ("gongwen",) for 公文规范.
    The document is only read, never written."""
    opts = options or _DEFAULT_OPTIONS
    packs: Mapping[str, Pack] = rules if rules is not None else _shipped()
    if isinstance(pack, Pack):
        packs = {**packs, pack.id: pack}
        pack = pack.id
    if pack is not None:
        opts = replace(opts, pack=pack)
    if with_packs:
        opts = replace(opts, with_packs=tuple(dict.fromkeys((*opts.with_packs, *with_packs))))
    from auditor.run.settings import check_addons, check_deadline, check_pack

    # the checks and messages of every front door (auditor.run.settings); SettingError is a ConfigError
    check_pack(opts.pack, packs)
    check_addons(opts.with_packs, packs)
    check_deadline(opts.deadline)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _audit_bytes(bytes(source), packs, opts, name)
    from auditor.run.engine import audit_file  # here: loading rules alone needs no engine

    return audit_file(os.fspath(source), packs, opts)


def _audit_bytes(data: bytes, packs: Mapping[str, Pack], options: AuditOptions, name: str | None) -> Scorecard:
    from auditor import loaders
    from auditor.run.engine import audit_file

    path = name or f"<bytes>{loaders.sniff_suffix(data)}"

    def from_memory(p: str, *, max_bytes: int, ocr: bool = False, layout: bool = False) -> RawText:
        return loaders.extract(data, path=p, max_bytes=max_bytes, ocr=ocr, layout=layout)

    return audit_file(path, packs, options, loader=from_memory)
