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
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from bisect import bisect_left, bisect_right
from itertools import compress, islice, pairwise, repeat
from operator import add, ge, gt, itemgetter, ne, neg, sub
from typing import Any, NamedTuple, TYPE_CHECKING

from auditor.errors import DocumentLoadError
from auditor.loaders.page_lines import MARGIN, PageLine as _Line
from auditor.models import RawText, SourceLine

SUFFIXES = (".pdf",)
SUPPORTS_OCR = True  # loaders.load passes ocr=True to extract() when asked

_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2014\u2026"
_SPACES_NEXT_TO_CJK = re.compile(rf"[ \t\u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u00a0]+")  # (what clean removes)
_SPACE_RUN = re.compile("[ \t\u00a0]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_PAGE_NO = re.compile(
    r"^(?:[-—–－_~·•]*\d{1,4}[-—–－_~·•]*|第\d+页(?:[,，/]?共\d+页)?|共\d+页[,，]?第\d+页|\d+/\d+|page\d+(?:of\d+)?)$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十百零〇\d]+[章节条部分]|\d{1,2}[.．、](?!\d))"
)
_SPACE = re.compile(r"\s+")  # what str.isspace calls a space
_DIGITS = re.compile(r"\d+")
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


class _Pdfium:
    """The PDFium text functions the page loop calls once per character, called without ctypes'
    per-call argument conversion and without releasing the GIL (as ctypes.PyDLL calls them):
    half the cost of pypdfium2's bound functions. Built once per process from their addresses."""

    def __init__(self, c: Any) -> None:
        import ctypes

        def fn(f: Any, restype: Any) -> Any:
            # PYFUNCTYPE: called holding the GIL, as ctypes.PyDLL's are; no argtypes, so the
            # arguments (a handle, an int, pointers) are passed as they are, unconverted
            address = ctypes.cast(f, ctypes.c_void_p).value
            if not address:
                raise OSError("no address for a PDFium function")
            return ctypes.PYFUNCTYPE(restype)(address)

        self.count = c.FPDFText_CountChars
        self.get_text = c.FPDFText_GetText
        self.loose_box = fn(c.FPDFText_GetLooseCharBox, ctypes.c_int)
        self.generated = fn(c.FPDFText_IsGenerated, ctypes.c_int)
        self.unicode = fn(c.FPDFText_GetUnicode, ctypes.c_uint)
        self.angle = fn(c.FPDFText_GetCharAngle, ctypes.c_float)
        self.font_size = fn(c.FPDFText_GetFontSize, ctypes.c_double)
        self._local = threading.local()

    def boxes(self, n: int) -> tuple[Any, list[Any]]:
        """A float buffer for n character boxes (left, top, right, bottom) and a pointer to each
        box in it; per thread, grown as needed."""
        import ctypes

        have = getattr(self._local, "boxes", None)
        if have is None or len(have[1]) < n:
            size = max(n, 2 * len(have[1]) if have else 4096)
            buf = (ctypes.c_float * (4 * size))()
            have = self._local.boxes = (buf, [ctypes.byref(buf, 16 * i) for i in range(size)])
        return have


_PDFIUM: list[_Pdfium | None] = []
_CONTROL = re.compile("[\\x00-\\x1f\\ud800-\\udfff]+")  # control characters and surrogates: skipped
_ROTATED = (0.05, 2 * math.pi - 0.05)  # char angles between these: rotated text (watermarks, stamps)


class _Columns(NamedTuple):
    """A text page's characters kept (not generated by PDFium, not control characters or
    surrogates, not rotated), in PDFium's order, as columns; and where PDFium's own lines start
    among them (after each line break it reads or inserts)."""

    chars: str
    x0: list[float]
    y0: list[float]
    x1: list[float]
    y1: list[float]
    size: list[float]  # the font size, or the box height where the font size is 0
    breaks: list[int]  # ascending positions k, 0 < k < len(chars): a PDFium line starts at chars[k]


