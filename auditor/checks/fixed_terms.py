"""Kind `fixed_terms`: fixed political and legal terms in their official wording.

params: `terms`: a curated list, each entry {pattern (the wrong form, a regular expression),
right (what to write), source (where the right form is fixed), examples: {pass, fail}}; each
entry's examples run as tests. Lookarounds in a pattern keep terms that are right in their own
context (重大执法决定法制审核, 全国法制宣传日) from being flagged.
Passes: “深入学习贯彻习近平法治思想”. Fails: “习近平法制思想”, “法制政府”.
"""

from __future__ import annotations

from typing import Any, Mapping

from auditor.checks import Context
from auditor.checks._common import evidence, search_all
from auditor.models import Document, Met, Outcome

KIND = "fixed_terms"
PARAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["terms"],
    "properties": {
        "terms": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False,
            "required": ["pattern", "right", "source", "examples"],
            "properties": {
                "pattern": {"type": "string", "minLength": 1},
                "right": {"type": "string", "minLength": 1},
                "source": {"type": "string", "minLength": 1},
                "examples": {"type": "object", "additionalProperties": False, "required": ["pass", "fail"],
                             "properties": {"pass": {"type": "string"}, "fail": {"type": "string"}}},
            },
        }},
        "shown": {"type": "integer", "minimum": 1, "maximum": 50},
    },
}


def check(doc: Document, params: Mapping[str, Any], ctx: Context) -> Outcome:
    shown = int(params.get("shown", 10))
    terms = params["terms"]
    right_of = {id(t["pattern"]): t for t in terms}
    hits = search_all(doc.content, [t["pattern"] for t in terms])
    if not hits:
        return Outcome(Met.MET, "未发现不规范表述")
    found: dict[str, list[int]] = {}
    for ln, m in hits:
        term = right_of[id(m.re)]
        found.setdefault(f"“{m.group(0)}”应为“{term['right']}”（{term['source']}）", []).append(ln.no)
    listed = "；".join(f"第{'、'.join(map(str, dict.fromkeys(nos)))}行{text}" for text, nos in list(found.items())[:shown])
    more = f"；另有{len(found) - shown}种" if len(found) > shown else ""
    return Outcome(Met.UNMET, listed + more, tuple(evidence(ln, m.span()) for ln, m in hits[:shown]))
