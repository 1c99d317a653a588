"""PDF with a text layer: pypdfium2 character boxes → visual lines → paragraphs (formats.md §4).

Every PDF extractor returns visual lines (about five per paragraph) with page numbers and running
headers in the middle of the text, and spaces where fonts switch. So: group characters into lines
by position (which also fixes curly quotes that other extractors emit out of order), drop
page-number and repeated header/footer lines in the page margins, then start a new paragraph
where a line is indented, the previous line stopped short, the font size changes, or the line
opens like a heading; otherwise join. pypdfium2 is imported lazily: it costs ~60 ms at start-up.

A scan (no text layer) is an error saying so, unless OCR was asked for (`--ocr`, ocr.py): then
pages without text that show an image are read by Tesseract, located as "第N页，OCR识别".
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from operator import itemgetter
from typing import Any, TYPE_CHECKING

from auditor.errors import DocumentLoadError
from auditor.loaders.page_lines import MARGIN, PageLine as _Line
from auditor.models import RawText, SourceLine

SUFFIXES = (".pdf",)
SUPPORTS_OCR = True  # loaders.load passes ocr=True to extract() when asked

_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2014\u2026"
_SPACES_NEXT_TO_CJK = re.compile(rf"[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+")
_PAGE_NO = re.compile(
    r"^(?:[-—–－_~·•]*\d{1,4}[-—–－_~·•]*|第\d+页(?:[,，/]?共\d+页)?|共\d+页[,，]?第\d+页|\d+/\d+|page\d+(?:of\d+)?)$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百零〇\d]+[章节条部分]|\d{1,2}[.．、](?!\d))"
)
_SPACE = re.compile(r"\s+")  # what str.isspace calls a space
_CJK_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")
_GARBLED = re.compile("[\ufffd\ue000-\uf8ff]")  # no Unicode mapping: replacement, private use
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def extract(data: bytes, *, path: str, ocr: bool = False) -> RawText:
    """Paragraphs of a PDF's text layer, each located by its page ("第N页"); with `ocr`, pages
    without a text layer are read by OCR."""
    if b"%PDF" not in data[:1024]:
        raise DocumentLoadError("不是有效的 PDF 文件（缺少 %PDF 文件头），可能已损坏或扩展名不对")
    import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]
    import pypdfium2.raw as c  # type: ignore[import-untyped,unused-ignore]

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise DocumentLoadError("PDF 已加密（需要密码才能打开），请提供未加密的文件") from exc
        if code == c.FPDF_ERR_SECURITY:
            raise DocumentLoadError("PDF 使用了不支持的加密方式，无法读取") from exc
        raise DocumentLoadError("PDF 文件已损坏或格式不正确，无法打开") from exc
    try:
        pages = [_page_lines(pdf, i, c) for i in range(len(pdf))]
        # the characters read, spaces left out: a line's text is its characters (and spaces)
        chars = _SPACE.sub("", "".join(ln.text for page in pages for ln in page[1]))
        scan = len(chars) < 10 * max(1, len(pages)) and not _CJK_IDEOGRAPH.search(chars)
        if scan and not ocr:
            raise DocumentLoadError(_scan_message())
        garbled = len(_GARBLED.findall(chars))
        if not scan and garbled > len(chars) // 3:
            raise DocumentLoadError("PDF 文字层编码损坏（字体缺少 Unicode 映射），提取出的是乱码，无法检查")
        read = _with_ocr(pdf, pages, scan) if ocr else {}
        pages = [read.get(i, page) for i, page in enumerate(pages)]
    except pdfium.PdfiumError as exc:
        raise DocumentLoadError("PDF 文件已损坏，读取页面内容失败") from exc
    finally:
        pdf.close()
    if scan and not any(_has_cjk(ln.text) for _, lines in pages for ln in lines):
        raise DocumentLoadError("扫描件，无文字层，OCR 也未识别出中文文字，无法检查")
    lines = _drop_running(pages)
    meta = {"ocr_pages": _page_list(sorted(read))} if read else {}
    return RawText(path=path, fmt="pdf", lines=tuple(_paragraphs(lines)), meta=meta)


def _has_cjk(chars: Iterable[str]) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in chars)


def _with_ocr(pdf: Any, pages: list[tuple[float, list[_Line]]], scan: bool) -> dict[int, tuple[float, list[_Line]]]:
    """OCR of the pages without a text layer (page index → height, lines): every page of a scan;
    in a document with a text layer, the pages without text that show an image (a scanned
    signature page, say)."""
    from auditor.loaders import ocr

    todo = [i for i, (_, lines) in enumerate(pages) if scan or (_blank(lines) and ocr.has_image(pdf, i))]
    if not todo:
        return {}
    what = "扫描件，无文字层" if scan else f"第{_page_list(todo)}页无文字层"
    return ocr.read_pages(pdf, todo, what=what)


def _page_list(indexes: list[int]) -> str:
    """Sorted page indexes as page numbers with runs shortened: [0, 1, 2, 5] → "1-3、6"."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return "、".join(f"{a + 1}-{b + 1}" if b > a + 1 else "、".join(str(n + 1) for n in range(a, b + 1)) for a, b in runs)