def _columns(tp: Any, c: Any) -> _Columns:
    """Each character's unicode (the page's text in one call), then the characters to keep, and
    the loose box and font size of those, one property of every character at a time (the boxes
    written into one buffer, read back at once). The same values and choices as asking PDFium
    for each character's properties in turn."""
    if not _PDFIUM:
        try:
            _PDFIUM.append(_Pdfium(c))
        except (AttributeError, TypeError, ValueError, OSError):  # a pypdfium2 whose functions are not plain ctypes ones
            _PDFIUM.append(None)
    fn = _PDFIUM[0]
    if fn is None:
        return _columns_by_char(tp, c)
    handle = tp.raw
    n = fn.count(handle)
    if n <= 0:
        return _Columns("", [], [], [], [], [], [])
    text = _page_text(fn, handle, n)
    wanted = _printing(text)
    # pdfium's own guesses (spaces, CR/LF) are left out: layout is rebuilt from the boxes. PDFium
    # generates only spaces and line breaks (CR/LF are control characters, dropped above).
    at = text.find(" ")
    while at >= 0:
        if fn.generated(handle, at):
            wanted[at] = 0
        at = text.find(" ", at + 1)
    keep = list(compress(range(n), wanted))
    angles = list(map(fn.angle, repeat(handle, len(keep)), keep))
    low, high = _ROTATED
    # (max is NaN only if the first angle is; NaN angles are not rotated, a larger one would be)
    if keep and not max(angles) <= low:  # rotated text: watermarks and stamps, not body text
        for i, angle in zip(keep, angles):
            if low < angle < high:
                wanted[i] = 0
        keep = list(compress(range(n), wanted))
    m = len(keep)
    buf, slots = fn.boxes(m)
    if not all(map(fn.loose_box, repeat(handle, m), keep, slots)):
        raise _pdfium_error("Failed to get charbox.")
    flat: list[float] = memoryview(buf).cast("B").cast("f")[: 4 * m].tolist()  # type: ignore[assignment]
    x0, y1, x1, y0 = flat[0::4], flat[1::4], flat[2::4], flat[3::4]  # FS_RECTF: left, top, right, bottom
    size = list(map(fn.font_size, repeat(handle, m), keep))
    if 0.0 in size:
        size = [fs or (top - bottom) for fs, bottom, top in zip(size, y0, y1)]
    return _Columns("".join(compress(text, wanted)), x0, y0, x1, y1, size, _breaks(text, keep))


def _printing(text: str) -> bytearray:
    """One byte a character: 0 for a control character or a surrogate (`_CONTROL`), else 1.
    Taken from the text's UTF-16 bytes a whole page at a time: a unit below 0x20 has a high
    byte of 0 and a low byte below 0x20, a surrogate a high byte from 0xD8 to 0xDF; each such
    byte test is a byte translation, and the two tests of a unit are combined as big integers
    of one 0 or 1 byte a unit (no carries)."""
    n = len(text)
    raw = text.encode("utf-16-le", "surrogatepass")
    if len(raw) != 2 * n:  # a character beyond U+FFFF (two units): the pattern, match by match
        wanted = bytearray(b"\x01") * n
        for match in _CONTROL.finditer(text):
            wanted[match.start() : match.end()] = bytes(match.end() - match.start())
        return wanted
    low, high = raw[0::2], raw[1::2]
    control = int.from_bytes(low.translate(_BELOW_32), "little") & int.from_bytes(high.translate(_NUL), "little")
    control |= int.from_bytes(high.translate(_SURROGATE_HIGH), "little")
    return bytearray(control.to_bytes(n, "little").translate(_FLIP))


_BELOW_32 = bytes(int(b < 0x20) for b in range(256))
_NUL = bytes(int(b == 0) for b in range(256))
_SURROGATE_HIGH = bytes(int(0xD8 <= b <= 0xDF) for b in range(256))
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")


def _breaks(text: str, keep: list[int]) -> list[int]:
    """Where PDFium's lines start among the characters kept: after each line feed of its text."""
    breaks: list[int] = []
    at = text.find("\n")
    while at >= 0:
        k = bisect_left(keep, at)  # the characters kept before the line feed
        if 0 < k < len(keep) and (not breaks or breaks[-1] < k):
            breaks.append(k)
        at = text.find("\n", at + 1)
    return breaks


