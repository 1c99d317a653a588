"""Scorecard ⇄ plain data (dicts, lists, str, int, float, bool, None): what the result cache
stores and what batch workers send back. The plain form is the Scorecard's fields by name,
enums as their words; `card_from_plain` checks the shape and raises CardFormatError on
anything else, so a damaged cache entry or a garbled worker answer never becomes a result.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.errors import CardFormatError
from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status, Verdict

_CARD_KEYS = frozenset(("path", "pack", "verdict", "score", "results", "report_year", "error", "fmt",
                        "pack_evidence", "year_evidence", "body", "meta"))
_RESULT_KEYS = frozenset(("rule", "name", "title", "severity", "status", "message", "evidence", "hint", "reference"))
_EVIDENCE_KEYS = frozenset(("line", "text", "where"))


def _evidence_plain(e: Evidence | None) -> dict[str, Any] | None:
    return None if e is None else {"line": e.line, "text": e.text, "where": e.where}


def card_to_plain(card: Scorecard) -> dict[str, Any]:
    """A Scorecard as plain data (JSON-ready)."""
    return {
        "path": card.path, "pack": card.pack, "verdict": card.verdict.value, "score": card.score,
        "results": [
            {"rule": r.rule, "name": r.name, "title": r.title, "severity": r.severity.value,
             "status": r.status.value, "message": r.message,
             "evidence": [{"line": e.line, "text": e.text, "where": e.where} for e in r.evidence],
             "hint": r.hint, "reference": r.reference}
            for r in card.results
        ],
        "report_year": card.report_year, "error": card.error, "fmt": card.fmt,
        "pack_evidence": _evidence_plain(card.pack_evidence), "year_evidence": _evidence_plain(card.year_evidence),
        "body": card.body, "meta": dict(card.meta),
    }


def _fail(what: str) -> CardFormatError:
    return CardFormatError(f"not a scorecard: {what}")


def _mapping(value: Any, keys: frozenset[str], what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping) or value.keys() != keys:
        raise _fail(f"{what} is not a mapping with keys {sorted(keys)}")
    return value


def _str(value: Any, what: str, *, optional: bool = False) -> Any:
    if isinstance(value, str) or (optional and value is None):
        return value
    raise _fail(f"{what} is {type(value).__name__}")


def _int(value: Any, what: str) -> Any:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _fail(f"{what} is {type(value).__name__}")


def _evidence(value: Any, what: str) -> Evidence:
    e = _mapping(value, _EVIDENCE_KEYS, what)
    return Evidence(line=_int(e["line"], f"{what}.line"), text=_str(e["text"], f"{what}.text"),
                    where=_str(e["where"], f"{what}.where", optional=True))


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(f"{what} is not a list")
    return value


def _result(value: Any, what: str) -> RuleResult:
    r = _mapping(value, _RESULT_KEYS, what)
    try:
        severity, status = Severity(r["severity"]), Status(r["status"])
    except ValueError as exc:
        raise _fail(f"{what}: {exc}") from None
    return RuleResult(
        rule=_str(r["rule"], f"{what}.rule"), name=_str(r["name"], f"{what}.name"),
        title=_str(r["title"], f"{what}.title"), severity=severity, status=status,
        message=_str(r["message"], f"{what}.message"),
        evidence=tuple(_evidence(e, f"{what}.evidence") for e in _list(r["evidence"], f"{what}.evidence")),
        hint=_str(r["hint"], f"{what}.hint", optional=True), reference=_str(r["reference"], f"{what}.reference", optional=True),
    )


def card_from_plain(data: Any) -> Scorecard:
    """Plain data → Scorecard; CardFormatError when it has another shape."""
    d = _mapping(data, _CARD_KEYS, "the card")
    try:
        verdict = Verdict(d["verdict"])
    except ValueError as exc:
        raise _fail(str(exc)) from None
    score = d["score"]
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
        raise _fail(f"score is {type(score).__name__}")
    meta = d["meta"]
    if not isinstance(meta, Mapping):
        raise _fail("meta is not a mapping")
    pe, ye = d["pack_evidence"], d["year_evidence"]
    return Scorecard(
        path=_str(d["path"], "path"), pack=_str(d["pack"], "pack", optional=True), verdict=verdict,
        score=None if score is None else float(score),
        results=tuple(_result(r, f"results[{i}]") for i, r in enumerate(_list(d["results"], "results"))),
        report_year=_int(d["report_year"], "report_year"), error=_str(d["error"], "error", optional=True),
        fmt=_str(d["fmt"], "fmt", optional=True),
        pack_evidence=None if pe is None else _evidence(pe, "pack_evidence"),
        year_evidence=None if ye is None else _evidence(ye, "year_evidence"),
        body=_str(d["body"], "body", optional=True), meta=dict(meta),
    )
