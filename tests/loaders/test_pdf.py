"""PDF: paragraphs rebuilt from character boxes; page furniture dropped; scans recognised."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.loaders import load
from auditor.loaders.pdf import _Line, _paragraphs, clean

from .conftest import (
    BAD,
    FORMATS,
    entries,
    ids,
    load_error,
    load_matching_source,
)

# LibreOffice's PDFs (office/) may join two centred title lines that look wrapped: test_office_pdf.py
PDFS = [m for m in entries(".pdf") if m["variant"] != "office"]


@pytest.mark.parametrize("entry", PDFS, ids=ids(PDFS))
def test_fixture_paragraphs_equal_source(entry: dict[str, str]) -> None:
    load_matching_source(entry, "pdf")


@pytest.mark.parametrize("name", ["004.pdf", "004_hf.pdf"])
def test_page_numbers_and_running_header_removed(name: str) -> None:
    lines = load(str(FORMATS / name)).lines
    text = "\n".join(ln.text for ln in lines)
    assert "内部资料" not in text
    assert not re.search(r"—\s*\d+\s*—|第\s*\d+\s*页", text)
    pages = [int(re.fullmatch(r"第(\d+)页第\d+段", ln.where or "").group(1)) for ln in lines]  # type: ignore[union-attr]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] > 3


def test_title_signature_and_date_keep_their_own_lines() -> None:
    lines = [ln.text for ln in load(str(FORMATS / "002.pdf")).lines]
    assert lines[0] == "周家店镇2023年度法治政府建设工作报告"
    assert lines[-5:-3] == ["常德市鼎城区周家店镇人民政府", "2024年2月26日"]


def test_no_spaces_inside_chinese_text() -> None:
    text = "".join(ln.text for ln in load(str(FORMATS / "004.pdf")).lines)
    assert "2023年" in text and not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff\d]|\d [\u4e00-\u9fff]", text)
    assert "“学思想、强党性、重实践、建新功”" in text  # quotes from another font stay in place


def test_clean_maps_kangxi_and_keeps_full_width_punctuation() -> None:
    assert clean("⼀是加强⾏政执法，（⼀）") == "一是加强行政执法，（一）"
    assert clean("\uf900") == "豈"
    assert clean("2023 年 发放 “ 软任务 ” ，Word Press") == "2023年发放“软任务”，Word Press"


def _line(text: str, x0: float, page: int = 1, y: float = 700, size: float = 16, right: float | None = None) -> _Line:
    chars = [(ch, x0 + 16 * i, x0 + 16 * (i + 1)) for i, ch in enumerate(text)]
    return _Line(page, x0, right if right is not None else chars[-1][2], y, y + size, size, text, chars)


def test_paragraph_rule() -> None:
    full = 80 + 16 * 27
    lines = [
        _line("二〇二三年工作报告", 200, y=760, size=22),  # title: bigger and centred
        _line("　　" + "正" * 25, 80, y=720, right=full),  # indented first line (2 em)
        _line("文" * 27, 80, y=691, right=full),  # continuation: joined
        _line("完。", 80, y=662),  # short line ends the paragraph
        _line("续" * 27, 80, y=633, right=full),  # not indented, previous short: new
        _line("一、总体情况" + "x" * 21, 80, y=604, right=full),  # heading-like start
        _line("尾" * 27, 80, y=575, right=full),
        _line("2024年3月1日", 80, page=2, y=700),  # a date line stands alone
        _line("尾" * 27, 80, page=2, y=671, right=full),
    ]
    got = [ln.text for ln in _paragraphs(lines)]
    assert got == ["二〇二三年工作报告", "正" * 25 + "文" * 27 + "完。", "续" * 27, "一、总体情况" + "x" * 21 + "尾" * 27,
                   "2024年3月1日", "尾" * 27]


def test_scan_without_text_layer() -> None:
    assert load_error(BAD / "notext.pdf").startswith("扫描件，无文字层")


def test_scan_message_names_ocr_and_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "List:\neng\nchi_sim\n", ""))
    ready = load_error(BAD / "notext.pdf")
    assert "加 --ocr 参数可先做文字识别再检查" in ready and "需先安装" not in ready
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "List:\neng\n", ""))
    missing = load_error(BAD / "notext.pdf")
    assert "加 --ocr 参数" in missing and "需先安装 Tesseract 及其中文识别数据 chi_sim" in missing


def test_encrypted_pdf() -> None:
    assert "已加密" in load_error(BAD / "encrypted.pdf")


@pytest.mark.parametrize("blob", [b"%PDF-1.7\n" + bytes(range(256)) * 20, b"%PDF-1.4\n%%EOF", b"<html>not a pdf</html>"])
def test_corrupt_pdf(tmp_path: Path, blob: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(blob)
    assert "PDF" in load_error(path)