def _page_text(fn: _Pdfium, handle: Any, n: int) -> str:
    """Each character's unicode, as FPDFText_GetUnicode gives it (beyond U+10FFFF: U+0000),
    character i at position i. FPDFText_GetText gives the page's text in one call: the text
    buffer PDFium keeps beside its characters, one UTF-16 unit for each character it counts as
    printing (not a control character, not a character without unicode or code), holding the
    character's unicode, except U+FFFE where the unicode is 0 or a hyphen that ends a line
    (unicode 2). So where the text has one unit for each character, the units are the
    characters' unicodes, and each U+FFFE is asked of FPDFText_GetUnicode; otherwise (a
    non-printing character, or a supplementary one, which the text leaves out) every character
    is asked of FPDFText_GetUnicode. (One case reads differently, on no fixture: a character
    PDFium could not map to unicode whose 4-byte code lies beyond U+10FFFF stands in the page
    text as its code's low 16 bits, where FPDFText_GetUnicode's value is skipped.)"""
    import ctypes

    buf = (ctypes.c_ushort * (n + 1))()
    got = fn.get_text(handle, 0, n, buf)
    text = ctypes.string_at(buf, 2 * n).decode("utf-16-le", "surrogatepass") if got == n + 1 else ""
    if len(text) != n:  # left out or two units: one character at a time
        codes = list(map(fn.unicode, repeat(handle, n), range(n)))
        try:
            return "".join(map(chr, codes))
        except ValueError:  # beyond U+10FFFF: skipped like a control character
            return "".join(chr(code) if code <= 0x10FFFF else "\x00" for code in codes)
    if "\ufffe" in text:
        parts = list(text)
        at = text.find("\ufffe")
        while at >= 0:
            code = fn.unicode(handle, at)
            parts[at] = chr(code) if code <= 0x10FFFF else "\x00"
            at = text.find("\ufffe", at + 1)
        text = "".join(parts)
    return text


def _columns_by_char(tp: Any, c: Any) -> _Columns:
    """`_columns` through pypdfium2's bound functions, five calls a character (the slow way)."""
    handle, box = tp.raw, c.FS_RECTF()
    low, high = _ROTATED
    chars: list[str] = []
    cols: _Columns = _Columns("", [], [], [], [], [], [])
    for i in range(c.FPDFText_CountChars(handle)):
        code = c.FPDFText_GetUnicode(handle, i)
        if code == 10 and chars and (not cols.breaks or cols.breaks[-1] < len(chars)):
            cols.breaks.append(len(chars))  # (dropped below if nothing is kept after it)
        if c.FPDFText_IsGenerated(handle, i):
            continue
        if code < 32 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF or low < c.FPDFText_GetCharAngle(handle, i) < high:
            continue
        if not c.FPDFText_GetLooseCharBox(handle, i, box):
            raise _pdfium_error("Failed to get charbox.")
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
        chars.append(chr(code))
        cols.x0.append(x0)
        cols.y0.append(y0)
        cols.x1.append(x1)
        cols.y1.append(y1)
        cols.size.append(c.FPDFText_GetFontSize(handle, i) or (y1 - y0))
    if cols.breaks and cols.breaks[-1] >= len(chars):
        cols.breaks.pop()
    return cols._replace(chars="".join(chars))


def _pdfium_error(message: str) -> Exception:
    import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]

    return pdfium.PdfiumError(message)  # type: ignore[no-any-return]


def _page_lines(pdf: Any, index: int, c: Any) -> tuple[float, list[_Line]]:
    """Characters of one page grouped into visual lines, top to bottom, left to right."""
    page = pdf[index]
    try:
        height = page.get_height()
        tp = page.get_textpage()
        try:
            cols = _columns(tp, c)
        finally:
            tp.close()
    finally:
        page.close()
    return height, _lines(index + 1, cols)


