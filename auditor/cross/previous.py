"""Last year's edition (`auditor check --previous DIR_OR_FILES`, rules XR201 and XR202).

Each report of the batch is matched to the previous year's report of the same issuing body:
by the body's name and the year (report year − 1), else by the name alone, else by the text
they share (a body renamed, a signature missing); the match and how it was made are recorded.
For a matched pair it reports
- the share of this year's comparable text carried over unchanged from last year, and the
  carried-over passages (the same shingle comparison as --similarity: names, dates and figures
  masked, so a report sent again with new dates is still found);
- figures repeated unchanged in the same clause (“开展普法活动12场” both years);
- how many of last year's enumerated plan measures (一是…二是…, （一）…) reappear in this
  year's achievements part, by keyword overlap (character pairs, the generic words of
  rules/data/shared-text.yaml left out), with the pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from auditor.models import Document, Evidence, RuleResult, Scorecard
from auditor.cross import crossrules, streams
from auditor.cross.streams import Stream, Text

TEXT_MATCH = 0.3  # share of text that matches a report to last year's without a common body name
TEXT_CANDIDATES = 3  # editions compared exactly when matching by text: those whose signatures agree most
UPTAKE = 0.5  # share of a measure's keywords an achievement paragraph must contain
_CLAUSE = re.compile(r"[^,，;；。!?！？]+")
_FIGURE = re.compile(r"(?<![\d年])\d+(?:\.\d+)?(?![\d年月日])|[零一二三四五六七八九十百千万两]+(?=[余多]?(?:次|件|场|人|名|个|项|期|批|家|所|份|篇|条|户|起))")
_YEARISH = re.compile(r"^(19|20)\d{2}$")
_HEADLINE = re.compile(r"[^。;；]+")


@dataclass(frozen=True)
class Edition:
    path: str
    body: str | None
    year: int | None
    doc: Document
    text: Stream
    signature: Any = None  # MinHash signature (similarity.signature_of), None when too short


@dataclass(frozen=True)
class Result:
    editions: int  # last year's reports read
    per_report: Mapping[str, tuple[list[RuleResult], dict[str, Any]]] = field(default_factory=dict)


def _key(body: str | None) -> str:
    return re.sub(r"\s+", "", body or "")


def read_editions(files: Sequence[str], packs: Mapping[str, Any], *, max_bytes: int | None = None) -> list[Edition]:
    out = []
    for f in files:
        doc = streams.read(f, packs, max_bytes=max_bytes)
        if doc is None:
            continue
        from auditor.cross import similarity

        body = streams.body_of(doc)
        text = streams.stream(doc, body)
        out.append(Edition(path=f, body=body, year=doc.report_year, doc=doc, text=text,
                           signature=similarity.signature_of(text)))
    return out


def match(card: Scorecard, text: Stream, editions: Sequence[Edition]) -> tuple[Edition | None, str | None, str]:
    """(edition, how: "body_year" | "body" | "text", a sentence saying so)."""
    key = _key(card.body)
    same = [e for e in editions if key and _key(e.body) == key and e.path != card.path]
    if card.report_year:
        prior = [e for e in same if e.year == card.report_year - 1]
        if prior:
            return prior[0], "body_year", f"发文单位相同、年度为{card.report_year - 1}年"
    older = [e for e in same if not (card.report_year and e.year and e.year >= card.report_year)]
    if older:
        latest = max(older, key=lambda e: e.year or 0)
        return latest, "body", f"发文单位相同（年度{'为' + str(latest.year) + '年' if latest.year else '不明'}）"
    from auditor.cross import similarity

    best_share = 0.0
    best: Edition | None = None
    for e in _likeliest(card, text, editions):
        pair, _, _ = similarity.compare(text, e.text)
        if pair.share_a > best_share:
            best_share, best = pair.share_a, e
    if best is not None and best_share >= TEXT_MATCH:
        return best, "text", f"未找到同一发文单位的上年报告，按正文相同比例（{round(100 * best_share)}%）匹配"
    who = card.body or "本单位"
    year = f"{card.report_year - 1}年" if card.report_year else "上一年度"
    return None, None, f"未找到{who}{year}的报告"


def _likeliest(card: Scorecard, text: Stream, editions: Sequence[Edition]) -> list[Edition]:
    """The earlier editions whose MinHash signatures agree most with this report's: only these
    are compared exactly, so matching by text costs one comparison per edition, not one each."""
    from auditor.cross import similarity

    sig = similarity.signature_of(text)
    if sig is None:
        return []
    scored = [(float((e.signature == sig).mean()), i) for i, e in enumerate(editions)
              if e.signature is not None and e.path != card.path
              and not (card.report_year and e.year and e.year >= card.report_year)]
    scored.sort(reverse=True)
    return [editions[i] for est, i in scored[:TEXT_CANDIDATES] if est > 0]


def _figures(text: str) -> dict[tuple[str, tuple[str, ...]], str]:
    """(masked clause, its figures) → the clause, for clauses with a figure that is no year."""
    out = {}
    for m in _CLAUSE.finditer(text):
        clause = m.group().strip()
        figs = tuple(f for f in _FIGURE.findall(clause) if not _YEARISH.match(f))
        if figs and len(clause) >= 6:
            out[(streams.mask(clause), figs)] = clause
    return out


def repeated_figures(cur: Stream, prev: Stream) -> list[tuple[int, str, int]]:
    """(line, clause, last year's line) for each clause whose figures are unchanged."""
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for no, text in prev.lines.items():
        for key in _figures(text):
            seen.setdefault(key, no)
    out = []
    for no, text in cur.lines.items():
        for key, clause in _figures(text).items():
            if key in seen:
                out.append((no, clause, seen[key]))
    return out


def measures(doc: Document) -> list[tuple[int, str]]:
    """Last year's plan measures: (line, headline) for each （一）/1. item or 一是/第一， item."""
    from auditor.document.patterns import INLINE_ENUM, SUB_HEADING

    out = []
    for part in doc.parts_with_role("plan"):
        for ln in part.body:
            m = SUB_HEADING.match(ln.norm)
            if m:
                out.append((ln.no, ln.norm[m.end():]))
                continue
            cuts = [x.end() for x in INLINE_ENUM.finditer(ln.norm)]
            for a, b in zip(cuts, [*cuts[1:], len(ln.norm)]):
                out.append((ln.no, ln.norm[a:b]))
    return [(no, _headline(t)) for no, t in out if _headline(t)]


def _headline(text: str) -> str:
    m = _HEADLINE.match(text.strip())
    return (m.group() if m else "").strip()[:60]


def keywords(text: str) -> set[str]:
    """Character pairs of the Chinese text, without the generic words."""
    _, generic = streams.shared_text()
    for w in sorted(generic, key=len, reverse=True):
        text = text.replace(w, "|")
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


def uptake(prev: Document, cur: Stream) -> list[dict[str, Any]]:
    """For each measure of last year's plan: its best match in this year's achievements."""
    paragraphs = [(no, t, keywords(t)) for no, t in cur.lines.items() if cur.role_of.get(no) == "achievements"]
    out = []
    for pno, measure in measures(prev):
        kw = keywords(measure)
        best: tuple[float, int | None, str] = (0.0, None, "")
        if kw:
            for no, text, pkw in paragraphs:
                overlap = len(kw & pkw) / len(kw)
                if overlap > best[0]:
                    best = (overlap, no, text)
        out.append({"measure": measure, "previous_line": pno, "overlap": round(best[0], 2),
                    "taken_up": bool(kw) and best[0] >= UPTAKE,
                    "line": best[1] if best[0] >= UPTAKE else None,
                    "text": streams_excerpt(best[2]) if best[0] >= UPTAKE else None})
    return out


def streams_excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _carryover(rule: crossrules.CrossRule, threshold: float, share: float, pair: Any,
               figures: list[tuple[int, str, int]], ed: Edition, settings: Any) -> RuleResult:
    msg = f"与上一年度报告（{ed.path}）相同的比例为{_pct(share)}"
    if figures:
        msg += f"，{len(figures)}处数字与上年相同"
    evidence = []
    for ps in pair.passages[:3]:
        span = f"第{ps.b_lines[0]}行" if ps.b_lines[0] == ps.b_lines[1] else f"第{ps.b_lines[0]}-{ps.b_lines[1]}行"
        evidence.append(Evidence(line=ps.a_lines[0], text=ps.a_text,
                                 where=f"{ps.a_part + '，' if ps.a_part else ''}同上年报告{span}"))
    for no, clause, pno in figures[:3]:
        evidence.append(Evidence(line=no, text=clause, where=f"数字与上年报告第{pno}行相同"))
    if share > threshold:
        return crossrules.result(rule, False, msg, evidence, severity=settings.severity)
    return crossrules.result(rule, True, msg + f"（警戒线{_pct(threshold)}）", severity=settings.severity)


def _plan(rule: crossrules.CrossRule, threshold: float, pairs: list[dict[str, Any]], ed: Edition,
          settings: Any) -> RuleResult:
    if not pairs:
        return crossrules.result(rule, None, "上一年度报告未列出可识别的工作安排", severity=settings.severity)
    done = sum(p["taken_up"] for p in pairs)
    missing = 1 - done / len(pairs)
    msg = f"上一年度报告的{len(pairs)}项安排中，{done}项在本年度“主要举措和成效”中有对应内容"
    if missing > threshold:
        evidence = [Evidence(line=None, text=p["measure"], where=f"上年报告第{p['previous_line']}行，未见落实")
                    for p in pairs if not p["taken_up"]][:5]
        return crossrules.result(rule, False, msg, evidence, severity=settings.severity)
    evidence = [Evidence(line=p["line"], text=p["text"] or "", where=f"落实上年安排：{p['measure']}")
                for p in pairs if p["taken_up"]][:3]
    return crossrules.result(rule, True, msg, evidence, severity=settings.severity)


def run(texts: Mapping[str, Text], cards: Sequence[Scorecard], packs: Mapping[str, Any], settings: Any, *,
        max_bytes: int | None = None) -> Result:
    """XR201 and XR202 for each readable report, and what JSON/HTML show of the comparison."""
    from auditor.cross import similarity

    editions = read_editions(settings.previous, packs, max_bytes=max_bytes)
    carry, plan = crossrules.by_check("carryover"), crossrules.by_check("plan_uptake")
    per: dict[str, tuple[list[RuleResult], dict[str, Any]]] = {}
    for card in cards:
        sealed = texts.get(card.path)
        if sealed is None:
            continue
        text = sealed.open()
        ed, how, why = match(card, text, editions)
        info: dict[str, Any] = {"matched": ed.path if ed else None, "match": how, "reason": why}
        results: list[RuleResult] = []
        if ed is None:
            for rule in (carry, plan):
                if rule.id not in settings.disabled:
                    results.append(crossrules.result(rule, None, why, severity=settings.severity))
            per[card.path] = (results, info)
            continue
        pair, _, _ = similarity.compare(text, ed.text)
        figures = repeated_figures(text, ed.text)
        pairs = uptake(ed.doc, text)
        info.update({
            "year": ed.year, "body": ed.body, "carried_over": pair.share_a,
            "passages": [{"line": p.a_lines[0], "previous_line": p.b_lines[0], "chars": p.chars, "text": p.a_text,
                          "part": p.a_part} for p in pair.passages],
            "repeated_figures": [{"line": no, "text": c, "previous_line": pno} for no, c, pno in figures],
            "plan": {"measures": len(pairs), "taken_up": sum(p["taken_up"] for p in pairs), "pairs": pairs},
        })
        if carry.id not in settings.disabled:
            results.append(_carryover(carry, settings.threshold(carry), pair.share_a, pair, figures, ed, settings))
        if plan.id not in settings.disabled:
            results.append(_plan(plan, settings.threshold(plan), pairs, ed, settings))
        per[card.path] = (results, info)
    return Result(editions=len(editions), per_report=per)
