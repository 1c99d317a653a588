"""The PDF page loop reads each character property for a whole page at once (the unicodes in one
call), takes PDFium's own lines as the visual lines where they provably are, and otherwise groups
lines by bisection (issue 23). It must give exactly what asking PDFium for each character's
properties in turn and grouping one character at a time gave: checked here against that plain
reading on every PDF fixture page and on generated pages (rotated text, spaced words, a hyphen at a
line's end, characters without unicode, control and supplementary characters), and against the
plain grouping (`_lines_by_char`) on generated character columns laid out as PDFium gives them
(its line breaks right, missing or misplaced; quotes drawn after their line; tops varying by
glyph; equal heights, mixed sizes on a line, lines closer than their size, spaces at the ends,
words apart, NaN and infinite boxes)."""

from __future__ import annotations

import ctypes
import io
import math
import random
import struct
from typing import Any

import pytest

from auditor.loaders import pdf

from .conftest import FORMATS

pdfium = pytest.importorskip("pypdfium2")
import pypdfium2.raw as c  # noqa: E402

_lines_sorted = pdf._lines_sorted  # (the tests below count the calls _lines makes to it)


def _plain_columns(tp: Any) -> list[tuple[str, float, float, float, float, float]]:
    """Each character's properties asked one call at a time through pypdfium2 (the loop before
    issue 23): (char, x0, y0, x1, y1, size) of the characters kept, in PDFium's order."""
    return _plain_reading(tp)[0]


def _plain_reading(tp: Any) -> tuple[list[tuple[str, float, float, float, float, float]], list[int]]:
    """`_plain_columns`, and where PDFium's lines start among the characters kept: after each
    line feed with characters kept before and after it."""
    handle, box = tp.raw, c.FS_RECTF()
    out = []
    breaks: list[int] = []
    for i in range(c.FPDFText_CountChars(handle)):
        if c.FPDFText_GetUnicode(handle, i) == 10 and out and out and len(out) not in breaks:
            breaks.append(len(out))
        if c.FPDFText_IsGenerated(handle, i):
            continue
        code = c.FPDFText_GetUnicode(handle, i)
        if code < 32 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            continue
        if 0.05 < c.FPDFText_GetCharAngle(handle, i) < 2 * math.pi - 0.05:
            continue
        assert c.FPDFText_GetLooseCharBox(handle, i, box)
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
        out.append((chr(code), x0, y0, x1, y1, c.FPDFText_GetFontSize(handle, i) or (y1 - y0)))
    return out, [k for k in breaks if k < len(out)]


def _kept(cols: pdf._Columns) -> list[tuple[str, float, float, float, float, float]]:
    return list(zip(cols.chars, cols.x0, cols.y0, cols.x1, cols.y1, cols.size))


def _fields(lines: list[Any]) -> list[tuple[Any, ...]]:
    return [(ln.page, ln.x0, ln.x1, ln.y0, ln.y1, ln.size, ln.text, ln.chars, ln.ocr) for ln in lines]


def _check_page(tp: Any) -> int:
    plain, breaks = _plain_reading(tp)
    cols = pdf._columns(tp, c)
    assert _kept(cols) == plain and cols.breaks == breaks
    by_char = pdf._columns_by_char(tp, c)  # the fallback for other pypdfium2 builds
    assert _kept(by_char) == plain and by_char.breaks == breaks
    want = _fields(pdf._lines_by_char(3, list(plain)))
    assert _fields(pdf._lines(3, cols)) == want
    assert _fields(_lines_sorted(3, cols)) == want
    return len(plain)


def test_every_fixture_page_reads_as_the_plain_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    sorted_pages = []
    monkeypatch.setattr(pdf, "_lines_sorted", lambda page, cols: sorted_pages.append(page) or _lines_sorted(page, cols))
    names = sorted(FORMATS.parent.rglob("*.pdf"))
    assert len(names) >= 30
    chars = pages = 0
    for path in names:
        try:
            doc = pdfium.PdfDocument(path.read_bytes())
        except pdfium.PdfiumError:
            continue  # the broken fixtures
        try:
            for i in range(len(doc)):
                pages += 1
                page = doc[i]
                tp = page.get_textpage()
                chars += _check_page(tp)
                tp.close()
                page.close()
        finally:
            doc.close()
    assert chars > 50_000
    # PDFium's own lines serve on all but a few pages (_lines sorts the others by height)
    assert pages > 200 and len(sorted_pages) <= pages // 20