def _lines(page: int, cols: _Columns) -> list[_Line]:
    """Group characters into visual lines: in order of their vertical centre, top first, a
    character joins the current line when its centre is within half its (or the line's, if
    smaller) font size of the line's first character's centre; then each line left to right
    (`_lines_by_char` does exactly that, one character at a time).

    PDFium's own lines are usually these lines already. Where each of them has one size and its
    centres within half that size of its top one, and lies wholly above the next (the next top
    centre below its lowest one) with that next top centre too far to join it, sorting by height
    and grouping gives those lines, each holding its characters in PDFium's order sorted by
    height (where their left edges rise, that is their left-to-right order too). Otherwise
    (`_lines_sorted`) the page's characters are sorted by height. The result is
    `_lines_by_char`'s, exactly."""
    text, x0s, y0s, x1s, y1s, sizes, breaks = cols
    m = len(text)
    if not m:
        return []
    sums = list(map(add, y0s, y1s))  # twice the centres
    total = sum(sums) + sum(sizes) + sum(x0s)
    if total - total != 0:  # a NaN or infinity: the plain loop's comparisons decide
        return _lines_sorted(page, cols)
    bounds = [0, *breaks, m]
    starts = set(breaks)
    # one size a line: the size changes only where a line starts (a page in one size: never)
    if sizes.count(sizes[0]) != m and not starts.issuperset(compress(range(1, m), map(ne, sizes[1:], sizes))):
        return _lines_sorted(page, cols)
    parts = list(map(sums.__getitem__, map(slice, bounds, bounds[1:])))
    tops, bottoms = list(map(max, parts)), list(map(min, parts))
    found = sorted(zip(tops, bottoms, map(sizes.__getitem__, bounds), range(len(parts))), reverse=True)
    for top, bottom, size, _ in found:  # the lowest centre (the farthest) joins the top one
        if not abs(top / 2 - bottom / 2) <= 0.5 * max(1.0, size):
            return _lines_sorted(page, cols)
    for (top, bottom, size, _), (below, _, size2, _) in pairwise(found):
        # wholly above the next line, whose top character does not join it (equal tops fail)
        if not (bottom > below and abs(top / 2 - below / 2) > 0.5 * max(1.0, min(size, size2))):
            return _lines_sorted(page, cols)
    # Words placed apart without a space character (common in generated PDFs): where a line has
    # two characters further apart than a quarter of its size, its text is spaced one by one.
    # (neighbours further apart than the smallest line's quarter are few: each is held to its own line's)
    apart = set()
    least = 0.25 * min(sizes)
    for k in compress(range(m - 1), map(gt, map(sub, x0s[1:], x1s), repeat(least))):
        if k + 1 not in starts and x0s[k + 1] - x1s[k] > 0.25 * sizes[k]:
            apart.add(bisect_right(bounds, k) - 1)
    # the lines whose left edges do not rise in PDFium's order
    unsorted = {bisect_right(bounds, k) - 1 for k in compress(range(1, m), map(ge, x0s, x0s[1:])) if k not in starts}
    triples = list(zip(text, x0s, x1s))
    lines = []
    for top, _, size, j in found:
        a, b = bounds[j], bounds[j + 1]
        first = sums.index(top, a, b)  # the line's first character in height order gives its y0, y1
        gap = 0.25 * size
        if j in unsorted:
            order = sorted(range(a, b), key=sums.__getitem__, reverse=True)
            order.sort(key=x0s.__getitem__)
            row = [triples[i] for i in order]
            row_text = "".join([ch for ch, _, _ in row])
            ends = [x1 for _, _, x1 in row]
            spaced = any(x0 - x1 > gap for (_, _, x1), (_, x0, _) in pairwise(row))
        else:  # left to right already
            row, row_text, ends, spaced = triples[a:b], text[a:b], x1s[a:b], j in apart
        # Indents typed as spaces or U+3000 must count as indents: measure the inked extent.
        lo, hi = len(row_text) - len(row_text.lstrip()), len(row_text.rstrip())
        if lo >= hi:
            continue
        if lo or hi < b - a:
            row, ends, row_text = row[lo:hi], ends[lo:hi], row_text[lo:hi]
        text_of = _spaced(row, gap) if spaced else row_text.strip()
        if text_of:
            lines.append(_Line(page, row[0][1], max(ends), y0s[first], y1s[first], size, text_of, row))
    return lines