def _blank(lines: list[_Line]) -> bool:
    chars = [ch for ln in lines for ch, _, _ in ln.chars if not ch.isspace()]
    return len(chars) < 10 and not _has_cjk(chars)


def _scan_message() -> str:
    from auditor.loaders import ocr

    msg = "扫描件，无文字层，无法检查文字内容；加 --ocr 参数可先做文字识别再检查"
    if not ocr.available():  # say what --ocr needs before the user tries it
        msg += "（需先安装 Tesseract 及其中文识别数据 chi_sim）"
    return msg


def _chars(tp: Any, c: Any) -> list[tuple[str, float, float, float, float, float]]:
    """A text page's characters (char, x0, y0, x1, y1, font size), without pdfium's generated
    ones, control characters, surrogates and rotated text. PDFium's C functions are called
    directly with one reused box: the object wrappers cost more than the calls themselves."""
    handle = tp.raw
    generated, unicode, angle_of = c.FPDFText_IsGenerated, c.FPDFText_GetUnicode, c.FPDFText_GetCharAngle
    loose_box, font_size = c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize
    box = c.FS_RECTF()
    low, high = 0.05, 2 * math.pi - 0.05
    raw = []
    for i in range(c.FPDFText_CountChars(handle)):
        if generated(handle, i):
            continue  # pdfium's own guesses (spaces, CR/LF): we rebuild layout from boxes
        code = unicode(handle, i)
        if code < 32 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            continue
        angle = angle_of(handle, i)
        if low < angle < high:
            continue  # rotated text: watermarks and stamps, not body text
        if not loose_box(handle, i, box):
            raise _pdfium_error("Failed to get charbox.")
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
        raw.append((chr(code), x0, y0, x1, y1, font_size(handle, i) or (y1 - y0)))
    return raw


def _pdfium_error(message: str) -> Exception:
    import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]

    return pdfium.PdfiumError(message)  # type: ignore[no-any-return]


_X0 = itemgetter(1)


def _page_lines(pdf: Any, index: int, c: Any) -> tuple[float, list[_Line]]:
    """Characters of one page grouped into visual lines, top to bottom, left to right."""
    page = pdf[index]
    try:
        height = page.get_height()
        tp = page.get_textpage()
        try:
            raw = _chars(tp, c)
        finally:
            tp.close()
    finally:
        page.close()
    raw.sort(key=lambda ch: -(ch[2] + ch[4]) / 2)
    lines: list[_Line] = []
    cur: _Line | None = None
    chars: list[tuple[str, float, float]] = []
    centre = size_now = 0.0  # the current line's: its first character's centre, its largest size
    for ch, x0, y0, x1, y1, size in raw:
        if cur is not None and abs(centre - (y0 + y1) / 2) <= 0.5 * max(1.0, min(size_now, size)):
            chars.append((ch, x0, x1))
            if size > size_now:
                size_now = cur.size = size
        else:
            # (x0, x1 are measured below, once the line's characters are known)
            cur = _Line(index + 1, x0, x1, y0, y1, size, chars=[(ch, x0, x1)])
            lines.append(cur)
            chars, centre, size_now = cur.chars, (y0 + y1) / 2, size
    for ln in lines:
        chars = ln.chars
        chars.sort(key=_X0)
        # Indents typed as spaces or U+3000 must count as indents: measure the inked extent.
        while chars and chars[0][0].isspace():
            chars.pop(0)
        while chars and chars[-1][0].isspace():
            chars.pop()
        if not chars:
            continue
        ln.x0, ln.x1 = chars[0][1], max(x1 for _, _, x1 in chars)
        gap = 0.25 * ln.size
        parts = [chars[0][0]]
        for (before, _, end), (ch, x0, _) in pairwise(chars):
            # Words placed apart without a space character (common in generated PDFs).
            if x0 - end > gap and not before.isspace() and not ch.isspace():
                parts.append(" ")
            parts.append(ch)
        ln.text = "".join(parts).strip()
    return height, [ln for ln in lines if ln.text]


def _drop_running(pages: list[tuple[float, list[_Line]]]) -> list[_Line]:
    """Remove page numbers and headers/footers repeated (digits masked) on at least half the pages."""

    def in_margin(ln: _Line, height: float) -> bool:
        return ln.y0 > height * (1 - MARGIN) or ln.y1 < height * MARGIN

    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    seen: Counter[str] = Counter()
    for height, lines in pages:
        seen.update({key(ln) for ln in lines if in_margin(ln, height)})
    need = max(2, math.ceil(len(pages) / 2))
    out = []
    for height, lines in pages:
        for ln in lines:
            if in_margin(ln, height) and (_PAGE_NO.match(re.sub(r"\s+", "", ln.text)) or seen[key(ln)] >= need):
                continue
            out.append(ln)
    return out


