"""A run's settings, built and checked in one place: the configuration file's values and the
options given (the CLI's flags for `check` and `annotate`, the web page's form, the arguments of
`auditor.audit()`) become one `AuditOptions`, with one set of messages for what is unusable.

A setting that names nothing usable raises `SettingError`, a ConfigError that says which
setting (`key`: pack, with, deadline, disable) and what it would have accepted; each front end
words it for its users (the CLI as a bad option, the web page in Chinese).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from auditor.errors import ConfigError
from auditor.run.options import AuditOptions

#: a submission deadline: month and day, 04-01
MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class SettingError(ConfigError):
    """An option that names nothing usable; `key` is the option, `value` what was given,
    `valid` what it accepts (empty when that is a format, not a list)."""

    def __init__(self, key: str, value: str, message: str, valid: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.key, self.value, self.valid = key, value, valid


def is_mmdd(value: str) -> bool:
    return MMDD.match(value) is not None


def check_deadline(value: str | None) -> str | None:
    """`value` when it is MM-DD (or None); SettingError otherwise."""
    if value is not None and not is_mmdd(value):
        raise SettingError("deadline", value, "expected MM-DD, e.g. 04-01 or 03-01")
    return value


def check_pack(pack: str, packs: Mapping[str, Any]) -> str:
    """A report pack id or "auto"; an add-on pack (公文规范) is no report type."""
    from auditor.packs.ruleset import report_packs

    reports = tuple(sorted(report_packs(packs)))
    if pack != "auto" and pack not in reports:
        extra = f" ('{pack}' is an add-on pack: use --with {pack})" if pack in packs else ""
        raise SettingError("pack", pack, f"unknown pack '{pack}'{extra}; valid: auto, {', '.join(reports)}",
                           ("auto", *reports))
    return pack


def addon_ids(packs: Mapping[str, Any]) -> list[str]:
    return sorted(pid for pid, p in packs.items() if getattr(p, "addon", False))


def check_addons(with_packs: Iterable[str], packs: Mapping[str, Any]) -> tuple[str, ...]:
    addons = tuple(addon_ids(packs))
    for pid in with_packs:
        if pid not in addons:
            raise SettingError("with", pid, f"unknown add-on pack '{pid}'; valid: {', '.join(addons) or '(none)'}",
                               addons)
    return tuple(with_packs)


def check_rules(rule_ids: Iterable[str], packs: Mapping[str, Any], key: str = "disable") -> frozenset[str]:
    """Rule ids of the packs or of the cross-report checks; SettingError naming the first unknown."""
    known = {r.id for p in packs.values() for r in p.rules}
    for rid in rule_ids:
        if rid in known:
            continue
        from auditor.cross import crossrules  # read only when an id is not a pack's

        if rid not in crossrules.ids():
            raise SettingError(key, rid, f"unknown rule {rid} (see `auditor rules`)")
    return frozenset(rule_ids)


def audit_options(cfg: Any, packs: Mapping[str, Any], *, pack: str | None = None, with_packs: Iterable[str] = (),
                  deadline: str | None = None, disable: Iterable[str] = (), ocr: bool | None = None,
                  **limits: Any) -> AuditOptions:
    """The options of a run: what was given over the configuration `cfg` (setup.config.Config,
    already checked against the packs by `config.check_against`, or None), checked.
    `limits`: max_bytes, time_budget (AuditOptions' defaults otherwise)."""
    with_packs = tuple(with_packs)
    chosen = check_pack((pack or (cfg.pack if cfg is not None else None) or "auto").strip() or "auto", packs)
    check_addons(with_packs, packs)
    check_deadline(deadline)
    disabled = check_rules(tuple(disable), packs)
    base = (frozenset(cfg.disable), dict(cfg.severity), cfg.deadline, cfg.ocr, tuple(cfg.with_packs)) \
        if cfg is not None else (frozenset(), {}, None, None, ())
    return AuditOptions(pack=chosen, deadline=deadline or base[2], disabled=base[0] | disabled, severity=base[1],
                        ocr=bool(base[3] if ocr is None else ocr),
                        with_packs=tuple(dict.fromkeys((*base[4], *with_packs))), **limits)