def _lines_sorted(page: int, cols: _Columns) -> list[_Line]:
    """`_lines` for any page: the characters sorted by height, top first.

    The centres only go down along that order, so where a line's characters share its first
    one's size, the line ends at the first character too far below: found by bisection, then
    checked with the same comparison; otherwise one character at a time. Then the page's lines
    are read left to right in one pass, and a line's text is joined at once unless two of its
    characters stand apart. The result is `_lines_by_char`'s, exactly."""
    chars, x0s, y0s, x1s, y1s, sizes, _ = cols
    if not chars:
        return []
    sums = list(map(add, y0s, y1s))
    # Sorting by y0 + y1, top first, is sorting by -(y0 + y1) / 2, stably: half the sum of two
    # float32 is exact (never subnormal). A NaN or infinity: the plain loop's comparisons decide.
    order = sorted(range(len(chars)), key=sums.__getitem__, reverse=True)
    by_size = list(map(sizes.__getitem__, order))
    total = sum(sums) + sum(by_size)
    if total - total != 0:
        return _lines_by_char(page, list(zip(chars, x0s, y0s, x1s, y1s, sizes)))
    keys = list(map(sums.__getitem__, order))
    m = len(order)
    changes = list(compress(range(1, m), map(ne, islice(by_size, 1, None), by_size)))  # where the size changes
    spans: list[tuple[int, int, float]] = []  # each line: its range in `order`, its size
    lo = 0
    while lo < m:
        size = by_size[lo]
        centre = keys[lo] / 2
        limit = 0.5 * max(1.0, size)
        # candidates: the centres at least centre - limit; then the exact comparison at the edge
        hi = _edge(keys, lo + 1, bisect_right(keys, 2 * (limit - centre), lo + 1, key=neg), centre, limit)
        k = bisect_right(changes, lo)
        if k < len(changes) and changes[k] < hi:  # sizes differ: one at a time
            hi = lo + 1
            while hi < m and abs(centre - keys[hi] / 2) <= 0.5 * max(1.0, min(size, by_size[hi])):
                if by_size[hi] > size:
                    size = by_size[hi]
                hi += 1
        spans.append((lo, hi, size))
        lo = hi
    row: list[int] = []  # the lines one after the other, each left to right
    for lo, hi, _ in spans:
        part = order[lo:hi]
        part.sort(key=x0s.__getitem__)
        row += part
    row_chars = list(map(chars.__getitem__, row))
    starts, ends = list(map(x0s.__getitem__, row)), list(map(x1s.__getitem__, row))
    text = "".join(row_chars)
    triples = list(zip(row_chars, starts, ends))
    # Words placed apart without a space character (common in generated PDFs): where a line has
    # two characters further apart than a quarter of its size, its text is spaced one by one.
    # (the pairs further apart than the smallest line's quarter are few: each is held to its own line's)
    least = 0.25 * min(size for _, _, size in spans)
    line_of = [lo for lo, _, _ in spans]
    apart = []
    for k in compress(range(m), map(least.__lt__, map(sub, islice(starts, 1, None), ends))):
        lo, hi, size = spans[bisect_right(line_of, k) - 1]
        if k + 1 < hi and starts[k + 1] - ends[k] > 0.25 * size:
            apart.append(k)
    lines = []
    for lo, hi, size in spans:
        first = order[lo]  # the line's first character in height order gives its y0, y1
        # Indents typed as spaces or U+3000 must count as indents: measure the inked extent.
        while lo < hi and text[lo].isspace():
            lo += 1
        while lo < hi and text[hi - 1].isspace():
            hi -= 1
        if lo == hi:
            continue
        ln = _Line(page, starts[lo], max(ends[lo:hi]), y0s[first], y1s[first], size, "", triples[lo:hi])
        k = bisect_left(apart, lo)
        ln.text = _spaced(ln.chars, 0.25 * size) if k < len(apart) and apart[k] < hi - 1 else text[lo:hi].strip()
        if ln.text:
            lines.append(ln)
    return lines


def _edge(keys: list[float], start: int, guess: int, centre: float, limit: float) -> int:
    """The first position from `start` on whose centre (half of `keys`, which only go down) lies
    more than `limit` below `centre`, by the line test itself, from a `guess` near it."""
    hi, m = guess, len(keys)
    while hi < m and abs(centre - keys[hi] / 2) <= limit:
        hi += 1
    while hi > start and not abs(centre - keys[hi - 1] / 2) <= limit:
        hi -= 1
    return hi


def _spaced(chars: list[tuple[str, float, float]], gap: float) -> str:
    """A line's text with a space where two characters stand more than `gap` apart."""
    parts = [chars[0][0]]
    for (before, _, end), (ch, x0, _) in pairwise(chars):
        # Words placed apart without a space character (common in generated PDFs).
        if x0 - end > gap and not before.isspace() and not ch.isspace():
            parts.append(" ")
        parts.append(ch)
    return "".join(parts).strip()


def _lines_by_char(page: int, raw: list[tuple[str, float, float, float, float, float]]) -> list[_Line]:
    """`_lines` one character at a time (char, x0, y0, x1, y1, font size), in PDFium's order."""
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
            cur = _Line(page, x0, x1, y0, y1, size, chars=[(ch, x0, x1)])
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
        ln.text = _spaced(chars, 0.25 * ln.size)
    return [ln for ln in lines if ln.text]


_X0 = itemgetter(1)


