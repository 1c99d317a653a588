"""Scorecard ⇄ plain data (dicts, lists, str, int, float, bool, None): what the result cache
stores and what batch workers send back. The plain form is the Scorecard's fields by name,
enums as their words; `card_from_plain` checks the shape and raises CardFormatError on
anything else, so a damaged cache entry or a garbled worker answer never becomes a result.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.errors import CardFormatError
from auditor.models import Evidence, Fix, RuleResult, Scorecard, Severity, Status, Verdict

_CARD_KEYS = frozenset(("path", "pack", "verdict", "score", "results", "report_year", "error", "fmt",
                        "pack_evidence", "pack_confidence", "year_evidence", "body", "meta"))
_RESULT_KEYS = frozenset(("rule", "name", "title", "severity", "status", "message", "evidence", "hint", "reference",
                          "addon"))
_RESULT_KEYS_DATA = _RESULT_KEYS | {"data"}  # `data` is written only when a check filled it
_EVIDENCE_KEYS = frozenset(("line", "text", "where"))
_FIXED_KEYS = frozenset(("line", "text", "where", "fix"))  # "fix" only where there is one
_FIX_KEYS = frozenset(("at", "found", "replace"))


def _evidence_plain(e: Evidence | None) -> dict[str, Any] | None:
    if e is None:
        return None
    if e.fix is None:
        return {"line": e.line, "text": e.text, "where": e.where}
    return {"line": e.line, "text": e.text, "where": e.where,
            "fix": {"at": e.fix.at, "found": e.fix.found, "replace": e.fix.replace}}


def _fix(value: Any, what: str) -> Fix:
    if type(value) is not dict or value.keys() != _FIX_KEYS:
        raise _fail(f"{what} is not a fix mapping")
    at, found, new = value["at"], value["found"], value["replace"]
    if type(at) is not int or type(found) is not str or type(new) is not str:
        raise _fail(f"{what}: a field of the wrong type")
    return _tuple_new(Fix, (at, found, new))


def card_to_plain(card: Scorecard) -> dict[str, Any]:
    """A Scorecard as plain data (JSON-ready)."""
    return {
        "path": card.path, "pack": card.pack, "verdict": card.verdict.value, "score": card.score,
        "results": [
            {"rule": r.rule, "name": r.name, "title": r.title, "severity": r.severity.value,
             "status": r.status.value, "message": r.message,
             "evidence": [_evidence_plain(e) for e in r.evidence],
             "hint": r.hint, "reference": r.reference, "addon": r.addon, **({"data": dict(r.data)} if r.data else {})}
            for r in card.results
        ],
        "report_year": card.report_year, "error": card.error, "fmt": card.fmt,
        "pack_evidence": _evidence_plain(card.pack_evidence), "pack_confidence": card.pack_confidence,
        "year_evidence": _evidence_plain(card.year_evidence),
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
    if type(value) is not dict or (value.keys() != _EVIDENCE_KEYS and value.keys() != _FIXED_KEYS):
        raise _fail(f"{what} is not an evidence mapping")
    line, text, where = value["line"], value["text"], value["where"]
    if (line is not None and type(line) is not int) or type(text) is not str or (
            where is not None and type(where) is not str):
        raise _fail(f"{what}: a field of the wrong type")
    fix = _fix(value["fix"], what) if "fix" in value else None
    return _tuple_new(Evidence, (line, text, where, fix))  # the fields are checked: skip the Python-level __new__


def _list(value: Any, what: str) -> list[Any]:
    if type(value) is not list:
        raise _fail(f"{what} is not a list")
    return value


_SEVERITY = {s.value: s for s in Severity}
_STATUS = {s.value: s for s in Status}
_VERDICT = {v.value: v for v in Verdict}
_tuple_new = tuple.__new__
_NO_DATA: dict[str, Any] = {}
# _result and _evidence build the records positionally: a record that gains a field must be
# added to them (and to card_to_plain), which this makes impossible to miss.
if (Evidence._fields != ("line", "text", "where", "fix") or Fix._fields != ("at", "found", "replace") or RuleResult._fields != (
        "rule", "name", "title", "severity", "status", "message", "evidence", "hint", "reference", "addon",
        "data")):
    raise ImportError("auditor.pool.codec is out of step with the records in auditor.models")


def _result(r: Any) -> RuleResult:
    # inline checks: this runs ~20 times per cached card
    if type(r) is not dict or (r.keys() != _RESULT_KEYS and r.keys() != _RESULT_KEYS_DATA):
        raise _fail("a result is not a mapping with the result's keys")
    data = r.get("data", _NO_DATA)
    if type(data) is not dict:
        raise _fail("a result's data is not a mapping")
    rule, name, title, message = r["rule"], r["name"], r["title"], r["message"]
    hint, reference, addon, evidence = r["hint"], r["reference"], r["addon"], r["evidence"]
    severity, status = r["severity"], r["status"]
    if (type(rule) is not str or type(name) is not str or type(title) is not str or type(message) is not str
            or type(severity) is not str or type(status) is not str or type(evidence) is not list
            or (hint is not None and type(hint) is not str)
            or (reference is not None and type(reference) is not str)
            or (addon is not None and type(addon) is not str)):
        raise _fail(f"result {rule!r}: a field of the wrong type")
    sev, st = _SEVERITY.get(severity), _STATUS.get(status)
    if sev is None or st is None:
        raise _fail(f"result {rule!r}: severity {severity!r}, status {status!r}")
    shown = tuple([_evidence(e, "evidence") for e in evidence])
    return _tuple_new(RuleResult, (rule, name, title, sev, st, message, shown, hint, reference, addon, data))


def _confidence(value: Any) -> str | None:
    if value not in (None, "high", "low"):
        raise _fail(f"pack_confidence is {value!r}")
    return str(value) if value else None


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
        results=tuple([_result(r) for r in _list(d["results"], "results")]),
        report_year=_maybe_int(d["report_year"], "report_year"), error=_maybe_text(d["error"], "error"),
        fmt=_maybe_text(d["fmt"], "fmt"),
        pack_evidence=None if pe is None else _evidence(pe, "pack_evidence"),
        pack_confidence=_confidence(d["pack_confidence"]),
        year_evidence=None if ye is None else _evidence(ye, "year_evidence"),
        body=_maybe_text(d["body"], "body"), meta=meta,
    )


# ---- the worker wire form ------------------------------------------------------------------
# A batch worker sends each card to the parent. As plain dicts, a text report's card is ~8.6 KB
# of marshal data, most of it the rules' own titles, hints and references, which both processes
# already hold (the worker is forked after the packs are loaded). The wire form is the card as
# nested tuples in field order, with every string of the packs sent as its index in a table both
# ends build from the same packs: ~4× smaller, and encoded and checked several times faster.

class Strings:
    """A table of strings both ends of a pipe hold: each is sent as its index."""

    __slots__ = ("strings", "index", "by_index")

    def __init__(self, strings: Any) -> None:
        self.strings: tuple[str, ...] = tuple(dict.fromkeys(s for s in strings if type(s) is str))
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.strings)}
        self.by_index: dict[Any, str] = dict(enumerate(self.strings))


def pack_strings(packs: Any) -> Strings:
    """The strings a card repeats from the packs: rule ids, names, titles, messages, hints,
    references, pack names and labels."""
    found: list[Any] = []
    for pack in packs.values():
        found += (pack.id, pack.name, getattr(pack, "signature_label", None))
        for rule in pack.rules:
            found += (rule.id, rule.name, rule.title, rule.message, rule.hint, rule.reference.cited)
    return Strings(found)


_WIRE_CARD = ("path", "pack", "verdict", "score", "results", "report_year", "error", "fmt", "pack_evidence",
              "pack_confidence", "year_evidence", "body", "meta")
if Scorecard._fields != _WIRE_CARD:
    raise ImportError("auditor.pool.codec's wire form is out of step with Scorecard: add the field to both ends")


def card_to_wire(card: Scorecard, table: Strings) -> tuple[Any, ...]:
    """A Scorecard as nested tuples of plain values (marshal-ready), pack strings as indexes."""
    s = table.index.get
    return (
        # `_value_`, not `.value`: the enum property costs a Python call, 34 per card
        card.path, card.pack, card.verdict._value_, card.score,
        tuple([(s(r.rule, r.rule), s(r.name, r.name), s(r.title, r.title), r.severity._value_, r.status._value_,
                s(r.message, r.message), tuple([(e.line, e.text, e.where) if e.fix is None else (e.line, e.text, e.where, tuple(e.fix))
                                       for e in r.evidence]),
                None if r.hint is None else s(r.hint, r.hint),
                None if r.reference is None else s(r.reference, r.reference), r.addon, dict(r.data))
               for r in card.results]),
        card.report_year, card.error, card.fmt,
        None if card.pack_evidence is None else tuple(card.pack_evidence[:3]), card.pack_confidence,
        None if card.year_evidence is None else tuple(card.year_evidence[:3]),
        card.body, dict(card.meta),
    )


def _wire_evidence(value: Any, what: str) -> Evidence:
    if type(value) is not tuple or len(value) not in (3, 4):
        raise _fail(f"{what} is not an evidence triple (or a triple and its fix)")
    line, text, where = value[:3]
    if (line is not None and type(line) is not int) or type(text) is not str or (
            where is not None and type(where) is not str):
        raise _fail(f"{what}: a field of the wrong type")
    if len(value) == 3:
        return _tuple_new(Evidence, (line, text, where, None))
    fix = value[3]
    if (type(fix) is not tuple or len(fix) != 3 or type(fix[0]) is not int or type(fix[1]) is not str
            or type(fix[2]) is not str):
        raise _fail(f"{what}: a fix of the wrong shape")
    return _tuple_new(Evidence, (line, text, where, _tuple_new(Fix, fix)))


def card_from_wire(data: Any, table: Strings) -> Scorecard:
    """The wire form → Scorecard, every field checked as card_from_plain does (an index must
    be in the table); CardFormatError when it has another shape."""
    if type(data) is not tuple or len(data) != 13:
        raise _fail("the card is not a 13-tuple")
    path, pack, verdict_word, score, results, report_year, error, fmt, pe, confidence, ye, body, meta = data
    verdict = _VERDICT.get(verdict_word) if type(verdict_word) is str else None
    if verdict is None:
        raise _fail(f"verdict {verdict_word!r}")
    if score is not None and type(score) not in (int, float):
        raise _fail(f"score is {type(score).__name__}")
    if type(meta) is not dict:
        raise _fail("meta is not a mapping")
    if type(results) is not tuple:
        raise _fail("results is not a tuple")
    s = table.by_index.get  # an index → its string; a string (not a key) stays itself
    out = []
    for r in results:
        if type(r) is not tuple or len(r) != 11:
            raise _fail("a result is not an 11-tuple")
        rule, name, title, severity, status, message, evidence, hint, reference, addon, data = r
        rule, name, title, message = s(rule, rule), s(name, name), s(title, title), s(message, message)
        if hint is not None:
            hint = s(hint, hint)
        if reference is not None:
            reference = s(reference, reference)
        sev = _SEVERITY.get(severity) if type(severity) is str else None
        st = _STATUS.get(status) if type(status) is str else None
        if (sev is None or st is None or type(rule) is not str or type(name) is not str or type(title) is not str
                or type(message) is not str or type(evidence) is not tuple
                or (hint is not None and type(hint) is not str)
                or (reference is not None and type(reference) is not str)
                or (addon is not None and type(addon) is not str) or type(data) is not dict):
            raise _fail(f"result {rule!r}: a field of the wrong type or an index outside the table")
        out.append(_tuple_new(RuleResult, (rule, name, title, sev, st, message,
                                           tuple([_wire_evidence(e, "evidence") for e in evidence]),
                                           hint, reference, addon, data)))
    return Scorecard(
        path=_text(path, "path"), pack=_maybe_text(pack, "pack"), verdict=verdict,
        score=None if score is None else float(score), results=tuple(out),
        report_year=_maybe_int(report_year, "report_year"), error=_maybe_text(error, "error"),
        fmt=_maybe_text(fmt, "fmt"),
        pack_evidence=None if pe is None else _wire_evidence(pe, "pack_evidence"),
        pack_confidence=_confidence(confidence),
        year_evidence=None if ye is None else _wire_evidence(ye, "year_evidence"),
        body=_maybe_text(body, "body"), meta=meta,
    )


def options_to_plain(options: Any) -> tuple[Any, ...]:
    """AuditOptions as plain data, for a worker that was not forked with them (the web's)."""
    return tuple(dict(v) if isinstance(v, Mapping) else v for v in options)


def options_from_plain(plain: Any) -> Any:
    from auditor.run.options import AuditOptions

    return AuditOptions(*plain)