def _generated_pdf() -> bytes:
    """A page with body lines, a word placed apart, a bigger title, a rotated watermark and a line
    tilted by 2° (under the 0.05 rad that counts as rotated)."""
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)

    def text(s: str, x: float, y: float, size: float, degrees: float = 0.0) -> None:
        obj = c.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", ctypes.c_float(size))
        buf = ctypes.create_string_buffer((s + "\0").encode("utf-16-le"))
        c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(c.FPDF_WCHAR)))
        cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        c.FPDFPageObj_Transform(obj, cos, sin, -sin, cos, x, y)
        c.FPDFPage_InsertObject(page.raw, obj)

    text("Big Title", 72, 760, 20)
    text("Hello world body text", 72, 700, 12)
    text("apart", 320, 700, 12)
    text("Second line here", 72, 680, 12)
    text("DRAFT", 200, 400, 40, degrees=45)
    text("tilted a little", 72, 600, 12, degrees=2)
    text("co-", 72, 560, 12)  # a hyphen ending a line: PDFium marks it (unicode 2)
    text("operation", 72, 546, 12)
    c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def test_generated_page_rotated_text_dropped_and_words_apart_spaced() -> None:
    doc = pdfium.PdfDocument(_generated_pdf())
    try:
        tp = doc[0].get_textpage()
        assert _check_page(tp) > 40
        texts = [ln.text for ln in pdf._lines(1, pdf._columns(tp, c))]
    finally:
        doc.close()
    assert texts == ["Big Title", "Hello world body text apart", "Second line here", "tilted a little", "co",
                     "operation"]


def _to_unicode_pdf(pairs: list[tuple[int, str]], content: bytes) -> bytes:
    """A one-page PDF whose Helvetica maps codes to unicodes through a ToUnicode CMap (pairs of
    code and UTF-16BE hex), with `content` as its page content."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            "1 begincodespacerange <00> <FF> endcodespacerange "
            f"{len(pairs)} beginbfchar " + " ".join(f"<{a:02X}> <{b}>" for a, b in pairs)
            + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def _unicodes(tp: Any) -> str:
    handle = tp.raw
    return "".join(chr(c.FPDFText_GetUnicode(handle, i)) for i in range(c.FPDFText_CountChars(handle)))


def _text_units(tp: Any) -> list[int]:
    """FPDFText_GetText's units for the whole page, terminator included."""
    n = c.FPDFText_CountChars(tp.raw)
    buf = (ctypes.c_ushort * (n + 1))()
    got = c.FPDFText_GetText(tp.raw, 0, n, buf)
    return list(buf)[:got]


@pytest.mark.parametrize("content, has, one_call", [
    # a character without unicode (U+FFFE in the page text) beside a supplementary one (two units)
    (b"BT /F1 12 Tf 72 700 Td (xAyCwD) Tj ET BT /F1 12 Tf 72 680 Td (plain) Tj ET", "\x00", False),
    # the same without the supplementary character: the page text has one unit a character
    (b"BT /F1 12 Tf 72 700 Td (xyCwD) Tj ET BT /F1 12 Tf 72 680 Td (plain) Tj ET", "\x00", True),
    # a control character (left out of the page text) beside one without unicode
    (b"BT /F1 12 Tf 72 700 Td (xBzCwD) Tj ET", "\x03", False),
])
def test_page_text_equals_each_character_unicode(content: bytes, has: str, one_call: bool) -> None:
    """The page's text in one call (FPDFText_GetText) stands for each character's unicode only
    where it has one unit a character; U+FFFE (no unicode, or a hyphen at a line's end) is asked
    of each such character, and a page whose text leaves characters out or encodes one in two
    units is read one character at a time."""
    data = _to_unicode_pdf([(0x41, "D840DC00"), (0x42, "0003"), (0x43, "0000"), (0x44, "4E2D")], content)
    doc = pdfium.PdfDocument(data)
    try:
        tp = doc[0].get_textpage()
        want = _unicodes(tp)
        assert has in want and "中" in want
        units = _text_units(tp)
        # one unit a character, U+FFFE where the unicode is 0: the page text serves (else one at a time)
        assert (len(units) == len(want) + 1 and 0xFFFE in units and 0xD840 not in units) == one_call
        assert pdf._page_text(pdf._Pdfium(c), tp.raw, len(want)) == want
        _check_page(tp)
    finally:
        doc.close()


