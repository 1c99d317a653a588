"""The cross-report rules (XR…, rules/batch/cross-report.yaml) and how their results join a card.

They are rules like the packs' (id, severity, title, message, hint, reference, a threshold
parameter), but their check compares reports, so they run after the per-report audits
(cross/crosscheck.py) and their result is appended to each card, which then gets its verdict
and score again. Disabling, re-grading and waiving work on them as on any rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

from auditor.errors import RuleFileError
from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status
from auditor.run.scoring import score, verdict

_REQUIRED = ("id", "name", "check", "severity", "title", "message", "hint", "reference", "params")
CHECKS = ("similarity", "carryover", "plan_uptake")


@dataclass(frozen=True)
class CrossRule:
    id: str
    name: str
    check: str  # similarity | carryover | plan_uptake
    severity: Severity
    title: str
    message: str
    hint: str
    reference: str  # as findings cite it (Reference.cited)
    threshold: float
    source: str = ""
    citation: Any = None  # the resolved Reference (auditor explain quotes its clauses)


def rules_file() -> str:
    from auditor.packs.ruleset import builtin_dir

    return str(builtin_dir() / "batch" / "cross-report.yaml")


@lru_cache(maxsize=None)
def load(path: str | None = None) -> tuple[CrossRule, ...]:
    """The cross-report rules, validated (a broken file is a RuleFileError: exit 2)."""
    import yaml

    path = path or rules_file()
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleFileError(path, f"cannot read rule file: {exc}") from exc
    out = []
    for i, r in enumerate((data or {}).get("rules", ())):
        missing = [k for k in _REQUIRED if k not in r]
        if missing:
            raise RuleFileError(path, f"missing key '{missing[0]}'", rule=r.get("id"), key=f"rules.{i}")
        if r["check"] not in CHECKS:
            raise RuleFileError(path, f"check must be one of {', '.join(CHECKS)}", rule=r["id"], key="check")
        threshold = r["params"].get("threshold")
        if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise RuleFileError(path, "params.threshold must be a share between 0 and 1", rule=r["id"],
                                key="params.threshold")
        citation = _reference(r["reference"], path, r["id"])
        out.append(CrossRule(
            id=r["id"], name=r["name"], check=r["check"], severity=Severity(r["severity"]), title=r["title"],
            message=r["message"], hint=r["hint"], reference=citation.cited,
            threshold=float(threshold), source=path, citation=citation))
    return tuple(out)


def _reference(data: Any, path: str, rule: str) -> Any:
    """The rule's reference resolved against rules/data/sources.yaml (the old {document} form is
    still read)."""
    from auditor.packs.ruleset import Reference, builtin_dir
    from auditor.packs.sources import read_registry, registry_path, resolve_or_raise

    if not isinstance(data, dict) or not isinstance(data.get("source") or data.get("document"), str):
        raise RuleFileError(path, "reference must be {source: <id in rules/data/sources.yaml>, clause: …}",
                            rule=rule, key="reference")
    if "source" in data:
        data = resolve_or_raise(data, read_registry(registry_path(builtin_dir())), where=path, rule=rule)
    return Reference.from_data(data)


def by_check(check: str) -> CrossRule:
    return next(r for r in load() if r.check == check)


def ids() -> set[str]:
    return {r.id for r in load()}


def result(rule: CrossRule, met: bool | None, message: str, evidence: Sequence[Evidence] = (), *,
           severity: Mapping[str, str] | None = None) -> RuleResult:
    """The rule's result: met True → pass, False → its severity's status, None → skip.
    Evidence is de-duplicated (a finding never shows the same line and text twice)."""
    override = (severity or {}).get(rule.id)
    sev = Severity(override) if override else rule.severity
    if met is None:
        status = Status.SKIP
    elif met:
        status = Status.PASS
    else:
        status = Status.FAIL if sev is Severity.ERROR else Status.WARN
    if status in (Status.FAIL, Status.WARN):
        message = message or rule.message  # one statement per finding, as the engine words them
    if message and not message.endswith(("。", "）", "”")):
        message += "。"  # a finished sentence, like every finding
    unique = tuple(dict.fromkeys(evidence))
    return RuleResult(rule=rule.id, name=rule.name, title=rule.title, severity=sev, status=status, message=message,
                      evidence=unique, hint=rule.hint if status in (Status.FAIL, Status.WARN) else None,
                      reference=rule.reference)


def attach(card: Scorecard, results: Sequence[RuleResult], meta: Mapping[str, Any]) -> Scorecard:
    """The card with more results (replacing earlier ones of the same rules) and meta keys."""
    if card.verdict == "error":
        return card
    new = {r.rule for r in results}
    out = tuple(r for r in card.results if r.rule not in new) + tuple(results)
    return card._replace(results=out, verdict=verdict(out), score=score(out), meta={**card.meta, **meta})
