"""Kind `figures_consistent`: the figures of one sentence do not contradict each other.

params: `total_patterns` (words that introduce a total: 共, 合计 …), `part_patterns` (words that
introduce its parts: 其中 …), `share_patterns` (rates that are shares of a whole: 出庭应诉率,
覆盖率 …; a growth rate may exceed 100 %, a share may not), `stop_patterns` (a clause after the
parts that no longer lists them: 同比, 增长 …).
Within one sentence (up to 。 ; ! ?) it finds
- parts that add up to more than their total: “共办理45件，其中行政复议30件、行政诉讼20件”;
- a share over 100 %: “出庭应诉率120%”;
- a share beside two counts of one measure word that do not give it: “应诉案件12件，负责人出庭10件，
  出庭应诉率100%” (10 ÷ 12 ≈ 83.3 %), “行政应诉案件97件，负责人出庭90件，出庭率95.9%” (≈ 92.8 %); a
  rate agrees within its last digit (93 of 97 is 95.88 %: “95.9%” agrees), and approximate counts
  (余, 多) are not compared.
Counts are read in Arabic and Chinese numerals (十二次, 1.2万人次); only counts with the same
measure word are compared.
Passes: “共办理45件，其中行政复议30件、行政诉讼15件。” Fails: the examples above.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Scoping, Target
from auditor.checks.matching import _absent, evidence, required_literals
from auditor.checks.numerals import Figure, counts, percent
from auditor.document.patterns import Rx
from auditor.document.search import Needs
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
COUNT_REACH = 40  # characters between a rate's counts and its name
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


def _totals(line: Line, a: int, b: int, p: Params, totals: Patterns | None = None) -> list[tuple[str, Evidence]]:
    """`totals`: the total patterns that can match text[a:b] (default all of them)."""
    text, found = line.norm, []
    for rx in p.total_patterns if totals is None else totals:
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


def _rates(line: Line, a: int, b: int, p: Params, shares: Patterns | None = None) -> list[tuple[str, Evidence]]:
    """`shares`: the share patterns that can match text[a:b] (default all of them)."""
    text = line.norm
    found: list[tuple[str, Evidence]] = []
    last_pct = a  # counts before an earlier rate of the sentence belong to that rate
    named = [m for rx in (p.share_patterns if shares is None else shares) for m in rx.finditer(text, a, b)]
    if not named:
        return found  # most sentences name no rate
    for m in sorted(named, key=lambda m: m.start()):
        pct = percent(text, m.end(), min(b, m.end() + RATE_REACH))
        if pct is None or _CLAUSE_END.search(text, m.end(), pct.span[0]):
            continue
        name = m.group()
        if pct.value > 100:
            found.append((f"{name}{pct.text}超过100%", evidence(line, (m.start(), pct.span[1]))))
        else:
            said = _disagrees(name, pct, _before_parts(text, min(last_pct, m.start()), m.start(), p), m.start())
            if said:
                found.append((said[0], evidence(line, (said[1], pct.span[1]))))
        last_pct = pct.span[1]
    return found


def _decimals(pct: Figure) -> int:
    digits = pct.text.rstrip("%").strip()
    return len(digits.split(".")[1]) if "." in digits else 0


def _disagrees(name: str, pct: Figure, before: list[Figure], at: int) -> tuple[str, int] | None:
    """A rate that no two counts of one measure word before it give (出庭 10件 of 应诉 12件 is
    83.3 %, not 100 %): (what to say, where the counts start), or None. Approximate counts (余, 多)
    prove nothing; a rate of 100 % needs equal counts, another agrees within its last digit
    (93 of 97 is 95.88 %: 95.9 % and 96 % both agree). The rate's counts are those of the measure
    word nearest before it (“学法6次、专题学法8次,组织145名干部参加考试,合格率100%” rates the 145名,
    not the 次), within COUNT_REACH characters of the rate (“中心组专题学法8次、全镇干部集中学法16次,
    重点学习《宪法》…等法律法规及…最新论述,组织国家工作人员学法考试,参考率、合格率均达100%”: the 次
    are far from the rate of those who sat the test)."""
    by_unit: dict[str, list[Figure]] = {}
    for f in before:
        if not any(c in f.text for c in "余多"):
            by_unit.setdefault(f.unit, []).append(f)
    if before:
        by_unit = {u: figs for u, figs in by_unit.items() if u == before[-1].unit}
        by_unit = {u: [f for f in figs if at - f.span[1] <= COUNT_REACH] for u, figs in by_unit.items()}
    tolerance = 1e-9 if pct.value == 100 else 10.0 ** -_decimals(pct) + 1e-9
    for figs in by_unit.values():
        if len(figs) < 2:
            continue
        pairs = [(x, y) for i, x in enumerate(figs) for y in figs[i + 1:]]
        if any(abs(100 * min(x.value, y.value) / max(x.value, y.value) - pct.value) <= tolerance
               for x, y in pairs if max(x.value, y.value) > 0):
            continue
        x, y = figs[-2], figs[-1]
        whole, share = max(x.value, y.value), min(x.value, y.value)
        if whole <= 0:
            continue
        return (f"{name}为{pct.text}，但同一句中为{x.text}、{y.text}（{_n(share)}÷{_n(whole)}≈"
                f"{100 * share / whole:.1f}%）", x.span[0])
    return None


def _before_parts(text: str, a: int, b: int, p: Params) -> list[Figure]:
    """Counts in text[a:b] that are not parts of a total (after 其中)."""
    cut = min((m.start() for rx in p.part_patterns for m in [rx.search(text, a, b)] if m), default=b)
    return counts(text, a, cut)


def _able(patterns: list[tuple[Rx, Needs]], text: str) -> list[tuple[Rx, Needs]]:
    """The patterns whose literals (`required_literals`) are all in `text`: the others cannot match in it."""
    return [x for x in patterns if not (x[1] and _absent(x[1], text))]


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    found: list[tuple[str, Evidence]] = []
    # A line is read only with the total and share patterns whose literals it holds (many lines
    # hold no 共 nor 率): what reading it with all of them finds (their matches lie in it).
    totals = [(rx, required_literals(rx)) for rx in p.total_patterns]
    shares = [(rx, required_literals(rx)) for rx in p.share_patterns]
    for line in target.body:
        norm = line.norm
        if not _FIGURE_CHAR.search(norm):
            continue
        line_totals = tuple(rx for rx, _ in _able(totals, norm))
        line_shares = tuple(rx for rx, _ in _able(shares, norm))
        if not line_totals and not line_shares:
            continue
        for s in _SENTENCE.finditer(norm):
            a, b = s.span()
            if line_totals:
                found += _totals(line, a, b, p, line_totals)
            if line_shares:
                found += _rates(line, a, b, p, line_shares)
    if not found:
        return Outcome(Met.MET, "未发现相互矛盾的数字")
    shown = found[:MAX_SHOWN]
    more = f"等{len(found)}处" if len(found) > MAX_SHOWN else ""
    return Outcome(Met.UNMET, "；".join(msg for msg, _ in shown) + more + "。", tuple(ev for _, ev in shown))


KIND: CheckKind[Params] = Kind("figures_consistent", Params, check, Scoping.OPTIONAL, __doc__)
