"""`--format json`: the machine contract (auditor/schema/report.schema.json), version 1."""

from __future__ import annotations

import json
from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor import OUTPUT_MARKER
from auditor.models import Evidence, Scorecard

NAME = "json"
BINARY = False
DESCRIPTION = "JSON (version 1 contract)"


def _evidence(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"line": e.line, "text": e.text}
    if e.where:
        out["where"] = e.where
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
                "evidence": [{"line": e.line, "text": e.text, "where": e.where} if e.where
                             else {"line": e.line, "text": e.text} for e in r.evidence],
                "hint": r.hint,
                "reference": r.reference,
                **({"addon": r.addon, "section": _section(card, r.addon)} if r.addon else {}),
            }
            for r in card.results
        ],
    }


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


def _summary(cards: Sequence[Scorecard]) -> dict[str, int]:
    return {
        "reports": len(cards),
        "passed": sum(c.verdict == "pass" for c in cards),
        "failed": sum(c.verdict == "fail" for c in cards),
        "errors": sum(c.verdict == "error" for c in cards),
    }


def document(cards: Sequence[Scorecard], config: str | None = None, *,
             similarity: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole output; `generator` marks it as auditor's (a later run never audits it),
    `config` names the configuration file applied (null: the defaults), `similarity` holds the
    copied pairs of --similarity (null when it did not run)."""
    return {"version": 1, "generator": OUTPUT_MARKER, "config": config, "reports": [card_dict(c) for c in cards],
            "similarity": similarity,
            "summary": _summary(cards)}


PRETTY_UP_TO = 20  # reports; beyond that one compact line (json's C encoder skips indentation)


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: object = None) -> None:
    config = (getattr(ctx, "options", None) or {}).get("config")  # the config file applied, or null
    similarity = similarity_dict(ctx)
    if len(cards) <= PRETTY_UP_TO:
        out.write(json.dumps(document(cards, config, similarity=similarity), ensure_ascii=False, indent=2))
        out.write("\n")
        return
    # Many reports: the same bytes as json.dumps(document(cards, config, similarity=…)), written a
    # report at a time, so the whole document never sits in memory next to the cards.
    out.write(f'{{"version": 1, "generator": {json.dumps(OUTPUT_MARKER)}, '
              f'"config": {json.dumps(config, ensure_ascii=False)}, "reports": [')
    for i, card in enumerate(cards):
        out.write((", " if i else "") + json.dumps(card_dict(card), ensure_ascii=False))
    out.write('], "similarity": ' + json.dumps(similarity, ensure_ascii=False)
              + ', "summary": ' + json.dumps(_summary(cards)) + "}\n")


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.json_report as _this

    _contract: Reporter = _this
