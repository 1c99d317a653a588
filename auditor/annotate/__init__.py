"""`auditor annotate`: the draft back as a new .docx with a Word comment (批注) at each finding.

A .docx gets its comments in a copy of itself (the input is only read); a .pdf, .txt, .md,
.html, .doc or .wps becomes a new .docx of its extracted text with the same comments. One comment
on the title gives the verdict, the score and the counts; each finding gets a comment with the
rule, what is wrong, how to fix it and the clause, on the paragraph its evidence quotes, or,
when something is missing, on the paragraph after which it should go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from auditor.annotate.locate import Mark, analyse, marks, title_line
from auditor.errors import AuditorError
from auditor.models import Scorecard, Status
from auditor.run.engine import Audit

__all__ = ["AnnotateError", "Annotated", "annotate_bytes", "annotate_file", "annotate_isolated", "default_output"]

_STATUS = {Status.FAIL: "不合格", Status.WARN: "警告"}


class AnnotateError(AuditorError):
    """The document could not be audited (the reason is the scorecard's, in Chinese)."""


@dataclass(frozen=True)
class Annotated:
    card: Scorecard
    data: bytes  # the .docx
    comments: int
    changes: int = 0  # tracked changes (公文规范 corrections)


def default_output(path: str) -> str:
    """DRAFT.docx → DRAFT.批注.docx beside it (any input: a .docx is what is written); an
    earlier round's output DRAFT.批注.docx → DRAFT.批注2.docx. An existing file of that name is
    kept unless it is auditor's own unsaved output: then the next free round's name."""
    from auditor.annotate.own import free_output

    return free_output(path)


def verdict_text(card: Scorecard) -> str:
    from auditor.reporters._common import VERDICT_ZH, score_text

    n = {s: sum(r.status is s for r in card.results) for s in Status}
    return (f"自查结论：{VERDICT_ZH.get(card.verdict, card.verdict)}，得分 {score_text(card)} / 100"
            f"（{card.meta.get('pack_name') or card.pack}）。通过 {n[Status.PASS]} 项，警告 {n[Status.WARN]} 项，"
            f"不合格 {n[Status.FAIL]} 项，不适用 {n[Status.SKIP]} 项。各项问题见对应段落的批注。")


def comment_text(mark: Mark) -> str:
    r = mark.result
    lines = [f"【{_STATUS.get(r.status, r.status.value)}】{r.rule} {r.title}"]
    if r.message:
        lines.append(f"问题：{r.message}")
    if mark.after:  # a missing part: the comment says what to add here, not the problem again
        lines.append(f"此处之后应补充：{r.hint or r.title}")
    elif r.hint:
        lines.append(f"修改建议：{r.hint}")
    if r.reference:
        lines.append(f"依据：{r.reference}")
    return "\n".join(lines)


def _places(group: list[Mark]) -> str:
    """“另见：第7段、第9段” for a finding that names more than one place."""
    seen: dict[str, None] = {}
    for m in group[1:]:
        e = next((e for e in m.result.evidence if e.line == m.line), None)
        seen.setdefault(e.where if e is not None and e.where else f"第{m.line}行", None)
    return "另见：" + "、".join(seen) if seen else ""


def _fix_lines(applied: list[tuple[str, str, str]], total: int) -> str:
    """The corrections of one rule written as tracked changes, place by place (the first 30),
    for its summary comment; `total`: the corrections the finding lists."""
    shown = "；".join(f"{where}“{old}”→“{new}”" if new else f"{where}删去“{old}”" for where, old, new in applied[:30])
    more = f"等{len(applied)}处" if len(applied) > 30 else f"共{len(applied)}处"
    rest = total - len(applied)
    left = f"；另有{rest}处与其他修订重合或在文中无法定位（如自动编号），见检查报告" if rest > 0 else ""
    return f"已在文中以修订标出（{more}，可在“审阅”中逐条或全部接受、拒绝）：{shown}{left}"


def _build(analysis: Audit, data: bytes | None, author: str = "") -> tuple[bytes, int, int]:
    """The annotated .docx: `data` is the original .docx, or None to write the text anew.
    Returns the bytes, the number of comments and the number of tracked changes."""
    import datetime as dt

    from auditor.annotate import ooxml, own, word
    from auditor.annotate.locate import MARKED

    author = author or word.AUTHOR
    raw = analysis.source
    assert raw is not None and analysis.document is not None
    if data is not None:
        from auditor.loaders.docx import extract_anchored

        reread, anchors = extract_anchored(data, path=raw.path)
        if len(reread.lines) != len(raw.lines):  # cannot happen: the same bytes, the same reader
            raise AnnotateError("Word 文件读取结果不一致，无法定位批注")
        document = word.open_docx(data)
        own.remove_own_comments(document)  # the round before: replaced, never piled up
        paragraphs = word.body_paragraphs(document)
        per_line = [paragraphs[k] for k in anchors]
    else:
        document, per_line = word.text_document(raw)
    text_of = {ln.no: ln.text for ln in analysis.document.lines}

    def paragraph_of(line_no: int) -> Any:
        # a blank line (text input) has no paragraph: the nearest one before it, else after it
        for k in [*range(line_no - 1, -1, -1), *range(line_no, len(per_line))]:
            if 0 <= k < len(per_line) and per_line[k] is not None:
                return per_line[k]
        return None

    def phrase(p: Any, quote: str) -> tuple[int, int] | None:
        """Where the evidence's quote (an excerpt, “…” at cut ends) is in the paragraph."""
        text = ooxml.paragraph_text(p)
        pieces = sorted((q.strip() for q in quote.split("…") if q.strip()), key=len, reverse=True)
        for q in pieces[:1]:
            i = text.find(q)
            if i >= 0:
                return i, i + len(q)
        return None

    # 1. the mechanical corrections, found in the paragraphs as they are now
    edits: dict[int, list[tuple[int, int, str]]] = {}
    paras: dict[int, Any] = {}
    applied: dict[int, list[tuple[str, str, str]]] = {}  # id(result) → (where, old, new)
    first_fix: dict[int, tuple[Any, tuple[int, int]]] = {}
    for r in analysis.card.results:
        if r.status not in MARKED:
            continue
        for e in r.evidence:
            fix = e.fix
            if fix is None or e.line is None or not (0 < e.line <= len(per_line)) or e.line not in text_of:
                continue
            p = per_line[e.line - 1]
            if p is None:
                continue
            text = ooxml.paragraph_text(p)
            at = ooxml.find(text, text_of[e.line], fix.at, len(fix.found))
            if at is None or text[at:at + len(fix.found)] != fix.found:
                continue  # in numbering Word renders itself, or changed since: commented only
            spans = edits.setdefault(id(p), [])
            if any(a < at + len(fix.found) and at < b for a, b, _ in spans):
                continue  # two rules correcting the same characters: the first one
            spans.append((at, at + len(fix.found), fix.replace))
            paras[id(p)] = p
            applied.setdefault(id(r), []).append((e.where or f"第{e.line}行", fix.found, fix.replace))
            first_fix.setdefault(id(r), (p, (at, at + len(fix.found))))

    # 2. the comments: the verdict on the title; one per finding, on the phrase it quotes
    targets: list[tuple[Any, str, tuple[int, int] | None]] = []
    title = title_line(analysis.document)
    if title is not None and paragraph_of(title.no) is not None:
        targets.append((paragraph_of(title.no), verdict_text(analysis.card), None))
    groups: dict[int, list[Mark]] = {}
    for mark in marks(analysis):
        groups.setdefault(id(mark.result), []).append(mark)
    for group in groups.values():
        first = group[0]
        p = paragraph_of(first.line)
        if p is None:
            continue
        text = comment_text(first)
        more = _places(group) if not first.after else ""
        done = applied.get(id(first.result))
        if done:
            total = sum(1 for e in first.result.evidence if e.fix is not None)
            text += "\n" + _fix_lines(done, total)
        elif more:
            text += "\n" + more
        span = None
        if not first.after:
            fixed = first_fix.get(id(first.result))
            if fixed is not None and fixed[0] is p:
                span = fixed[1]  # on the marks to correct (a range around them could cut another's)
            elif first.quote:
                span = phrase(p, first.quote)
        targets.append((p, text, span))
    count = word.add_comments(document, targets, author)

    # 3. the corrections as tracked changes, right to left in each paragraph
    rev = ooxml.max_id(document.element) + 1
    date = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    changes = 0
    for key, spans in edits.items():
        for a, b, new in sorted(spans, reverse=True):
            used = ooxml.track_change(paras[key], a, b, new, rev_id=rev, author=author, date=date)
            rev += used
            changes += bool(used)
    return word.save(document), count, changes


def annotate_file(path: str, packs: Mapping[str, Any], options: Any, *, author: str = "") -> Annotated:
    """Audit `path` and return the annotated .docx; AnnotateError when it cannot be audited.
    `author`: the name comments and tracked changes are signed with (default 合规自查)."""
    from auditor import loaders

    analysis = analyse(path, packs, options)
    original = None
    if analysis.source is not None and analysis.source.fmt == "docx":
        original = loaders.read_bytes(path, max_bytes=options.max_bytes)
    return annotate_bytes(analysis, original, author=author)


def annotate_bytes(analysis: Audit, original: bytes | None, *, author: str = "") -> Annotated:
    """The annotated .docx of an analysed file; `original` is the .docx's bytes (else unused)."""
    if analysis.card.verdict == "error" or analysis.document is None or analysis.source is None:
        raise AnnotateError(analysis.card.error or "无法审查该文件")
    data, count, changes = _build(analysis, original if analysis.source.fmt == "docx" else None, author)
    return Annotated(analysis.card, data, count, changes)


def annotate_isolated(path: str, packs: Mapping[str, Any], options: Any, *, max_memory_mb: int | None = None,
                      author: str = "") -> Annotated:
    """annotate_file in a worker process under `options.time_budget` and a memory cap, as `check`
    audits every document (auditor.pool.workers): a file that runs over either ends as
    AnnotateError with the same Chinese reason as check's `error` card, never as a hang or the
    machine swapping. Without fork (Windows) it runs here, with the engine's soft budget."""
    from auditor.models import replace
    from auditor.pool import workers
    from auditor.pool.codec import card_from_plain, card_to_plain
    from auditor.errors import DocumentLoadError
    from auditor.run.engine import OUT_OF_MEMORY

    cap = workers.DEFAULT_MAX_MEMORY_MB if max_memory_mb is None else max_memory_mb
    if not workers.HAS_FORK:
        return annotate_file(path, packs, options, author=author)
    # the parent enforces the budget from outside; a SIGALRM inside native code is no clean stop
    inner = replace(options, time_budget=0) if options.time_budget else options

    def work(item: str) -> dict[str, Any]:
        try:
            done = annotate_file(item, packs, inner, author=author)
        except (AnnotateError, DocumentLoadError) as exc:  # audited, but no comments can go in: say why
            reason = str(exc)
            if reason == OUT_OF_MEMORY and cap:
                reason = f"{OUT_OF_MEMORY}（超出内存上限 {cap} MB，可用 --max-memory 调整）"
            return {"error": reason}
        return {"card": card_to_plain(done.card), "docx": done.data, "comments": done.comments,
                "changes": done.changes}

    pool = workers.Pool(work, size=1, max_memory_mb=cap,
                        on_timeout=lambda _: {"error": workers.timeout_message(options.time_budget, options.ocr)},
                        on_crash=lambda _: {"error": workers.crash_message(cap)})
    try:
        with pool:
            answer = pool.map([path], timeout=options.time_budget)[0]
    except OSError:  # no process can be started: still annotate, with the soft budget
        return annotate_file(path, packs, options, author=author)
    if "error" in answer:
        raise AnnotateError(answer["error"])
    return Annotated(card_from_plain(answer["card"]), answer["docx"], answer["comments"], answer.get("changes", 0))
