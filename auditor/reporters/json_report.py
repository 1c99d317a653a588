"""`--format json`: the machine contract (auditor/schema/report.schema.json), version 1."""

from __future__ import annotations

import json
from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor import OUTPUT_MARKER
from auditor.models import Evidence, Scorecard

NAME = "json"
BINARY = False
EXTENSION = "json"  # a file of this format is called X.json
MEDIA_TYPE = "application/json"
DESCRIPTION = "JSON (version 1 contract)"


def _evidence(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"line": e.line, "text": e.text}
    if e.where:
        out["where"] = e.where
    if e.fix is not None:  # a mechanical correction (公文规范): what to write instead
        out["fix"] = {"at": e.fix.at, "found": e.fix.found, "replace": e.fix.replace}
    return out


def _section(card: Scorecard, addon: str) -> str:
    return next((a["name"] for a in card.meta.get("addons", ()) if a.get("id") == addon), addon)


def card_dict(card: Scorecard) -> dict[str, Any]:
    """One report in the contract's shape (plus documented extra fields)."""
    return {
        "path": card.path,
        "pack": card.pack,
        "pack_name": card.meta.get("pack_name"),
        "pack_evidence": _evidence(card.pack_evidence) if card.pack_evidence else None,
        "pack_confidence": card.pack_confidence,
        "pack_doubts": list(card.meta.get("pack_doubts") or ()),  # why the confidence is low (Chinese)
        "report_year": card.report_year,
        "year_evidence": _evidence(card.year_evidence) if card.year_evidence else None,
        "body": card.body,
        "format": card.fmt,
        "verdict": card.verdict,
        "score": card.score,
        "error": card.error,
        "published": card.meta.get("published"),
        "ocr_pages": card.meta.get("ocr_pages"),  # pages read by OCR (--ocr), else null
        "similarity": card.meta.get("similarity"),  # --similarity: share found in other reports
        "previous": card.meta.get("previous"),  # --previous: last year's match and findings
        "results": [
            {
                "rule": r.rule,
                "name": r.name,
                "title": r.title,
                # str enums: json writes their values, and skipping `.value` is measurably faster
                "severity": r.severity,
                "status": r.status,
                "message": r.message,
                "evidence": [_evidence(e) for e in r.evidence],
                "hint": r.hint,
                "reference": r.reference,
                **({"addon": r.addon, "section": _section(card, r.addon)} if r.addon else {}),
                **({"data": dict(r.data)} if r.data else {}),  # structured findings (AR209), when any
            }
            for r in card.results
        ],
    }


# ---- the same JSON, faster, for big batches ------------------------------------------------
# json.dumps(card_dict(card)) spends most of its time re-encoding what every card repeats: the
# keys and the rules' names, titles, hints and references. card_json writes the same bytes from
# pieces, the repeated strings encoded once (a test holds it to json.dumps on many cards).

_esc = json.encoder.encode_basestring  # the C encoder of one str, ensure_ascii=False
_RULE_TEXT_MAX = 20_000  # entries in each table below: more than any set of packs makes; a bound all the same


def _value(v: Any) -> str:
    if v is None:
        return "null"
    if type(v) is str:
        return _esc(v)
    if type(v) is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False)


def _evidence_json(e: Evidence | None) -> str:
    if e is None:
        return "null"
    line = "null" if e.line is None else int.__repr__(e.line) if type(e.line) is int else _value(e.line)
    where = f', "where": {_esc(e.where)}' if e.where else ""
    fix = "" if e.fix is None else (f', "fix": {{"at": {int.__repr__(e.fix.at)}, "found": {_esc(e.fix.found)}, '
                                    f'"replace": {_esc(e.fix.replace)}}}')
    return f'{{"line": {line}, "text": {_esc(e.text)}{where}{fix}}}'


def _head(r: Any) -> str:
    key = (r.rule, r.name, r.title, r.severity._value_, r.status._value_)  # plain str: enums hash in Python
    found = _RESULT_HEAD.get(key)
    if found is None:
        found = (f'{{"rule": {_esc(r.rule)}, "name": {_esc(r.name)}, "title": {_esc(r.title)}, '
                 f'"severity": {_esc(r.severity)}, "status": {_esc(r.status)}, "message": ')
        if len(_RESULT_HEAD) < _RULE_TEXT_MAX:
            _RESULT_HEAD[key] = found
    return found


def _tail(hint: str | None, reference: str | None) -> str:
    key = (hint, reference)
    found = _RESULT_TAIL.get(key)
    if found is None:
        found = f'"hint": {_value(hint)}, "reference": {_value(reference)}'
        if len(_RESULT_TAIL) < _RULE_TEXT_MAX:
            _RESULT_TAIL[key] = found
    return found


_RESULT_HEAD: dict[tuple[Any, ...], str] = {}  # what a result's JSON says before its message
_RESULT_TAIL: dict[tuple[Any, ...], str] = {}  # its hint and reference


