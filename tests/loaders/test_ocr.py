"""Scanned PDFs: 扫描件 without --ocr; with --ocr, read by Tesseract and audited like the text.

fixtures/formats/scan_000.pdf is fixtures/formats/000.pdf as page images only (fixtures/make_scan.py).
Tests marked `real_ocr` run the installed Tesseract (skipped without it and its chi_sim data); the
others put a fake `tesseract` first on PATH, so the plumbing (install messages, PGM files, TSV
parsing, failures, timeouts, temporary files, the cache key) is tested everywhere.
"""

from __future__ import annotations

import ctypes
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from auditor.pool import batch, cache
from auditor.run.engine import AuditOptions, audit_file
from auditor.loaders import load, ocr
from auditor.loaders.pdf import _Line, _page_list, _paragraphs
from auditor.models import RawText

from .conftest import FORMATS, ROOT, load_error

SCAN = FORMATS / "scan_000.pdf"
TEXT = ROOT / "fixtures" / "seeds" / "000_ae009fae7ef3885b.txt"
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-chi-sim"
HAS_OCR = ocr.available()
real_ocr = pytest.mark.skipif(
    not HAS_OCR, reason=f"needs tesseract with Simplified Chinese data (chi_sim): {INSTALL}"
)
# Rules whose outcome hangs on a keyword or a figure inside body text, where one misread character
# can flip it (亲自 read as 邓自 drops a duty kind from AR202's count). With Debian's Tesseract 5.3
# and chi_sim 4.1 they all equal the text's; other versions may differ, so they are not asserted.
OCR_SENSITIVE = {"AR201", "AR202", "AR204"}
_which = shutil.which


# ----------------------------------------------------------------------------- without OCR
def test_scan_fixture_is_image_only_and_small() -> None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped,unused-ignore]

    pdf = pdfium.PdfDocument(str(SCAN))
    try:
        assert len(pdf) == 6
        assert all(pdf[i].get_textpage().count_chars() == 0 for i in range(len(pdf)))
        assert all(ocr.has_image(pdf, i) for i in range(len(pdf)))
    finally:
        pdf.close()
    assert SCAN.stat().st_size < 1024 * 1024


def test_scan_without_ocr_is_an_error(packs: Any) -> None:
    assert load_error(SCAN).startswith("扫描件，无文字层")
    assert "加 --ocr 参数可先做文字识别再检查" in load_error(SCAN)  # the way out is named
    card = audit_file(str(SCAN), packs, AuditOptions())
    assert card.verdict == "error" and card.error is not None and card.error.startswith("扫描件，无文字层")


def _no_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "tesseract" else _which(name))


def test_ocr_without_tesseract_says_how_to_install(monkeypatch: pytest.MonkeyPatch, packs: Any) -> None:
    _no_tesseract(monkeypatch)
    message = load_error(SCAN, ocr=True)
    assert message.startswith("扫描件，无文字层") and "未找到 tesseract" in message and INSTALL in message
    # without --ocr the message still names it, and says what it needs first
    assert "加 --ocr 参数" in load_error(SCAN) and "需先安装 Tesseract" in load_error(SCAN)
    card = audit_file(str(SCAN), packs, AuditOptions(ocr=True))
    assert card.verdict == "error" and INSTALL in (card.error or "")


def test_ocr_without_chinese_data_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/tesseract")
    listing = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\neng\nosd\n'
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, listing, ""))
    message = load_error(SCAN, ocr=True)
    assert "chi_sim" in message and "但未安装" in message and INSTALL in message


def test_ocr_leaves_text_pdfs_and_other_formats_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_tesseract(monkeypatch)  # nothing to OCR, so nothing needs Tesseract
    plain = load(str(FORMATS / "000.pdf"))
    with_ocr = load(str(FORMATS / "000.pdf"), ocr=True)
    assert with_ocr == plain and "ocr_pages" not in with_ocr.meta
    # formats without OCR keep extract(data, *, path): load() passes ocr only to the pdf module
    assert load(str(TEXT), ocr=True) == load(str(TEXT))
    assert load(str(FORMATS / "000.docx"), ocr=True) == load(str(FORMATS / "000.docx"))


