"""Kind `pattern_absent`: none of the patterns occurs in the report (or in the rule's scope).

params: `patterns`; `found_label` (what a match is, for the finding: 草稿占位内容); `fix` (`date`:
each found line's date is corrected to 2024年3月8日, a mechanical fix `auditor annotate` writes
as a tracked change).
Passes: a finished text. Fails: “涉法涉诉信访XX件”, “【待补充】”, “2024年x月x日”.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Scoping, Target
from auditor.checks.matching import Hit, evidence, places, search_all
from auditor.models import Line, Met, Outcome

MAX_SHOWN = 10


class Params(NamedTuple):
    patterns: Patterns
    found_label: str = "不应出现的内容"
    fix: Literal["date"] | None = None


def _quoted(ln: Line, m: Hit) -> str:
    """The placeholder as a reader finds it in the original text: a short one (“_”, “*次”, a unit
    whose number is missing) with the words before it (“受理_件”, “活动*次”, “信访 件”)."""
    text = ln.text if len(ln.text) == len(ln.norm) else ln.norm
    a, b = m.span()
    found = m.group(0)
    if found[:1].isspace() or len(found.strip()) <= 2 and not found[:1].isalnum():
        a = max(0, a - 2)
        b += 1 if m.group(0).endswith("_") and b < len(text) else 0
    return text[a:b].strip()


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    hits = search_all(target.lines, p.patterns)
    if not hits:
        return Outcome(Met.MET, "未发现")
    lines = [ln for _, ln in sorted({ln.no: ln for ln, _ in hits}.items())]
    listed = places(lines[:MAX_SHOWN], compact=True) + ("等处" if len(lines) > MAX_SHOWN else "")
    texts = list(dict.fromkeys(_quoted(ln, m) for ln, m in hits[:MAX_SHOWN]))
    texts = [t for t in texts if not any(t != u and t in u for u in texts)]  # “待补充” inside “【数据待补充】”
    found = "".join(f"“{t}”" for t in texts)
    shown = [evidence(ln, m.span()) for ln, m in hits[:MAX_SHOWN]]
    if p.fix == "date":
        from auditor.checks._fixes import date_fix
        from auditor.models import replace

        fixes = [date_fix(ln.text) for ln, _ in hits[:MAX_SHOWN]]
        shown = [e if f is None else replace(e, fix=f) for e, f in zip(shown, fixes)]
        right = "、".join(dict.fromkeys(f"“{(ln.text[:f.at] + f.replace + ln.text[f.at + len(f.found):]).strip()}”"
                                        for (ln, _), f in zip(hits, fixes) if f is not None))
        if right:
            found += f"，应写作{right}"
    return Outcome(Met.UNMET, f"{listed}有{p.found_label}{found}。", tuple(shown))


KIND: CheckKind[Params] = Kind("pattern_absent", Params, check, Scoping.OPTIONAL, __doc__)
