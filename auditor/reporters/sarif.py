"""`--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub's upload-sarif and others).

One run for the whole batch. `tool.driver.rules` has an entry per rule of the packs used, with
title, message, help (hint and reference) and default level; results are emitted for fail
(level error) and warn (level warning) only; a waived rule is emitted at its severity's level
with an external suppression carrying the waiver's reason, so viewers show it as suppressed.
Locations point at the report as given on the command line (relative to %SRCROOT%) and, when the
evidence has a line number, at that line with the line's text as snippet. Only for text and
Markdown files are those the file's own lines; for docx, pdf, html … they count lines of the
extracted text, so there the location names the file only and carries the extracted line (and
page or paragraph, when known) in its message and properties. A report that could not
be checked becomes a tool execution notification, and the invocation is then not successful.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any, IO, Sequence, TYPE_CHECKING
from urllib.parse import quote

from auditor import OUTPUT_MARKER, __version__
from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status
from auditor.reporters import _common

NAME = "sarif"
BINARY = False
EXTENSION = "sarif"  # a file of this format is called X.sarif
MEDIA_TYPE = "text/plain; charset=utf-8"  # served as text to be saved, not shown
DESCRIPTION = "SARIF 2.1.0 (GitHub code scanning)"

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def artifact(path: str) -> dict[str, Any]:
    """artifactLocation for a path as given: relative ones against %SRCROOT%, percent-encoded."""
    p = path.replace("\\", "/")
    if p.startswith("/"):
        return {"uri": "file://" + quote(p)}
    p = posixpath.normpath(p)
    return {"uri": quote(p), "uriBaseId": "%SRCROOT%"}


def _location(card: Scorecard, e: Evidence | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact(card.path)}
    loc: dict[str, Any] = {"physicalLocation": physical}
    if e is None:
        return loc
    if e.line and _common.file_lines(card):
        physical["region"] = {"startLine": e.line, "snippet": {"text": e.text}}
        if e.where:
            loc["message"] = {"text": e.where}
    elif e.line or e.where:
        loc["message"] = {"text": _common.where(e)}
        loc["properties"] = {"extractedLine": e.line, "where": e.where}
    return loc


def _help(spec: Any) -> str:
    parts = [spec.hint] if spec.hint else []
    ref = str(spec.reference)
    if spec.reference.text:
        ref += f"：{spec.reference.text}"
    parts.append(f"依据：{ref}")
    return "\n".join(parts)


def rule_entry(rule_id: str, spec: Any, result: RuleResult | None) -> dict[str, Any]:
    if spec is None:  # a rule known only from its results
        assert result is not None
        return {"id": rule_id, "name": result.name, "shortDescription": {"text": result.title},
                "defaultConfiguration": {"level": LEVEL[result.severity]}}
    return {
        "id": spec.id,
        "name": spec.name,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.message},
        "help": {"text": _help(spec)},
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "properties": {"kind": spec.kind, "severity": spec.severity.value,
                       "tags": ["compliance", spec.kind]},
    }


def _result(card: Scorecard, r: RuleResult, index: int) -> dict[str, Any]:
    primary = _common.first_line(r)
    text = r.message or r.title
    if r.status is not Status.WAIVED and r.hint:
        text += f"\n修改建议：{r.hint}"
    out: dict[str, Any] = {
        "ruleId": r.rule,
        "ruleIndex": index,
        "level": {Status.FAIL: "error", Status.WARN: "warning"}.get(r.status, LEVEL[r.severity]),
        "message": {"text": text},
        "locations": [_location(card, primary)],
        "properties": {"status": r.status.value, "title": r.title, "pack": r.addon or card.pack},
    }
    related = [e for e in r.evidence if e.line and e is not primary]
    if related:
        out["relatedLocations"] = [dict(_location(card, e), id=i) for i, e in enumerate(related, 1)]
    if r.status is Status.WAIVED:
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": _common.waiver_reason(r)}]
    return out


def document(cards: Sequence[Scorecard], ctx: Any = None) -> dict[str, Any]:
    ids = _common.rule_ids(cards, ctx)
    first = {r.rule: (c, r) for c in reversed(cards) for r in c.results}
    rules = []
    for rid in ids:
        card, result = first.get(rid, (None, None))
        spec = _common.rule_spec(ctx, card.pack if card else None, rid)
        if spec is None and result is None:
            continue
        rules.append(rule_entry(rid, spec, result))
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_result(c, r, index[r.rule]) for c in cards for r in c.results
               if r.status in _common.FINDING]
    notes = [{"level": "error", "message": {"text": f"{c.path}：无法检查：{c.error}"},
              "locations": [_location(c, None)]} for c in cards if c.verdict == "error"]
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    run = {
        "tool": {"driver": {"name": "auditor", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"reports": [
            {"path": c.path, "pack": c.pack, "verdict": c.verdict, "score": c.score,
             "reportYear": c.report_year, "body": c.body} for c in cards]},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run], "properties": {"generator": OUTPUT_MARKER}}


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    json.dump(document(cards, ctx), out, ensure_ascii=False, indent=2)
    out.write("\n")


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.sarif as _this

    _contract: Reporter = _this
