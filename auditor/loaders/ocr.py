"""OCR of scanned PDF pages with Tesseract (`auditor check --ocr`), for pdf.py.

Used only when OCR was asked for and a page has no text layer. Each page is rendered by pdfium
as 8-bit grey at 200 dpi and written as a binary PGM (P5: a header and the rows, so neither
Pillow nor numpy is needed) into a private temporary directory that is removed whatever
happens: a Tesseract failure, a per-page timeout or the document's time budget (SIGALRM
raises inside subprocess.run, which kills Tesseract before the directory goes).

Tesseract writes TSV: a box for every line and word. The lines become page_lines.PageLine records in
points (flagged `ocr`), so OCR'd pages go through the same page-number and running-header
removal and the same paragraph rebuilding (indents, short last lines, heading starts) as a text
layer; pdf._paragraphs only allows OCR'd lines more slack, because ink boxes are narrower than
type boxes (、 and 。 ink the left of their cell, 《 the right) and a first or last character is
lost now and then. Words are joined with a space only where the gap is wide; pdf.clean() then
deletes the spaces next to Chinese characters, as for a text layer.

200 dpi, not the usual 300: Tesseract's Chinese model reads characters about 30-45 px tall best,
and the 16 pt body of an official document (GB/T 9704 三号) is 44 px at 200 dpi, 67 px at 300.
On fixtures/formats/scan_000.pdf (2,708 characters) 300 dpi lost 84 characters and added 56, 200
dpi lost 28 and added 21; a 10.5 pt copy did best between 180 and 220 dpi. (Results scatter by
±30 from one resolution to the next, so no finer tuning.)

Tesseract runs with OMP_THREAD_LIMIT=1 unless the caller set it: left to its default OpenMP
threads, a page took ~7 s on a 2-core machine instead of ~1.5 s (the threads spin against each
other), and batch workers (-j) already keep every core busy. Measured here: ~1.3 s for a full A4
page, 7.2 s for the 6 pages of scan_000.pdf (text layer of 000.pdf: 0.04 s).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from typing import Any

from auditor.errors import DocumentLoadError
from auditor.loaders.page_lines import MARGIN, PageLine as _Line

LANG = "chi_sim"
DPI = 200
MAX_SIDE = 7000  # pixels: a poster-sized page is rendered at a lower resolution
PAGE_TIMEOUT = 120.0  # seconds per page; the document's time budget (--timeout) applies as well
INSTALL = "Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim；macOS：brew install tesseract tesseract-lang"
# OCR reads the "— 3 —" of a page number as 一3一: dropped when alone in the top or bottom margin.
_PAGE_NO = re.compile(r"^[-—–－一_~·•]*(?:\d{1,4}|第\d+页(?:共\d+页)?)[-—–－一_~·•]*$")


def tesseract() -> tuple[str | None, set[str]]:
    """(the tesseract command or None, the languages it has data for)."""
    exe = shutil.which("tesseract")
    if not exe:
        return None, set()
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return exe, set()
    # Tesseract 4+ lists on stdout, 3.x on stderr; the first line is "List of available languages …".
    return exe, {ln.strip() for ln in f"{done.stdout}\n{done.stderr or ''}".splitlines() if ln.strip()}


def available() -> bool:
    """Whether --ocr would work: tesseract with Simplified Chinese data."""
    exe, langs = tesseract()
    return exe is not None and LANG in langs


def require(what: str = "扫描件，无文字层") -> str:
    """The tesseract command, or a DocumentLoadError (starting with `what`) saying what to install."""
    exe, langs = tesseract()
    if exe is None:
        raise DocumentLoadError(f"{what}；--ocr 需要 Tesseract 文字识别程序，但未找到 tesseract 命令，请安装（{INSTALL}）")
    if LANG not in langs:
        raise DocumentLoadError(f"{what}；--ocr 需要 Tesseract 的简体中文识别数据 {LANG}，但未安装（{INSTALL}）")
    return exe


def has_image(pdf: Any, index: int) -> bool:
    """Whether a page shows an image (a scanned page does; a blank page does not)."""
    import pypdfium2.raw as c  # type: ignore[import-untyped,unused-ignore]

    page = pdf[index]
    try:
        return any(True for _ in page.get_objects(filter=(c.FPDF_PAGEOBJ_IMAGE,)))
    finally:
        page.close()


def read_pages(pdf: Any, indexes: list[int], *, what: str = "扫描件，无文字层") -> dict[int, tuple[float, list[_Line]]]:
    """Page index → (page height in points, OCR'd lines), as pdf._page_lines gives for a text
    layer. `what` opens the message when Tesseract is missing."""
    exe = require(what)
    env = dict(os.environ)
    env.setdefault("OMP_THREAD_LIMIT", "1")
    out: dict[int, tuple[float, list[_Line]]] = {}
    with tempfile.TemporaryDirectory(prefix="auditor-ocr-") as tmp:
        image = os.path.join(tmp, "page.pgm")
        for index in indexes:
            page = pdf[index]
            try:
                scale = min(DPI / 72, MAX_SIDE / max(*page.get_size(), 1.0))
                bitmap = page.render(scale=scale, grayscale=True)  # honours the page's /Rotate
                try:
                    _write_pgm(bitmap, image)
                    height = bitmap.height / scale
                finally:
                    bitmap.close()
            finally:
                page.close()
            tsv = _tesseract(exe, image, dpi=round(scale * 72), page=index + 1, env=env)
            out[index] = (height, _lines(tsv, index + 1, height, scale))
    return out


def _write_pgm(bitmap: Any, path: str) -> None:
    """A pdfium bitmap as binary PGM. Rows are `stride` bytes apart (padded to 4); a renderer that
    gives grey as BGR(x/A) anyway has equal channels, of which one is kept."""
    w, h, stride, n = bitmap.width, bitmap.height, bitmap.stride, bitmap.n_channels
    buf = memoryview(bitmap.buffer).cast("B")
    with open(path, "wb") as fh:
        fh.write(b"P5\n%d %d\n255\n" % (w, h))
        if n == 1 and stride == w:
            fh.write(buf[: w * h])
            return
        for row in range(h):
            line = buf[row * stride : row * stride + w * n]
            fh.write(line if n == 1 else bytes(line)[1::n])


def _tesseract(exe: str, image: str, *, dpi: int, page: int, env: dict[str, str]) -> str:
    cmd = [exe, image, "stdout", "-l", LANG, "--dpi", str(dpi),
           "-c", "tessedit_create_tsv=1", "-c", "tessedit_create_txt=0"]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=PAGE_TIMEOUT, check=False, env=env)
    except subprocess.TimeoutExpired as exc:
        raise DocumentLoadError(f"OCR 识别第{page}页超时（超过 {PAGE_TIMEOUT:g} 秒）") from exc
    except OSError as exc:
        raise DocumentLoadError(f"无法运行 tesseract：{exc.strerror or exc}") from exc
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentLoadError(f"OCR 识别第{page}页失败（tesseract：{why[-1] if why else done.returncode}）")
    return done.stdout.decode("utf-8", "replace")


def _lines(tsv: str, page: int, height: float, scale: float) -> list[_Line]:
    """Tesseract TSV → lines in points with PDF-style y (up), in Tesseract's reading order.
    Level 4 rows box a line, level 5 rows a word (numbered by block, paragraph and line); a
    word's box is shared evenly by its characters (Tesseract boxes words, not characters).
    Either box may come out far too tall (a word with punctuation, a line touching a speck), so a
    line's size is the smaller of its box height and the median height of its Chinese words, and
    its top the median top of those words."""
    box_height: dict[tuple[str, str, str], float] = {}  # block, paragraph, line → height
    words: dict[tuple[str, str, str], list[tuple[str, float, float, float, float]]] = {}  # text, left, top, w, h
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] not in ("4", "5"):
            continue
        try:
            left, top, w, h = (int(v) / scale for v in cols[6:10])
        except ValueError:
            continue
        key = (cols[2], cols[3], cols[4])
        if cols[0] == "4":
            box_height[key] = h
        elif cols[11].strip():
            words.setdefault(key, []).append((cols[11].strip(), left, top, w, h))
    out = []
    for key, line in words.items():
        typical = [wd for wd in line if all("\u4e00" <= ch <= "\u9fff" for ch in wd[0])] or line
        top = statistics.median(wd[2] for wd in typical)
        size = min(box_height.get(key, math.inf), statistics.median(wd[4] for wd in typical))
        ln = _Line(page, line[0][1], line[-1][1] + line[-1][3], height - top - size, height - top, size, ocr=True)
        parts: list[str] = []
        for text, left, _, w, _ in line:
            if parts and left - ln.chars[-1][2] > 0.3 * size:
                parts.append(" ")  # words apart; spaces next to Chinese go in pdf.clean()
            parts.append(text)
            step = w / len(text)
            ln.chars.extend((ch, left + k * step, left + (k + 1) * step) for k, ch in enumerate(text))
        ln.text = "".join(parts)
        in_margin = ln.y0 > height * (1 - MARGIN) or ln.y1 < height * MARGIN
        if in_margin and _PAGE_NO.match(re.sub(r"\s+", "", ln.text)):
            continue
        out.append(ln)
    return out
