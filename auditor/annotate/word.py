"""Word comments (批注) with python-docx: into a copy of the user's .docx, or into a new .docx
written from the extracted text of a PDF, text or web page.

python-docx (≥ 1.2) creates the comments part, its relationship and content type, and each
comment (id, author, initials, date) through `Document.comments.add_comment`. The comment range
is marked here (auditor.annotate.ooxml) around the phrase the finding quotes, the runs split at
its ends, or around the whole paragraph when the phrase is not there (something missing, text
Word numbers itself), rather than with `Document.add_comment(runs)`: that one needs the
paragraph's own w:r children, and a paragraph typed with tracked changes on has its text inside
w:ins, or inside hyperlinks. Every comment ends with OWN_MARK, so the next round replaces it
(auditor.annotate.own). Nothing else of the document is touched, so a reviewer's tracked
changes, numbering, tables, headers and footers are written back as they were.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any, Sequence

from auditor.errors import DocumentLoadError
from auditor.models import RawText

AUTHOR = "合规自查"  # the default name comments and tracked changes are signed with (--author, comment_author:)
INITIALS = "合规"


def add_comments(document: Any, targets: Sequence[tuple[Any, str, tuple[int, int] | None]],
                 author: str = AUTHOR) -> int:
    """Add one comment per (w:p element, text, span of the paragraph's text or None for the
    whole paragraph); each ends with OWN_MARK. Returns how many."""
    from auditor.annotate.ooxml import anchor_comment
    from auditor.annotate.own import OWN_MARK

    for paragraph, text, span in targets:
        comment = document.comments.add_comment(text=f"{text}\n{OWN_MARK}", author=author, initials=INITIALS)
        anchor_comment(paragraph, comment.comment_id, span)
    return len(targets)


def open_docx(data: bytes) -> Any:
    import docx

    try:
        return docx.Document(BytesIO(data))
    except Exception as exc:
        raise DocumentLoadError(f"无法在此 Word 文件中写入批注（{type(exc).__name__}），请用 Word/WPS 另存为 .docx 后重试") from exc


def body_paragraphs(document: Any) -> list[Any]:
    """Every w:p of the body in document order: the numbering `extract_anchored` uses."""
    from docx.oxml.ns import qn

    return list(document.element.body.iter(qn("w:p")))


def text_document(raw: RawText) -> tuple[Any, list[Any]]:
    """A new .docx holding the extracted text, one paragraph per non-blank line, and the w:p of
    each line of `raw` (None for a blank line)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "宋体")  # what Word/WPS on a Chinese desktop render it with
    per_line: list[Any] = []
    for line in raw.lines:
        text = line.text.strip()
        if not text:
            per_line.append(None)
            continue
        p = document.add_paragraph(text)
        if line.style == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.bold = True
        per_line.append(p._p)
    return document, per_line


def save(document: Any) -> bytes:
    """The .docx's bytes, stamped as auditor's own output (auditor.annotate.own)."""
    from auditor.annotate.own import stamp

    stamp(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