def _paragraphs(lines: list[_Line]) -> list[SourceLine]:
    if not lines:
        return []
    sizes = [ln.size for ln in lines for _ in ln.chars]
    em = statistics.median(sizes)
    body = [ln for ln in lines if abs(ln.size - em) <= 0.15 * em] or lines
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(0.9 * (len(rights) - 1))]
    pitches = [a.y0 - b.y0 for a, b in pairwise(lines) if a.page == b.page and a.y0 > b.y0]
    pitch = statistics.median(pitches) if pitches else 2 * em

    paras: list[tuple[int, bool, list[str]]] = []
    prev: _Line | None = None
    aligned = False  # the paragraph opened at the left margin, and may be centred or right-aligned
    for ln in lines:
        if prev is not None and aligned and _aligned_wrap(prev, ln, left, em):
            paras[-1][2].append(ln.text)  # a centred title or a right-aligned signer that wrapped
            prev = ln
            continue
        new = (
            prev is None
            # first-line indent, centred or right-aligned lines (OCR: ink boxes; 《 inks its right
            # half, and a lost first character must not make an indent)
            or ln.x0 - left > (1.5 if ln.ocr else 0.5) * em
            # the previous line ended on purpose (OCR: ink boxes, and a last character may be lost)
            or right - prev.x1 > _first_unit(ln) + (1.1 if prev.ocr else 0.1) * em
            or abs(ln.size - prev.size) > 0.15 * max(ln.size, prev.size)  # title vs body
            or (ln.page == prev.page and prev.y0 - ln.y0 > 1.6 * pitch)  # a blank line between
            or bool(_HEADING.match(ln.text))
            or bool(_DATE.match(prev.text.replace(" ", "")))
            or bool(_DATE.match(ln.text.replace(" ", "")))
        )
        if new:
            paras.append((ln.page, ln.ocr, [ln.text]))
        else:
            paras[-1][2].append(ln.text)
        if new:  # wrapped centred or right-aligned paragraphs open at the left margin; body text is indented
            aligned = ln.x0 - left <= max(ln.size, em)
        else:  # past a paragraph's first line, only a title (not body size) may still be centred:
            # an unindented body paragraph's last line, full by chance, must not take the signer below
            aligned = aligned and abs(ln.size - em) > 0.15 * em
        prev = ln
    out = []
    on_page: Counter[int] = Counter()  # paragraphs so far on each page: 第2页第3段 is findable
    for page, ocr, texts in paras:
        text = texts[0]
        for nxt in texts[1:]:
            sep = " " if text[-1:].isascii() and text[-1:].isalnum() and nxt[:1].isascii() and nxt[:1].isalpha() else ""
            text += sep + nxt
        text = clean(text)
        if text:
            on_page[page] += 1
            where = f"第{page}页第{on_page[page]}段"
            out.append(SourceLine(text, where=f"{where}，OCR识别" if ocr else where))
    return out


def _aligned_wrap(prev: _Line, ln: _Line, left: float, em: float) -> bool:
    """`ln` continues a centred or right-aligned paragraph that wrapped (a title, a signer's
    long name on a narrow page): `prev` filled the line from the left margin, and `ln` is
    centred under it or flush with its right end, in the same font size, right below it.
    A first-line-indented body paragraph never starts at the left margin, so it never matches."""
    unit = max(prev.size, em)
    if ln.page != prev.page or abs(ln.size - prev.size) > 0.15 * max(ln.size, prev.size) or ln.ocr or prev.ocr:
        return False
    if prev.x0 - left > unit or ln.x0 - left <= 0.5 * em or not 0 < prev.y0 - ln.y0 <= 2.0 * max(ln.size, prev.size):
        return False
    if _HEADING.match(ln.text) or _DATE.match(ln.text.replace(" ", "")) or _DATE.match(prev.text.replace(" ", "")):
        return False
    flush_right = abs(ln.x1 - prev.x1) <= 0.5 * unit
    centred = abs((ln.x0 + ln.x1) - (prev.x0 + prev.x1)) <= unit
    return flush_right or centred


_CLOSING = set("，。、；：？！）》」』”’%％")


def _first_unit(ln: _Line) -> float:
    """Width of what cannot be split off the start of a line: a Latin word or number, or one
    character with the closing punctuation that may not begin a line. If it would have fitted
    at the end of the previous line, that line stopped short on purpose (a paragraph end)."""
    chars = ln.chars
    end = 1
    if chars[0][0].isascii() and chars[0][0].isalnum():
        while end < len(chars) and chars[end][0].isascii() and (chars[end][0].isalnum() or chars[end][0] in ".,%-"):
            end += 1
    while end < len(chars) and chars[end][0] in _CLOSING:
        end += 1
    return chars[end - 1][2] - chars[0][1]


_COMPAT: dict[int, str] = {}


def clean(text: str) -> str:
    """Map Kangxi radicals and compatibility ideographs to ordinary ones, and delete spaces
    next to CJK. NFKC is applied per character in those blocks only: on the whole text it would
    turn ，：；（） into ASCII and destroy the punctuation checks."""
    if not _COMPAT:
        for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF)):
            for cp in range(lo, hi + 1):
                norm = unicodedata.normalize("NFKC", chr(cp))
                if norm != chr(cp):
                    _COMPAT[cp] = norm
    text = text.translate(_COMPAT)
    text = _SPACES_NEXT_TO_CJK.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.pdf as _this

    _contract: Loader = _this
