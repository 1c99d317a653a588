"""Small helpers shared by the batch/CI reporters (sarif, junit, github, csv, xlsx, html, markdown).

Pure functions over Scorecards and the ReportContext; no IO, no heavy imports.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from auditor.models import Evidence, RuleResult, Scorecard, Status

#: one-character marks of the summary matrix (html, markdown); waived gets ≈ as in the terminal
MARK = {Status.PASS: "✔", Status.WARN: "⚠", Status.FAIL: "✘", Status.SKIP: "–", Status.WAIVED: "≈"}
STATUS_ZH = {Status.PASS: "通过", Status.WARN: "警告", Status.FAIL: "不合格", Status.SKIP: "不适用", Status.WAIVED: "豁免"}
VERDICT_ZH = {"pass": "合格", "fail": "不合格", "error": "无法检查"}
#: the statuses reported as findings (sheet of findings, SARIF results, annotations)
FINDING = (Status.FAIL, Status.WARN, Status.WAIVED)
MAX_EVIDENCE = 3


def packs_of(ctx: Any) -> dict[str, Any]:
    """ctx.packs (pack id → ruleset.Pack), or {} when the reporter runs without a context."""
    return dict(getattr(ctx, "packs", None) or {})


def doubt_text(card: Scorecard) -> str:
    """Why the report type is not sure (pack_confidence low): the doubts detection named."""
    doubts = [str(d) for d in card.meta.get("pack_doubts") or ()]
    return "把握不大：" + "；".join(doubts) if doubts else "据正文推断，把握不大"


CONFIDENCE_ZH = {"high": "高", "low": "低", None: "指定"}


def confidence_cells(card: Scorecard) -> tuple[str, str]:
    """类型把握 (高 / 低 / 指定 when forced with --pack; empty for a document not checked) and 类型存疑
    (the doubts), the columns a supervisor filters on."""
    if card.verdict == "error" or not card.pack:
        return "", ""
    return CONFIDENCE_ZH.get(card.pack_confidence, ""), "；".join(str(d) for d in card.meta.get("pack_doubts") or ())


def ordered(cards: Sequence[Scorecard], ctx: Any) -> list[Scorecard]:
    """The cards in the order asked for: as given (path order), or with `ctx.sort == "score"` the
    reports that need attention first: unreadable ones, then by ascending score (ties by path)."""
    if getattr(ctx, "sort", "path") != "score":
        return list(cards)
    return sorted(cards, key=lambda c: (c.score is not None, c.score or 0.0, c.path))


def rule_ids(cards: Sequence[Scorecard], ctx: Any = None) -> list[str]:
    """A stable column order of rule ids: the rules of every pack the cards used (packs by id,
    rules in pack order), then ids met only in results (e.g. from a custom pack without
    metadata), sorted. Independent of which reports happen to be in the batch and of their order."""
    packs = packs_of(ctx)
    out: list[str] = []
    seen: set[str] = set()
    addons = [a["id"] for c in cards for a in c.meta.get("addons", ()) if isinstance(a, dict)]
    for pack_id in [*sorted({c.pack for c in cards if c.pack}), *dict.fromkeys(addons)]:
        pack = packs.get(pack_id)
        for rule in getattr(pack, "rules", ()):
            if rule.id not in seen:
                seen.add(rule.id)
                out.append(rule.id)
    extra = sorted({r.rule for c in cards for r in c.results} - seen)
    return out + extra


def report_results(card: Scorecard) -> list[RuleResult]:
    """The results of the report's own pack (not of add-on packs such as 公文规范)."""
    return [r for r in card.results if r.addon is None]


def addon_sections(card: Scorecard) -> list[tuple[str, str, list[RuleResult]]]:
    """(pack id, section name, results) of each add-on pack run with --with, in run order."""
    names = {a["id"]: a["name"] for a in card.meta.get("addons", ()) if isinstance(a, dict)}
    found: dict[str, list[RuleResult]] = {}
    for r in card.results:
        if r.addon:
            found.setdefault(r.addon, []).append(r)
    return [(pid, names.get(pid, pid), rs) for pid, rs in found.items()]


def section_note(results: Sequence[RuleResult]) -> str:
    """“，不影响上方结论” while the section's rules are all warnings (a severity override can
    make one gate the verdict, and then the note would mislead)."""
    from auditor.models import Severity

    return "，不影响上方结论" if all(r.severity is Severity.WARNING for r in results) else ""


