"""The scorecard as lines of (text, style) pieces: what the rich and the plain text forms share.

No rich here: the plain form (pipes, CI logs) must not import it.
"""

from __future__ import annotations

from typing import IO, Any, Sequence

from auditor.models import RuleResult, Scorecard, Status
from auditor.reporters import _common

MARK = {
    Status.PASS: ("✔ 通过", "green"),
    Status.WARN: ("⚠ 警告", "yellow"),
    Status.FAIL: ("✘ 不合格", "bold red"),
    Status.SKIP: ("– 不适用", "dim"),
    Status.WAIVED: ("≈ 豁免", "cyan"),
}
VERDICT = {"pass": ("合格", "bold green"), "fail": ("不合格", "bold red"), "error": ("无法检查", "bold magenta")}


def detail(r: RuleResult) -> str:
    if r.status is Status.PASS and r.evidence:
        return _common.where(r.evidence[0])  # the message would only repeat the evidence
    if r.status in (Status.PASS, Status.SKIP):
        return r.message
    return _common.detail(r)  # message, evidence, and for a finding how to fix it and why


def counts(card: Scorecard) -> dict[Status, int]:
    out = {s: 0 for s in Status}
    for r in _common.report_results(card):  # add-on sections (公文规范) have their own tally
        out[r.status] += 1
    return out


def section_title(pack_id: str, name: str, results: Sequence[RuleResult]) -> str:
    """The heading of an add-on pack's section (公文规范): its own tally, and while its rules are
    warnings, that they do not change the verdict above."""
    return f"{name}（{pack_id}{_common.section_note(results)}）：{_common.section_tally(results)}"


def header_lines(card: Scorecard) -> list[list[tuple[str, str | None]]]:
    """The scorecard header as lines of (text, style) pieces, shared by the rich and plain forms."""
    verdict, style = VERDICT[card.verdict]
    lines: list[list[tuple[str, str | None]]] = [[("文件：", "bold"), (card.path, None)]]
    if card.verdict == "error":
        return lines + [[("结论：", "bold"), (verdict, style)], [("原因：", "bold"), (card.error or "", None)]]
    pack_name = str(card.meta.get("pack_name") or card.pack)
    by = f"，据{_common.place(card.pack_evidence)}" if card.pack_evidence and card.pack_evidence.line else ""
    kind = [("报告类型：", "bold"), (f"{pack_name}（{card.pack}{by}）", None)]
    if card.pack_confidence == "low":  # inferred from weak signs: say which are missing, and how to force it
        kind.append((f"　（{_common.doubt_text(card)}；如有误，可用 --pack 指定报告类型）", "yellow"))
    lines.append(kind)
    year = [("报告年度：", "bold"), (f"{card.report_year}年" if card.report_year else "无法确定", None)]
    if card.year_evidence and card.year_evidence.line:
        year.append((f"（据{_common.place(card.year_evidence)}）", None))
    if card.meta.get("published"):
        year += [("　发布日期：", "bold"), (str(card.meta["published"]), None)]
    lines.append(year)
    if card.meta.get("ocr_pages"):  # --ocr read scanned pages: misread characters can change rows
        lines.append([("文字来源：", "bold"),
                      (f"OCR识别（第{card.meta['ocr_pages']}页），识别错误可能影响检查结果，请对照原件核对", None)])
    lines += cross_lines(card)
    c = counts(card)
    tally = f"通过 {c[Status.PASS]}　警告 {c[Status.WARN]}　不合格 {c[Status.FAIL]}　不适用 {c[Status.SKIP]}"
    if c[Status.WAIVED]:
        tally += f"　豁免 {c[Status.WAIVED]}"
    lines.append([("结论：", "bold"), (verdict, style), (f"　得分：{card.score:g} / 100　", "bold"), (tally, None)])
    return lines


def cross_lines(card: Scorecard) -> list[list[tuple[str, str | None]]]:
    """Header lines of the cross-report checks: the copied share (--similarity) and last year's
    edition (--previous)."""
    out: list[list[tuple[str, str | None]]] = []
    share = card.meta.get("similarity")
    if share is not None:
        out.append([("与其他报告重复的比例：", "bold"), (f"{round(100 * float(share))}%", None)])
    prev = card.meta.get("previous")
    if isinstance(prev, dict):
        if prev.get("matched"):
            text = f"{prev['matched']}（{prev.get('reason', '')}），沿用比例 {round(100 * prev.get('carried_over', 0))}%"
            plan = prev.get("plan") or {}
            if plan.get("measures"):
                text += f"，上年安排落实 {plan['taken_up']}/{plan['measures']} 项"
        else:
            text = str(prev.get("reason") or "未找到")
        out.append([("上一年度报告：", "bold"), (text, None)])
    return out


def problem_lines(cards: Sequence[Scorecard]) -> list[str]:
    """--quiet: one line per failed or warned rule, failures first, and one per unreadable file;
    nothing for a report without problems."""
    order = {Status.FAIL: 0, Status.WARN: 1}
    lines = []
    for card in cards:
        if card.verdict == "error":
            lines.append(f"{card.path}: {VERDICT['error'][0]}: {card.error or ''}")
            continue
        found = sorted((r for r in card.results if r.status in order), key=lambda r: order[r.status])
        for r in found:
            ev = _common.first_line(r)
            at = f":{ev.line}" if ev and ev.line else ""
            lines.append(f"{card.path}{at}: {MARK[r.status][0]} {r.rule} {r.title}：{r.message}")
    return lines


def write_quiet(cards: Sequence[Scorecard], out: IO[str]) -> None:
    """--quiet: the problems, then the tally (alone when nothing is wrong)."""
    lines = problem_lines(cards)
    lines.append(_common.summary_line(cards))
    out.write("\n".join(lines) + "\n")
def config_line(ctx: Any) -> str:
    """Which configuration file the run applied (nothing when none was: the defaults)."""
    path = (getattr(ctx, "options", None) or {}).get("config")
    return f"配置文件：{path}" if path else ""