def card_json(card: Scorecard) -> str:
    """json.dumps(card_dict(card), ensure_ascii=False), byte for byte."""
    meta = card.meta
    results = []
    for r in card.results:
        addon = f', "addon": {_esc(r.addon)}, "section": {_value(_section(card, r.addon))}' if r.addon else ""
        if r.data:
            addon += f', "data": {json.dumps(dict(r.data), ensure_ascii=False)}'
        results.append(f'{_head(r)}{_esc(r.message)}, "evidence": [{", ".join([_evidence_json(e) for e in r.evidence])}], '
                       f'{_tail(r.hint, r.reference)}{addon}}}')
    score = card.score
    return (
        f'{{"path": {_value(card.path)}, "pack": {_value(card.pack)}, "pack_name": {_value(meta.get("pack_name"))}, '
        f'"pack_evidence": {_evidence_json(card.pack_evidence)}, "pack_confidence": {_value(card.pack_confidence)}, '
        f'"pack_doubts": [{", ".join(_value(d) for d in meta.get("pack_doubts") or ())}], '
        f'"report_year": {_value(card.report_year)}, '
        f'"year_evidence": {_evidence_json(card.year_evidence)}, "body": {_value(card.body)}, '
        f'"format": {_value(card.fmt)}, "verdict": {_esc(card.verdict)}, '
        f'"score": {float.__repr__(score) if type(score) is float and abs(score) < float("inf") else _value(score)}, '
        f'"error": {_value(card.error)}, "published": {_value(meta.get("published"))}, '
        f'"ocr_pages": {_value(meta.get("ocr_pages"))}, "similarity": {_value(meta.get("similarity"))}, '
        f'"previous": {_value(meta.get("previous"))}, "results": [{", ".join(results)}]}}'
    )


def pair_dict(pair: Any) -> dict[str, Any]:
    return {"a": pair.a, "b": pair.b, "share_a": pair.share_a, "share_b": pair.share_b,
            "passages": [{"chars": p.chars, "a_lines": list(p.a_lines), "b_lines": list(p.b_lines),
                          "a_text": p.a_text, "b_text": p.b_text, "a_part": p.a_part, "b_part": p.b_part}
                         for p in pair.passages]}


def similarity_dict(ctx: object) -> dict[str, Any] | None:
    """--similarity's batch-level result (the pairs), or None when it did not run."""
    cross = getattr(ctx, "cross", None)
    result = getattr(cross, "similarity", None)
    if result is None:
        return None
    return {"threshold": getattr(cross, "similarity_threshold", None), "compared": result.compared,
            "candidates": result.candidates, "exact": result.exact, "pairs": [pair_dict(p) for p in result.pairs]}


def roster_dict(ctx: object) -> dict[str, Any] | None:
    """--roster's result (the bodies without a report first), or None when no roster was given."""
    roster = getattr(ctx, "roster", None)
    return None if roster is None else dict(roster.as_json())


def _summary(cards: Sequence[Scorecard]) -> dict[str, int]:
    return {
        "reports": len(cards),
        "passed": sum(c.verdict == "pass" for c in cards),
        "failed": sum(c.verdict == "fail" for c in cards),
        "errors": sum(c.verdict == "error" for c in cards),
    }


def document(cards: Sequence[Scorecard], config: str | None = None, *,
             similarity: dict[str, Any] | None = None, roster: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole output; `generator` marks it as auditor's (a later run never audits it),
    `config` names the configuration file applied (null: the defaults), `similarity` holds the
    copied pairs of --similarity (null when it did not run)."""
    out = {"version": 1, "generator": OUTPUT_MARKER, "config": config,
           **({"roster": roster} if roster is not None else {}),  # --roster: before the reports
           "reports": [card_dict(c) for c in cards], "similarity": similarity, "summary": _summary(cards)}
    return out


PRETTY_UP_TO = 20  # reports; beyond that one compact line (json's C encoder skips indentation)


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: object = None) -> None:
    config = (getattr(ctx, "options", None) or {}).get("config")  # the config file applied, or null
    similarity = similarity_dict(ctx)
    roster = roster_dict(ctx)
    if len(cards) <= PRETTY_UP_TO:
        out.write(json.dumps(document(cards, config, similarity=similarity, roster=roster), ensure_ascii=False,
                             indent=2))
        out.write("\n")
        return
    # Many reports: the same bytes as json.dumps(document(cards, config, similarity=…)), written a
    # report at a time, so the whole document never sits in memory next to the cards.
    out.write(f'{{"version": 1, "generator": {json.dumps(OUTPUT_MARKER)}, '
              f'"config": {json.dumps(config, ensure_ascii=False)}, '
              + (f'"roster": {json.dumps(roster, ensure_ascii=False)}, ' if roster is not None else "")
              + '"reports": [')
    for i, card in enumerate(cards):
        out.write((", " if i else "") + card_json(card))
    out.write('], "similarity": ' + json.dumps(similarity, ensure_ascii=False)
              + ', "summary": ' + json.dumps(_summary(cards)) + "}\n")


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.json_report as _this

    _contract: Reporter = _this