def section_tally(results: Sequence[RuleResult]) -> str:
    """通过 6　警告 1 … for a section's results."""
    counts = {s: sum(r.status is s for r in results) for s in Status}
    return "　".join(f"{STATUS_ZH[s]} {n}" for s, n in counts.items() if n)


def rule_spec(ctx: Any, pack_id: str | None, rule_id: str) -> Any:
    """The ruleset.RuleSpec of a rule, or None when the pack is unknown to the context."""
    pack = packs_of(ctx).get(pack_id or "")
    if pack is not None:
        return pack.rule(rule_id)
    for pack in packs_of(ctx).values():
        spec = pack.rule(rule_id)
        if spec is not None:
            return spec
    return None


def rule_titles(cards: Sequence[Scorecard], ctx: Any = None) -> dict[str, str]:
    """rule id → title, from the packs, else from the results."""
    titles = {r.rule: r.title for c in cards for r in c.results}
    for pack in packs_of(ctx).values():
        for rule in pack.rules:
            titles.setdefault(rule.id, rule.title)
    return titles


def statuses(card: Scorecard) -> dict[str, Status]:
    return {r.rule: r.status for r in card.results}


def findings(card: Scorecard) -> list[RuleResult]:
    return [r for r in card.results if r.status in FINDING]


def with_status(card: Scorecard, *wanted: Status) -> list[RuleResult]:
    return [r for r in card.results if r.status in wanted]


#: formats whose evidence line numbers are the file's own lines (loaders keep blank lines); for
#: docx, pdf, html … they count lines of the extracted text, which a code viewer cannot show
FILE_LINE_FORMATS = frozenset({"txt", "md"})


def file_lines(card: Scorecard) -> bool:
    """Whether evidence line numbers of this report are lines of the file itself."""
    return card.fmt is None or card.fmt in FILE_LINE_FORMATS


def first_line(r: RuleResult) -> Evidence | None:
    """The first piece of evidence that has a line number (the place to point at)."""
    return next((e for e in r.evidence if e.line), None)


def first_place(r: RuleResult) -> Evidence | None:
    """The first piece of evidence that says where it is (a location or a line)."""
    return next((e for e in r.evidence if e.where or e.line), None)


def place(e: Evidence) -> str:
    """Where a person finds the evidence: the loader's location in the reader's terms (第3段,
    第2页第1段, 表1 第2行第3列) when it has one, else the line (text files: the file's own line).
    The line of the extracted text stays in the JSON."""
    return e.where or (f"第{e.line}行" if e.line else "")


def where(e: Evidence) -> str:
    """'第3段：text', as the terminal shows evidence."""
    loc = place(e)
    return f"{loc}：{e.text}" if loc else e.text


def fix_text(e: Evidence) -> str:
    """“,”→“，” (or 删去“、”) of a place with a mechanical correction."""
    assert e.fix is not None
    return f"“{e.fix.found}”→“{e.fix.replace}”" if e.fix.replace else f"删去“{e.fix.found}”"


def fixes_line(r: RuleResult) -> str:
    """Every correction of a finding, place by place: “逐处修改（4处）：第6段“(”→“（”、“)”→“）”；第7段…”."""
    by_place: dict[str, list[str]] = {}
    for e in r.evidence:
        if e.fix is not None:
            by_place.setdefault(place(e), []).append(fix_text(e))
    n = sum(len(v) for v in by_place.values())
    return f"逐处修改（{n}处）：" + "；".join(f"{p}{'、'.join(fs)}" for p, fs in by_place.items()) if n else ""


def evidence_lines(r: RuleResult, limit: int = MAX_EVIDENCE) -> list[str]:
    """The evidence as shown: each distinct line once, at most `limit`, then how many more; the
    places with a mechanical correction (公文规范) all, in one line with their corrections."""
    fixes = fixes_line(r)
    if fixes:
        rest = [e for e in r.evidence if e.fix is None and (e.text or e.line)]
        return [*list(dict.fromkeys(where(e) for e in rest))[:limit], fixes]
    shown = list(dict.fromkeys(where(e) for e in r.evidence if e.text or e.line))
    lines = shown[:limit]
    if len(shown) > limit:
        lines.append(f"……另有{len(shown) - limit}处")
    return lines


def detail(r: RuleResult, *, evidence: bool = True) -> str:
    """Message, evidence, hint and reference of a finding as plain lines of text."""
    lines = [r.message] if r.message else []
    if evidence:
        lines += evidence_lines(r)
    if r.status is not Status.WAIVED:
        if r.hint:
            lines.append(f"修改建议：{r.hint}")
        if r.reference:
            lines.append(f"依据：{r.reference}")
    return "\n".join(lines)