def _drop_running(pages: list[tuple[float, list[_Line]]]) -> list[_Line]:
    """Remove page numbers and headers/footers repeated (digits masked) on at least half the pages."""

    def in_margin(ln: _Line, height: float) -> bool:
        return ln.y0 > height * (1 - MARGIN) or ln.y1 < height * MARGIN

    def key(ln: _Line) -> str:
        return _DIGITS.sub("#", _SPACE.sub("", ln.text))

    seen: Counter[str] = Counter()
    for height, lines in pages:
        seen.update({key(ln) for ln in lines if in_margin(ln, height)})
    need = max(2, math.ceil(len(pages) / 2))
    out = []
    for height, lines in pages:
        for ln in lines:
            if in_margin(ln, height) and (_PAGE_NO.match(_SPACE.sub("", ln.text)) or seen[key(ln)] >= need):
                continue
            out.append(ln)
    return out


def _paragraphs(lines: list[_Line]) -> list[SourceLine]:
    if not lines:
        return []
    em = _median_by_char(lines)
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
            or _is_date(prev.text)
            or _is_date(ln.text)
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


def _median_by_char(lines: list[_Line]) -> float:
    """The median of the lines' sizes, each counted once per character: `statistics.median` of
    that list, found from the sizes sorted with their counts."""
    counts: Counter[float] = Counter()
    for ln in lines:
        counts[ln.size] += len(ln.chars)
    n = counts.total()
    if not n or any(size != size for size in counts):  # none (raises), or a NaN: the list itself
        return statistics.median([ln.size for ln in lines for _ in ln.chars])
    # statistics.median: the middle value, or the mean of the two middle ones
    wanted, got, at = [n // 2] if n % 2 else [n // 2 - 1, n // 2], [], 0
    for size, count in sorted(counts.items()):
        while wanted and wanted[0] < at + count:
            got.append(size)
            wanted.pop(0)
        at += count
    return got[0] if n % 2 else (got[0] + got[1]) / 2


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
    if _HEADING.match(ln.text) or _is_date(ln.text) or _is_date(prev.text):
        return False
    flush_right = abs(ln.x1 - prev.x1) <= 0.5 * unit
    centred = abs((ln.x0 + ln.x1) - (prev.x0 + prev.x1)) <= unit
    return flush_right or centred


def _is_date(text: str) -> bool:
    """A line that is only a date (2024年3月1日), spaces aside."""
    return "日" in text and bool(_DATE.match(text.replace(" ", "")))


_CLOSING = set("，。、；：？！）》」』”’%％")


def _first_unit(ln: _Line) -> float:
    """Width of what cannot be split off the start of a line: a Latin word or number, or one
    character with the closing punctuation that may not begin a line. If it would have fitted
    at the end of the previous line, that line stopped short on purpose (a paragraph end)."""
    chars = ln.chars
    first, start, stop = chars[0]
    if len(chars) == 1 or not (chars[1][0] in _CLOSING or (first.isascii() and first.isalnum())):
        return stop - start  # one character (the common case, as the loops below find it)
    end = 1
    if chars[0][0].isascii() and chars[0][0].isalnum():
        while end < len(chars) and chars[end][0].isascii() and (chars[end][0].isalnum() or chars[end][0] in ".,%-"):
            end += 1
    while end < len(chars) and chars[end][0] in _CLOSING:
        end += 1
    return chars[end - 1][2] - chars[0][1]


_COMPAT: dict[int, str] = {}
_COMPAT_BLOCKS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")  # the blocks _COMPAT maps from
_SPACE_CHARS = re.compile("[ \t\u00a0]")
_SPACE_RUNS = re.compile(r"[ \t]{2,}")


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
    if _COMPAT_BLOCKS.search(text):
        text = text.translate(_COMPAT)
    if _SPACE_CHARS.search(text):  # both substitutions only remove or merge these
        text = _without_spaces_next_to_cjk(text)
        text = _SPACE_RUNS.sub(" ", text)
    return text.strip()


def _without_spaces_next_to_cjk(text: str) -> str:
    """`_SPACES_NEXT_TO_CJK.sub("", text)`, run by run: that pattern removes a whole run of
    spaces, tabs and NBSP where the character after it or the one before it is CJK (its first
    branch matches the run when the character after it is; the second, at the run's first
    character, when the one before is; inside a run neither can match), and keeps it otherwise."""
    parts = []
    done = 0
    for match in _SPACE_RUN.finditer(text):
        a, b = match.span()
        if (a and _CJK_CHAR.match(text, a - 1)) or _CJK_CHAR.match(text, b):
            parts.append(text[done:a])
            done = b
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.pdf as _this

    _contract: Loader = _this