# ----------------------------------------------------------------------------- a fake tesseract
FAKE = '''#!{python}
import os, sys
args = sys.argv[1:]
if "--list-langs" in args:
    print('List of available languages in "/fake" (2):\\nchi_sim\\neng')
    sys.exit(0)
image = args[0]
with open(image, "rb") as fh:
    data = fh.read()
magic, size, maxval, pixels = data.split(b"\\n", 3)
w, h = map(int, size.split())
ok = magic == b"P5" and maxval == b"255" and len(pixels) == w * h
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(f"{{image}} {{w}} {{h}} {{args[args.index('--dpi') + 1]}} {{ok}}\\n")
mode = os.environ.get("FAKE_MODE", "tsv")
if mode == "fail":
    sys.stderr.write("Error: cannot read the picture\\n")
    sys.exit(1)
if mode == "sleep":
    import time
    time.sleep(30)
with open(os.environ["FAKE_TSV"], encoding="utf-8") as fh:
    sys.stdout.write(fh.read())
'''


def tsv(lines: list[tuple[int, int, str]], *, char: int = 40) -> str:
    """Tesseract-style TSV: (left, top, words separated by spaces) per line, characters `char` px
    square, words one character apart, every line its own block (as Tesseract often does)."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for b, (left, top, text) in enumerate(lines, 1):
        words = text.split(" ")
        width = sum(len(w) for w in words) * char + (len(words) - 1) * char
        rows.append(f"4\t1\t{b}\t1\t1\t0\t{left}\t{top}\t{width}\t{char}\t-1\t")
        x = left
        for n, word in enumerate(words, 1):
            rows.append(f"5\t1\t{b}\t1\t1\t{n}\t{x}\t{top}\t{len(word) * char}\t{char}\t95.0\t{word}")
            x += (len(word) + 1) * char
    return "\n".join(rows) + "\n"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimpleNamespace]:
    """A fake tesseract first on PATH, temporary files under tmp_path/tmp (checked empty after)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "tesseract"
    exe.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    exe.chmod(0o755)
    log, page = tmp_path / "calls.log", tmp_path / "page.tsv"
    log.touch()
    page.write_text(tsv([(236, 300, "一、 中 国 2023 年 法治 政府 建设"), (790, 2150, "一 3 一")]), encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_TSV", str(page))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    state = SimpleNamespace(log=log, tsv=page, tmp=tmp)
    yield state
    assert list(tmp.iterdir()) == []  # whatever happened, no temporary file is left


def test_fake_pages_are_pgm_files_in_a_private_directory_and_tsv_becomes_lines(fake: SimpleNamespace) -> None:
    raw = load(str(SCAN), ocr=True)
    calls = [ln.split() for ln in fake.log.read_text(encoding="utf-8").splitlines()]
    assert len(calls) == 6  # one tesseract run per page
    assert {c[0] for c in calls} == {calls[0][0]}  # one file, rewritten for every page …
    assert Path(calls[0][0]).parent.parent == fake.tmp and Path(calls[0][0]).name == "page.pgm"  # … in its own dir
    assert all(c[3] == "200" and c[4] == "True" for c in calls)  # valid PGM, resolution passed on
    w, h = int(calls[0][1]), int(calls[0][2])
    assert abs(w - 595.44 * 200 / 72) < 1.5 and abs(h - 842.04 * 200 / 72) < 1.5  # A4 at 200 dpi
    # spaces between Chinese characters go, "一 3 一" at the foot of the page is a page number
    assert [ln.text for ln in raw.lines] == ["一、中国2023年法治政府建设"] * 6
    assert [ln.where for ln in raw.lines] == [f"第{p}页第1段，OCR识别" for p in range(1, 7)]
    assert raw.meta["ocr_pages"] == "1-6"


def _ocr_line(text: str, x0: float, y: float, right: float | None = None) -> _Line:
    chars = [(ch, x0 + 16 * i, x0 + 16 * (i + 1)) for i, ch in enumerate(text)]
    return _Line(1, x0, right if right is not None else chars[-1][2], y, y + 15, 15, text, chars, ocr=True)


def test_ocr_paragraphs_tolerate_ink_boxes_and_a_lost_character() -> None:
    full = 80 + 16 * 27
    lines = [
        _ocr_line("一是" + "正" * 23, 112, 720, right=full),  # indented 2 em: a paragraph starts
        _ocr_line("文" * 25 + "、", 80, 691, right=full - 20),  # ends in 、, inked short of the edge: joined
        _ocr_line("续" * 26, 96, 662, right=full),  # its first character lost, 1 em in: joined
        _ocr_line("《纲要》" + "学" * 22, 88, 633, right=full - 16),  # 《 inks its right half; 1 char lost: joined
        _ocr_line("尾。", 80, 604),
        _ocr_line("二是" + "新" * 25, 112, 575, right=full),  # indented: a new paragraph
    ]
    got = [p.text for p in _paragraphs(lines)]
    assert got == ["一是" + "正" * 23 + "文" * 25 + "、" + "续" * 26 + "《纲要》" + "学" * 22 + "尾。", "二是" + "新" * 25]


def test_fake_tesseract_failure_is_a_clear_error(fake: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MODE", "fail")
    assert load_error(SCAN, ocr=True) == "OCR 识别第1页失败（tesseract：Error: cannot read the picture）"


def _mixed(tmp_path: Path) -> Path:
    """Pages 1-4 with a text layer (000.pdf), 5-6 scanned (scan_000.pdf), and a blank page 7."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(str(FORMATS / "000.pdf")), [0, 1, 2, 3])
    out.import_pages(pdfium.PdfDocument(str(SCAN)), [4, 5])
    out.new_page(595, 842)
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as fh:
        out.save(fh)
    return path


def test_fake_ocr_reads_only_the_scanned_pages_of_a_text_pdf(fake: SimpleNamespace, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    mixed = _mixed(tmp_path)
    plain = load(str(mixed))  # without --ocr: the text layer only, as before
    assert {re.sub(r"第\d+段$", "", ln.where or "") for ln in plain.lines} == {"第1页", "第2页", "第3页", "第4页"}
    raw = load(str(mixed), ocr=True)
    assert len(fake.log.read_text(encoding="utf-8").splitlines()) == 2  # pages 5 and 6; not the blank 7
    assert [ln.text for ln in raw.lines[:-2]] == [ln.text for ln in plain.lines]
    assert [(ln.where, ln.text) for ln in raw.lines[-2:]] == [
        ("第5页第1段，OCR识别", "一、中国2023年法治政府建设"), ("第6页第1段，OCR识别", "一、中国2023年法治政府建设")]
    assert raw.meta["ocr_pages"] == "5、6"
    _no_tesseract(monkeypatch)
    assert load_error(mixed, ocr=True).startswith("第5、6页无文字层；--ocr 需要 Tesseract")


def test_fake_ocr_finding_no_chinese_is_the_scan_message(fake: SimpleNamespace) -> None:
    fake.tsv.write_text(tsv([(236, 300, "lorem ipsum")]), encoding="utf-8")
    assert load_error(SCAN, ocr=True).startswith("扫描件，无文字层，OCR 也未识别出中文文字")


def test_fake_page_timeout(fake: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MODE", "sleep")
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT", 0.5)
    assert load_error(SCAN, ocr=True) == "OCR 识别第1页超时（超过 0.5 秒）"


def test_fake_time_budget_stops_ocr_and_names_timeout(fake: SimpleNamespace, monkeypatch: pytest.MonkeyPatch,
                                                      packs: Any) -> None:
    monkeypatch.setenv("FAKE_MODE", "sleep")
    card = audit_file(str(SCAN), packs, AuditOptions(ocr=True, time_budget=0.5))
    assert card.verdict == "error" and card.error is not None
    assert card.error.startswith("处理超时") and "--timeout" in card.error


def test_ocr_is_part_of_the_cache_keys(fake: SimpleNamespace, packs: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    plain, with_ocr = AuditOptions(), AuditOptions(ocr=True)
    assert cache.salt(packs, plain, "code") != cache.salt(packs, with_ocr, "code")
    c = cache.open_cache(packs, with_ocr)
    first, _ = batch.audit_one(str(SCAN), batch.Job(packs=packs, options=with_ocr, cache=c))
    assert first.verdict == "error" and first.error is not None and "这不像法治政府建设报告" in first.error  # read, not a report
    assert c is not None
    c.flush()  # new entries are committed at the end of a batch
    # without --ocr the text read by OCR must not be served: the scan is a scan again
    without, _ = batch.audit_one(str(SCAN), batch.Job(packs=packs, options=plain, cache=cache.open_cache(packs, plain)))
    assert without.error is not None and without.error.startswith("扫描件，无文字层")
    # with --ocr again, the OCR'd text comes from the cache: Tesseract does not run
    calls = len(fake.log.read_text(encoding="utf-8").splitlines())
    c2 = cache.open_cache(packs, with_ocr)
    assert c2 is not None
    batch.audit_one(str(SCAN), batch.Job(packs=packs, options=with_ocr, cache=c2))
    assert c2.text_hits == 1 and len(fake.log.read_text(encoding="utf-8").splitlines()) == calls


def test_pgm_rows_skip_the_stride_padding_and_keep_one_channel(tmp_path: Path) -> None:
    grey = SimpleNamespace(width=3, height=2, stride=4, n_channels=1,
                           buffer=(ctypes.c_ubyte * 8)(1, 2, 3, 0, 4, 5, 6, 0))
    ocr._write_pgm(grey, str(tmp_path / "g.pgm"))
    assert (tmp_path / "g.pgm").read_bytes() == b"P5\n3 2\n255\n\x01\x02\x03\x04\x05\x06"
    bgr = SimpleNamespace(width=2, height=1, stride=8, n_channels=3,
                          buffer=(ctypes.c_ubyte * 8)(9, 1, 9, 9, 2, 9, 0, 0))
    ocr._write_pgm(bgr, str(tmp_path / "c.pgm"))
    assert (tmp_path / "c.pgm").read_bytes() == b"P5\n2 1\n255\n\x01\x02"


def test_page_lists() -> None:
    assert [_page_list(x) for x in ([0], [4, 5], [0, 1, 2, 5], [0, 2, 3, 4, 6, 7])] == ["1", "5、6", "1-3、6", "1、3-5、7、8"]


def test_ocr_lines_are_labelled_as_ocr() -> None:
    lines = ocr._lines(tsv([(236, 300, "五、 其他 需要 报告 的 情况")]), 5, 842.0, 200 / 72)
    assert [p.where for p in _paragraphs(lines)] == ["第5页第1段，OCR识别"]


# ----------------------------------------------------------------------------- the command line
def test_cli_accepts_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import invoke

    monkeypatch.chdir(tmp_path)
    assert invoke("check", "--ocr", ROOT / "fixtures/reports/compliant.txt").exit_code == 0
    _no_tesseract(monkeypatch)
    result = invoke("check", "--ocr", "--no-color", SCAN)
    assert result.exit_code == 2 and INSTALL in result.stdout


def test_config_ocr_true_and_no_ocr_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import invoke

    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditor.yaml").write_text("ocr: true\n", encoding="utf-8")
    _no_tesseract(monkeypatch)
    assert INSTALL in invoke("check", "--no-color", SCAN).stdout  # the config asked for OCR
    out = invoke("check", "--no-ocr", "--no-color", SCAN).stdout
    assert "扫描件，无文字层" in out and INSTALL not in out
    (tmp_path / "auditor.yaml").write_text("ocr: yes please\n", encoding="utf-8")
    bad = invoke("check", SCAN)
    assert bad.exit_code == 2 and "ocr" in bad.output


# ----------------------------------------------------------------------------- real Tesseract
@pytest.fixture(scope="module")
def real(packs: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """One real OCR run of the scan (about 7 s) through audit_file, keeping the extracted text;
    its temporary files watched."""
    if not HAS_OCR:
        pytest.skip(f"needs tesseract with Simplified Chinese data (chi_sim): {INSTALL}")
    tmp = tmp_path_factory.mktemp("ocr-tmp")
    seen: list[bool] = []
    run = ocr._tesseract

    def watched(exe: str, image: str, **kw: Any) -> str:
        seen.append(os.path.isfile(image) and Path(image).parent.parent == tmp)
        return run(exe, image, **kw)

    raws: list[RawText] = []

    def keep(path: str, **kw: Any) -> RawText:  # audit_file's loader hook, as the batch cache uses it
        raws.append(load(path, **kw))
        return raws[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(tmp))
        mp.setattr(ocr, "_tesseract", watched)
        card = audit_file(str(SCAN), packs, AuditOptions(ocr=True), loader=keep)
    yield SimpleNamespace(raw=raws[0], card=card, tmp=tmp, seen=seen, text=audit_file(str(TEXT), packs, AuditOptions()))


@real_ocr
def test_real_ocr_reads_the_scan_as_the_text(real: SimpleNamespace) -> None:
    card, text = real.card, real.text
    assert card.error is None and card.pack == text.pack == "annual" and card.report_year == text.report_year == 2023
    got = {r.rule: r.status.value for r in card.results}
    want = {r.rule: r.status.value for r in text.results}
    for rule in ("AR101", "AR102", "AR103", "AR104", "AR105", "AR301", "AR302", "AR303"):
        assert got[rule] == want[rule] == "pass", rule
    assert {k: v for k, v in got.items() if k not in OCR_SENSITIVE} == {
        k: v for k, v in want.items() if k not in OCR_SENSITIVE}
    assert card.verdict == text.verdict == "pass"
    assert card.body == text.body == "重庆市南岸区人民政府龙门浩街道办事处"  # the signature


@real_ocr
def test_real_ocr_scorecard_says_the_text_was_ocr(real: SimpleNamespace) -> None:
    from auditor.reporters.terminal import header_lines

    header = ["".join(t for t, _ in line) for line in header_lines(real.card)]
    assert "文字来源：OCR识别（第1-6页），识别错误可能影响检查结果，请对照原件核对" in header
    assert not any(line.startswith("文字来源") for line in ["".join(t for t, _ in ln) for ln in header_lines(real.text)])


@real_ocr
def test_real_ocr_text_is_close_and_located(real: SimpleNamespace) -> None:
    pdf = load(str(FORMATS / "000.pdf"))
    ocr_text = "".join(ln.text for ln in real.raw.lines)
    ratio = difflib.SequenceMatcher(None, "".join(ln.text for ln in pdf.lines), ocr_text, autojunk=False).ratio()
    assert ratio > 0.95, ratio
    assert all(ln.where.endswith("段，OCR识别") for ln in real.raw.lines)
    assert real.raw.meta["ocr_pages"] == "1-6"
    assert "2024年3月4日" in [ln.text for ln in real.raw.lines]
    assert not any(re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", ln.text) for ln in real.raw.lines)
    signed = next(r for r in real.card.results if r.rule == "AR302")
    assert re.fullmatch(r"第5页第\d+段，OCR识别", signed.evidence[0].where or "")


@real_ocr
def test_real_ocr_leaves_no_temporary_files(real: SimpleNamespace) -> None:
    assert len(real.seen) == 6 and all(real.seen)  # each page a file in the private dir
    assert list(real.tmp.iterdir()) == []