def waiver_reason(r: RuleResult) -> str:
    """Why a rule was waived: the waiver's reason travels in the result's message."""
    return r.message or "已豁免"


def signature_fact(card: Scorecard) -> str:
    """'发文单位：某某街道办事处', '署名：中共某某县委书记 张三'; a line that names itself
    (述法人：王芳) is shown as it is, not as '署名：述法人：王芳'."""
    body = card.body or ""
    if _SELF_LABELLED.match(body):
        return body
    return f"{card.meta.get('signature_label') or '发文单位'}：{body}"


_SELF_LABELLED = re.compile(r"^\S{1,6}[:：]")


def score_text(card: Scorecard) -> str:
    return "—" if card.score is None else f"{card.score:g}"


def pass_rates(cards: Iterable[Scorecard], ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """rule id → (passed, applicable). Applicable: the rule ran and was neither skipped nor
    waived; unreadable reports do not count."""
    rates = {rid: (0, 0) for rid in ids}
    for card in cards:
        for r in card.results:
            if r.rule not in rates or r.status in (Status.SKIP, Status.WAIVED):
                continue
            passed, total = rates[r.rule]
            rates[r.rule] = (passed + (r.status is Status.PASS), total + 1)
    return rates


def rate_text(passed: int, total: int) -> str:
    return "—" if total == 0 else f"{round(100 * passed / total)}%"


def counts(cards: Sequence[Scorecard]) -> dict[str, int]:
    return {v: sum(c.verdict == v for c in cards) for v in ("pass", "fail", "error")}


def summary_line(cards: Sequence[Scorecard]) -> str:
    n = counts(cards)
    return f"共 {len(cards)} 份：合格 {n['pass']}，不合格 {n['fail']}，无法检查 {n['error']}"


def rule_heads(cards: Sequence[Scorecard], ctx: Any = None) -> dict[str, str]:
    """rule id → its column head in a batch matrix: the pack's short title (标题, 一, 落款),
    else the title."""
    heads = rule_titles(cards, ctx)
    for pack in packs_of(ctx).values():
        for rule in pack.rules:
            if getattr(rule, "short", ""):
                heads[rule.id] = rule.short
    return heads


def common_prefix(paths: Sequence[str]) -> str:
    """The folder all the paths share ("" for one file or none shared): the batch shows the rest."""
    if len(paths) < 2:
        return ""
    import os

    prefix = os.path.commonprefix([p.replace("\\", "/") for p in paths])
    return prefix[: prefix.rfind("/") + 1]


def verdict_order(card: Scorecard) -> int:
    """Failing reports first, then the unreadable ones, then those that passed."""
    return {"fail": 0, "error": 1}.get(card.verdict, 2)


#: the verdict rule of a run in words (the config's fail_on)
FAIL_ON_ZH = {"error": "有“不合格”项即判为不合格", "warning": "有“不合格”或“警告”项即判为不合格"}


def pack_choice(value: object, ctx: Any) -> str:
    """The report type asked for, in words: 自动识别, or the pack's name."""
    if not value or value == "auto":
        return "自动识别"
    pack = packs_of(ctx).get(str(value))
    return str(pack.name) if pack is not None else str(value)


def roster_lines(ctx: Any) -> list[str]:
    """--roster's result in lines for people: the bodies without a report first."""
    r = getattr(ctx, "roster", None)
    if r is None:
        return []
    lines = [f"报送名单核对：{r.summary()}"]
    if r.missing:
        lines.append("未报送：" + "、".join(r.missing))
    for e in r.duplicates:
        lines.append(f"重复报送：{e.name}（{'、'.join(e.paths)}）")
    if r.unlisted:
        lines.append("不在名单中的报告：" + "、".join(f"{p}（{r.bodies.get(p) or '发文单位不明'}）" for p in r.unlisted))
    return lines


def changes_text(card: Scorecard) -> str:
    """“2 处必须修改、1 处建议修改” (failed and warned checks), “无需修改”, or "" for an unreadable file."""
    if card.verdict == "error":
        return ""
    must = sum(r.status is Status.FAIL for r in card.results)
    may = sum(r.status is Status.WARN for r in card.results)
    parts = [f"{must} 处必须修改" if must else "", f"{may} 处建议修改" if may else ""]
    return "、".join(p for p in parts if p) or "无需修改"