def test_hyphen_at_line_end_reads_as_its_unicode() -> None:
    doc = pdfium.PdfDocument(_generated_pdf())
    try:
        tp = doc[0].get_textpage()
        want = _unicodes(tp)
        assert "\x02" in want  # PDFium's mark of a hyphen ending a line (U+FFFE in the page text)
        units = _text_units(tp)
        assert len(units) == len(want) + 1 and 0xFFFE in units
        assert pdf._page_text(pdf._Pdfium(c), tp.raw, len(want)) == want
    finally:
        doc.close()


def _f32(x: float) -> float:
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _random_columns(rng: random.Random) -> pdf._Columns:
    """Characters laid out in lines as PDFium's float32 boxes give them, in PDFium's order: one
    baseline a line with tops that vary by glyph (or heights that jitter), sizes mixed on some
    lines, a quote drawn after the rest of its line (another font's box), spaces at line ends and
    inside, characters of no width, words placed apart, lines closer than their size or on one
    height; PDFium's line breaks where lines start, now and then missing or inside a line; some
    pages shuffled."""
    chars: list[str] = []
    x0s: list[float] = []
    y0s: list[float] = []
    x1s: list[float] = []
    y1s: list[float] = []
    sizes: list[float] = []
    breaks: list[int] = []
    y = 800.0
    rough = rng.random() < 0.5  # else laid out as a word processor does (PDFium's lines are the lines)
    mixing = rng.choice([0.0, 0.15]) if rough else 0.0  # lines with sizes mixed
    pitches = [1.5, 1.5, 1.5, 1.2, 1.0, 0.6, 0.4, 0.0] if rough else [1.5, 1.5, 1.2]
    lost = rng.choice([0.0, 0.1]) if rough else 0.0  # PDFium's line breaks missing
    jitters = [0.0, 0.0, 0.0, 0.3, 2.0, 1.0] if rough else [0.0]  # heights jittering (times the size)
    base = 0.0
    for _ in range(rng.randint(1, 25)):
        if chars and rng.random() >= lost:
            breaks.append(len(chars))
        above, base = base, rng.choice([10.5, 12.0, 14.0, 16.0, 16.0, 22.0, 0.6])
        y -= max(above, base) * rng.choice(pitches)
        x = 72.0 + rng.choice([0, 0, 32, 150])
        jitter = rng.choice(jitters) * base
        mixed = rng.random() < mixing
        start = len(chars)
        for _ in range(rng.randint(1, 40)):
            size = rng.choice([base / 2, base * 1.5, 0.0, base]) if mixed and rng.random() < 0.2 else base
            ch = rng.choice("法治政府建设，。１2aB\u3000 ")
            width = (size or 3.0) * rng.choice([1.0, 1.0, 1.0, 0.5, 0.0])
            bottom = y + rng.uniform(-jitter, jitter) / 4
            top = bottom + (size or 1.0) * rng.choice([1.0, 0.98, 1.02, 1.04, 1.05, 0.9])
            chars.append(ch)
            x0s.append(_f32(x))
            x1s.append(_f32(x + width))
            y0s.append(_f32(bottom))
            y1s.append(_f32(top))
            sizes.append(size or (_f32(top) - _f32(bottom)))
            x += width + rng.choice([0.0, 0.0, 0.0, 0.5, width, -width / 2])
            if rough and rng.random() < 0.01 and len(chars) > start + 1:
                breaks.append(len(chars))  # PDFium breaking a line in two
        if rng.random() < 0.2 and len(chars) > start + 2:  # a quote drawn after its line, lower
            at = rng.randrange(start, len(chars) - 1)
            for col in (chars, x0s, y0s, x1s, y1s, sizes):
                col.append(col.pop(at))
            chars[-1] = "“"
            y0s[-1], y1s[-1] = _f32(y0s[-1] - base / 10), _f32(y1s[-1] - base / 10)
    if rough and rng.random() < 0.2:
        order = list(range(len(chars)))
        rng.shuffle(order)
        chars, x0s, y0s, x1s, y1s, sizes = ([col[i] for i in order] for col in (chars, x0s, y0s, x1s, y1s, sizes))
    breaks = sorted({k for k in breaks if 0 < k < len(chars)})
    return pdf._Columns("".join(chars), x0s, y0s, x1s, y1s, sizes, breaks)


