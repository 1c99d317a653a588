"""`auditor annotate`: the draft back as a new .docx with a Word comment (批注) at each finding.

A .docx gets its comments in a copy of itself (the input is only read); a .pdf, .txt, .md,
.html, .doc or .wps becomes a new .docx of its extracted text with the same comments. One comment
on the title gives the verdict, the score and the counts; each finding gets a comment with the
rule, what is wrong, how to fix it and the clause, on the paragraph its evidence quotes, or,
when something is missing, on the paragraph after which it should go.
"""

from __future__ import annotations

import os
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


def default_output(path: str) -> str:
    """DRAFT.docx → DRAFT.批注.docx beside it (any input: a .docx is what is written)."""
    stem, _ = os.path.splitext(path)
    return f"{stem}.批注.docx"


def verdict_text(card: Scorecard) -> str:
    from auditor.reporters._common import VERDICT_ZH, score_text

    n = {s: sum(r.status is s for r in card.results) for s in Status}
    return (f"auditor 审查结论：{VERDICT_ZH.get(card.verdict, card.verdict)}，得分 {score_text(card)} / 100"
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


def _build(analysis: Audit, data: bytes | None) -> tuple[bytes, int]:
    """The annotated .docx: `data` is the original .docx, or None to write the text anew."""
    from auditor.annotate import word

    raw = analysis.source
    assert raw is not None and analysis.document is not None
    if data is not None:
        from auditor.loaders.docx import extract_anchored

        reread, anchors = extract_anchored(data, path=raw.path)
        if len(reread.lines) != len(raw.lines):  # cannot happen: the same bytes, the same reader
            raise AnnotateError("Word 文件读取结果不一致，无法定位批注")
        document = word.open_docx(data)
        paragraphs = word.body_paragraphs(document)
        per_line = [paragraphs[k] for k in anchors]
    else:
        document, per_line = word.text_document(raw)

    def paragraph_of(line_no: int) -> Any:
        # a blank line (text input) has no paragraph: the nearest one before it, else after it
        for k in [*range(line_no - 1, -1, -1), *range(line_no, len(per_line))]:
            if 0 <= k < len(per_line) and per_line[k] is not None:
                return per_line[k]
        return None

    targets = []
    title = title_line(analysis.document)
    if title is not None and paragraph_of(title.no) is not None:
        targets.append((paragraph_of(title.no), verdict_text(analysis.card)))
    for mark in marks(analysis):
        p = paragraph_of(mark.line)
        if p is not None:
            targets.append((p, comment_text(mark)))
    count = word.add_comments(document, targets)
    return word.save(document), count


def annotate_file(path: str, packs: Mapping[str, Any], options: Any) -> Annotated:
    """Audit `path` and return the annotated .docx; AnnotateError when it cannot be audited."""
    from auditor import loaders

    analysis = analyse(path, packs, options)
    original = None
    if analysis.source is not None and analysis.source.fmt == "docx":
        original = loaders.read_bytes(path, max_bytes=options.max_bytes)
    return annotate_bytes(analysis, original)


def annotate_bytes(analysis: Audit, original: bytes | None) -> Annotated:
    """The annotated .docx of an analysed file; `original` is the .docx's bytes (else unused)."""
    if analysis.card.verdict == "error" or analysis.document is None or analysis.source is None:
        raise AnnotateError(analysis.card.error or "无法审查该文件")
    data, count = _build(analysis, original if analysis.source.fmt == "docx" else None)
    return Annotated(analysis.card, data, count)


def annotate_isolated(path: str, packs: Mapping[str, Any], options: Any, *, max_memory_mb: int | None = None) -> Annotated:
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
        return annotate_file(path, packs, options)
    # the parent enforces the budget from outside; a SIGALRM inside native code is no clean stop
    inner = replace(options, time_budget=0) if options.time_budget else options

    def work(item: str) -> dict[str, Any]:
        try:
            done = annotate_file(item, packs, inner)
        except (AnnotateError, DocumentLoadError) as exc:  # audited, but no comments can go in: say why
            reason = str(exc)
            if reason == OUT_OF_MEMORY and cap:
                reason = f"{OUT_OF_MEMORY}（超出内存上限 {cap} MB，可用 --max-memory 调整）"
            return {"error": reason}
        return {"card": card_to_plain(done.card), "docx": done.data, "comments": done.comments}

    pool = workers.Pool(work, size=1, max_memory_mb=cap,
                        on_timeout=lambda _: {"error": workers.timeout_message(options.time_budget, options.ocr)},
                        on_crash=lambda _: {"error": workers.crash_message(cap)})
    try:
        with pool:
            answer = pool.map([path], timeout=options.time_budget)[0]
    except OSError:  # no process can be started: still annotate, with the soft budget
        return annotate_file(path, packs, options)
    if "error" in answer:
        raise AnnotateError(answer["error"])
    return Annotated(card_from_plain(answer["card"]), answer["docx"], answer["comments"])
