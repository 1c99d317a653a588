"""Scorecard ⇄ plain data (dicts, lists, str, int, float, bool, None): what the result cache
stores and what batch workers send back. The plain form is the Scorecard's fields by name,
enums as their words; `card_from_plain` checks the shape and raises CardFormatError on
anything else, so a damaged cache entry or a garbled worker answer never becomes a result.
"""

from __future__ import annotations

from typing import Any

from auditor.errors import CardFormatError
from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status, Verdict

_CARD_KEYS = frozenset(("path", "pack", "verdict", "score", "results", "report_year", "error", "fmt",
                        "pack_evidence", "year_evidence", "body", "meta"))
_RESULT_KEYS = frozenset(("rule", "name", "title", "severity", "status", "message", "evidence", "hint", "reference",
                          "addon"))
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
             "hint": r.hint, "reference": r.reference, "addon": r.addon}
            for r in card.results
        ],
        "report_year": card.report_year, "error": card.error, "fmt": card.fmt,
        "pack_evidence": _evidence_plain(card.pack_evidence), "year_evidence": _evidence_plain(card.year_evidence),
        "body": card.body, "meta": dict(card.meta),
    }


def _fail(what: str) -> CardFormatError:
    return CardFormatError(f"not a scorecard: {what}")


# The checks below run for every cached card read back, so they test exact built-in types
# (what json.loads gives) instead of isinstance against typing's ABCs, ten times slower.

def _mapping(value: Any, keys: frozenset[str], what: str) -> dict[str, Any]:
    if type(value) is not dict or value.keys() != keys:
        raise _fail(f"{what} is not a mapping with keys {sorted(keys)}")
    return value


def _text(value: Any, what: str) -> str:
    if type(value) is not str:
        raise _fail(f"{what} is {type(value).__name__}")
    return value


def _maybe_text(value: Any, what: str) -> str | None:
    if value is not None and type(value) is not str:
        raise _fail(f"{what} is {type(value).__name__}")
    return value


def _maybe_int(value: Any, what: str) -> int | None:
    if value is not None and type(value) is not int:
        raise _fail(f"{what} is {type(value).__name__}")
    return value


def _evidence(value: Any, what: str) -> Evidence:
    e = _mapping(value, _EVIDENCE_KEYS, what)
    return Evidence(_maybe_int(e["line"], what), _text(e["text"], what), _maybe_text(e["where"], what))


def _list(value: Any, what: str) -> list[Any]:
    if type(value) is not list:
        raise _fail(f"{what} is not a list")
    return value


_SEVERITY = {s.value: s for s in Severity}
_STATUS = {s.value: s for s in Status}
_VERDICT = {v.value: v for v in Verdict}


def _result(value: Any, what: str) -> RuleResult:
    r = _mapping(value, _RESULT_KEYS, what)
    severity, status = _SEVERITY.get(r["severity"]), _STATUS.get(r["status"])
    if severity is None or status is None:
        raise _fail(f"{what}: severity {r['severity']!r}, status {r['status']!r}")
    return RuleResult(
        _text(r["rule"], what), _text(r["name"], what), _text(r["title"], what), severity, status,
        _text(r["message"], what), tuple(_evidence(e, what) for e in _list(r["evidence"], what)),
        _maybe_text(r["hint"], what), _maybe_text(r["reference"], what), _maybe_text(r["addon"], what),
    )


def card_from_plain(data: Any) -> Scorecard:
    """Plain data → Scorecard; CardFormatError when it has another shape."""
    d = _mapping(data, _CARD_KEYS, "the card")
    verdict = _VERDICT.get(d["verdict"]) if type(d["verdict"]) is str else None
    if verdict is None:
        raise _fail(f"verdict {d['verdict']!r}")
    score = d["score"]
    if score is not None and type(score) not in (int, float):
        raise _fail(f"score is {type(score).__name__}")
    meta = d["meta"]
    if type(meta) is not dict:
        raise _fail("meta is not a mapping")
    pe, ye = d["pack_evidence"], d["year_evidence"]
    return Scorecard(
        path=_text(d["path"], "path"), pack=_maybe_text(d["pack"], "pack"), verdict=verdict,
        score=None if score is None else float(score),
        results=tuple(_result(r, "results") for r in _list(d["results"], "results")),
        report_year=_maybe_int(d["report_year"], "report_year"), error=_maybe_text(d["error"], "error"),
        fmt=_maybe_text(d["fmt"], "fmt"),
        pack_evidence=None if pe is None else _evidence(pe, "pack_evidence"),
        year_evidence=None if ye is None else _evidence(ye, "year_evidence"),
        body=_maybe_text(d["body"], "body"), meta=meta,
    )