def test_line_grouping_equals_the_plain_loop_on_generated_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    sorted_pages = []
    monkeypatch.setattr(pdf, "_lines_sorted", lambda page, cols: sorted_pages.append(page) or _lines_sorted(page, cols))
    rng = random.Random(23)
    for _ in range(1500):
        cols = _random_columns(rng)
        want = _fields(pdf._lines_by_char(1, _kept(cols)))
        assert _fields(pdf._lines(1, cols)) == want
        assert _fields(_lines_sorted(1, cols)) == want
    assert 300 < len(sorted_pages) < 1200  # both ways are taken often


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("column", ["x0", "x1", "y0", "y1", "size"])
def test_nan_or_infinite_box_reads_as_the_plain_loop(bad: float, column: str) -> None:
    rng = random.Random(5)
    for _ in range(50):
        cols = _random_columns(rng)
        if len(cols.chars) < 2:
            continue
        getattr(cols, column)[len(cols.chars) // 2] = bad
        want = _fields(pdf._lines_by_char(1, _kept(cols)))
        assert _fields(pdf._lines(1, cols)) == want


def test_line_edge_found_from_any_guess() -> None:
    """The bisection only guesses where a line ends (its bound is computed, not compared as the
    loop compares): the edge is then settled by the line test itself, from either side."""
    rng = random.Random(9)
    for _ in range(300):
        keys = sorted((_f32(rng.uniform(0, 900)) + _f32(rng.uniform(0, 900)) for _ in range(rng.randint(1, 30))),
                      reverse=True)
        start = rng.randrange(len(keys))
        centre = keys[max(0, start - 1)] / 2
        limit = rng.choice([0.5, 5.25, 8.0, 11.0, 400.0])
        edge = next((k for k in range(start, len(keys)) if not abs(centre - keys[k] / 2) <= limit), len(keys))
        for guess in range(start, len(keys) + 1):
            assert pdf._edge(keys, start, guess, centre, limit) == edge


def test_printing_mask_equals_the_control_pattern() -> None:
    """The page's mask of characters kept by unicode, taken from its UTF-16 bytes, is the
    control pattern's, on texts with control characters, lone surrogates, units whose low or
    high byte alone looks like a control or surrogate, and supplementary characters."""
    rng = random.Random(11)
    alphabet = ["a", " ", "\x00", "\x01", "\x1f", "\r", "\n", "\x7f", "\u0100", "\u0110", "\u1f00", "\ud800",
                "\udfff", "\ud7ff", "\ue000", "\ud8ff", "法", "\u201c", "\ufffe", "\U00020000", "\u3000", "\uff10"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        want = bytearray(b"\x01") * len(text)
        for match in pdf._CONTROL.finditer(text):
            want[match.start() : match.end()] = bytes(match.end() - match.start())
        assert pdf._printing(text) == want, repr(text)


def test_body_size_is_the_median_over_characters() -> None:
    """The body size is the median of the lines' sizes counted once per character."""
    import statistics

    rng = random.Random(7)
    for _ in range(2000):
        lines = [pdf._Line(1, 0.0, 1.0, 0.0, 1.0, rng.choice([10.5, 12.0, 16.0, 16.0, 22.0, 0.0, -0.0, 3.25]), "x",
                           [("x", 0.0, 1.0)] * rng.randint(0, 5)) for _ in range(rng.randint(1, 8))]
        sizes = [ln.size for ln in lines for _ in ln.chars]
        if sizes:
            assert pdf._median_by_char(lines) == statistics.median(sizes)


def test_clean_equals_its_plain_form() -> None:
    """clean() skips the mapping and the space substitutions when the text has nothing they touch,
    and removes the spaces next to CJK run by run as the pattern would (CJK block edges included)."""
    import re

    def plain(text: str) -> str:
        pdf.clean("")  # fills the table
        text = text.translate(pdf._COMPAT)
        text = pdf._SPACES_NEXT_TO_CJK.sub("", text)
        return re.sub(r"[ \t]{2,}", " ", text).strip()

    rng = random.Random(4)
    alphabet = "法治⼀⾏\uf900，（）ab12 \t\u00a0\u3000\n“”—…\u2017\u2020\u301f\u3040\ufe2f\ufe30\uffef\ufff0"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert pdf.clean(text) == plain(text)


def test_without_raw_functions_the_bound_ones_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    path = FORMATS / "004_hf.pdf"
    want = pdf.extract(path.read_bytes(), path=str(path))
    monkeypatch.setattr(pdf, "_PDFIUM", [])
    monkeypatch.setattr(pdf, "_Pdfium", lambda c: (_ for _ in ()).throw(AttributeError("_flags_")))
    assert pdf.extract(path.read_bytes(), path=str(path)) == want
    assert pdf._PDFIUM == [None]
