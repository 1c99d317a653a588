"""Kind `figures_consistent`: the figures of one sentence do not contradict each other.

params: `total_patterns` (words that introduce a total: 共, 合计 …), `part_patterns` (words that
introduce its parts: 其中 …), `share_patterns` (rates that are shares of a whole: 出庭应诉率,
覆盖率 …; a growth rate may exceed 100 %, a share may not), `stop_patterns` (a clause after the
parts that no longer lists them: 同比, 增长 …).
Within one sentence (up to 。 ; ! ?) it finds
- parts that add up to more than their total: “共办理45件，其中行政复议30件、行政诉讼20件”;
- a share over 100 %: “出庭应诉率120%”;
- a share of 100 % beside two counts of the same thing that contradict it: “应诉案件12件，负责人出庭10件，
  出庭应诉率100%”.
Counts are read in Arabic and Chinese numerals (十二次, 1.2万人次); only counts with the same
measure word are compared.
Passes: “共办理45件，其中行政复议30件、行政诉讼15件。” Fails: the examples above.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Scoping, Target
from auditor.checks.matching import evidence
from auditor.checks.numerals import Figure, counts, percent
from auditor.models import Evidence, Line, Met, Outcome

_SENTENCE = re.compile(r"[^。;!?]+")
_CLAUSE_END = re.compile(r"[,;。]")
#: A line worth reading: a digit (any character `str.isdigit` accepts: the decimal digits `\d`
#: finds, and the superscript, circled and other digits it does not) or a numeral of a count.
_FIGURE_CHAR = re.compile(
    "[\\d十百千万两"
    "\u00b2-\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")
TOTAL_REACH = 16  # characters between 共 and its figure (共办理各类行政复议案件45件)
RATE_REACH = 8  # characters between a rate's name and its percentage (出庭应诉率达到100%)
MAX_SHOWN = 5


class Params(NamedTuple):
    total_patterns: Patterns
    part_patterns: Patterns
    share_patterns: Patterns
    stop_patterns: Patterns = ()


def _n(x: float) -> str:
    return f"{x:g}"


def _parts(text: str, start: int, end: int, unit: str, stop: Patterns) -> list[Figure]:
    """Counts with the unit from `start` (just after 其中) to the end of the list of parts."""
    out: list[Figure] = []
    pos = start
    while pos < end:
        m = _CLAUSE_END.search(text, pos, end)
        clause_end = m.start() if m else end
        clause = text[pos:clause_end]
        if out and any(rx.search(clause) for rx in stop):
            break
        out += [f for f in counts(text, pos, clause_end) if f.unit == unit]
        pos = clause_end + 1
    return out


def _totals(line: Line, a: int, b: int, p: Params) -> list[tuple[str, Evidence]]:
    text, found = line.norm, []
    for rx in p.total_patterns:
        for m in rx.finditer(text, a, b):
            reach = _CLAUSE_END.search(text, m.end(), min(b, m.end() + TOTAL_REACH))
            first = counts(text, m.end(), reach.start() if reach else min(b, m.end() + TOTAL_REACH))
            if not first:
                continue
            total = first[0]
            after = next((pm for rx2 in p.part_patterns for pm in [rx2.search(text, total.span[1], b)] if pm), None)
            if after is None:
                continue
            parts = _parts(text, after.end(), b, total.unit, p.stop_patterns)
            if parts and sum(f.value for f in parts) > total.value + 1e-9:
                listed = "、".join(f.text for f in parts)
                found.append((f"总数{total.text}，其中{listed}，合计{_n(sum(f.value for f in parts))}{total.unit}，"
                              f"超过总数", evidence(line, (total.span[0], parts[-1].span[1]))))
    return found


def _rates(line: Line, a: int, b: int, p: Params) -> list[tuple[str, Evidence]]:
    text, found = line.norm, []
    for rx in p.share_patterns:
        for m in rx.finditer(text, a, b):
            pct = percent(text, m.end(), min(b, m.end() + RATE_REACH))
            if pct is None or _CLAUSE_END.search(text, m.end(), pct.span[0]):
                continue
            name = m.group()
            if pct.value > 100:
                found.append((f"{name}{pct.text}超过100%", evidence(line, (m.start(), pct.span[1]))))
            elif pct.value == 100:
                before = _before_parts(text, a, m.start(), p)
                by_unit: dict[str, list[Figure]] = {}
                for f in before:
                    by_unit.setdefault(f.unit, []).append(f)
                for figs in by_unit.values():
                    if len(figs) >= 2 and figs[-1].value < figs[-2].value:
                        found.append((f"{name}为100%，但同一句中为{figs[-2].text}、{figs[-1].text}",
                                      evidence(line, (figs[-2].span[0], pct.span[1]))))
                        break
    return found


def _before_parts(text: str, a: int, b: int, p: Params) -> list[Figure]:
    """Counts in text[a:b] that are not parts of a total (after 其中)."""
    cut = min((m.start() for rx in p.part_patterns for m in [rx.search(text, a, b)] if m), default=b)
    return counts(text, a, cut)


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    found: list[tuple[str, Evidence]] = []
    for line in target.body:
        if not _FIGURE_CHAR.search(line.norm):
            continue
        for s in _SENTENCE.finditer(line.norm):
            found += _totals(line, s.start(), s.end(), p) + _rates(line, s.start(), s.end(), p)
    if not found:
        return Outcome(Met.MET, "未发现相互矛盾的数字")
    shown = found[:MAX_SHOWN]
    more = f"等{len(found)}处" if len(found) > MAX_SHOWN else ""
    return Outcome(Met.UNMET, "；".join(msg for msg, _ in shown) + more + "。", tuple(ev for _, ev in shown))


KIND: CheckKind[Params] = Kind("figures_consistent", Params, check, Scoping.OPTIONAL, __doc__)
