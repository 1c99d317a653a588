""".doc / .wps through antiword or LibreOffice; clear messages when neither is installed."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from auditor.loaders import legacy, load

from .conftest import (
    BAD,
    FORMATS,
    assert_same_lines,
    entries,
    expected_lines,
    ids,
    load_error,
    load_matching_source,
)

LEGACY = [m for m in entries(".doc") + entries(".wps")]
HAS_ANTIWORD = shutil.which("antiword") is not None
HAS_SOFFICE = (shutil.which("soffice") or shutil.which("libreoffice")) is not None
_which = shutil.which


def _hide(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    monkeypatch.setattr(legacy.shutil, "which", lambda n: None if n in names else _which(n))


@pytest.mark.skipif(not HAS_ANTIWORD, reason="antiword not installed")
@pytest.mark.parametrize("entry", LEGACY, ids=ids(LEGACY))
def test_antiword_lines_equal_source(entry: dict[str, str]) -> None:
    raw = load_matching_source(entry, "doc")
    assert raw.lines[0].where == "第1段"


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice not installed")
def test_soffice_conversion_when_no_antiword(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _hide(monkeypatch, "antiword")
    monkeypatch.setattr(legacy.tempfile, "tempdir", str(tmp_path))
    entry = next(m for m in LEGACY if m["file"].endswith(".wps"))
    raw = load(str(FORMATS / entry["file"]))
    assert_same_lines([ln.text for ln in raw.lines], expected_lines(entry))
    assert list(tmp_path.iterdir()) == []  # the private copy, profile and output are gone


def test_message_when_no_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    _hide(monkeypatch, "antiword", "soffice", "libreoffice")
    message = load_error(FORMATS / "002.doc")
    assert "LibreOffice" in message and "另存为 .docx" in message


def test_encrypted_doc_detected_before_any_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    _hide(monkeypatch, "antiword", "soffice", "libreoffice")
    assert "已加密" in load_error(BAD / "encrypted.doc")


def test_encrypted_docx_renamed_doc(tmp_path: Path) -> None:
    path = tmp_path / "x.doc"
    path.write_bytes((BAD / "encrypted.docx").read_bytes())
    assert "已加密" in load_error(path)


def test_content_sniffing(tmp_path: Path) -> None:
    docx_as_doc = tmp_path / "a.doc"
    docx_as_doc.write_bytes((FORMATS / "002.docx").read_bytes())
    assert load(str(docx_as_doc)).lines[0].text == "周家店镇2023年度法治政府建设工作报告"
    html_as_doc = tmp_path / "b.doc"
    html_as_doc.write_text("<html><body><p>另存为网页的法治政府建设报告。</p></body></html>", encoding="utf-8")
    assert [ln.text for ln in load(str(html_as_doc)).lines] == ["另存为网页的法治政府建设报告。"]
    rtf = tmp_path / "c.wps"
    rtf.write_bytes(b"{\\rtf1\\ansi hello}")
    assert "RTF" in load_error(rtf)
    junk = tmp_path / "d.doc"
    junk.write_bytes(b"\x00\x01junk" * 100)
    assert "不是有效的 Word/WPS 文件" in load_error(junk)


def test_hung_tool_is_killed_and_temp_removed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "antiword"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(legacy.shutil, "which", lambda n: str(fake) if n == "antiword" else None)
    monkeypatch.setattr(legacy, "TIMEOUT", 0.5)
    monkeypatch.setattr(legacy.tempfile, "tempdir", str(work))
    assert "antiword 无法读取" in load_error(FORMATS / "002.doc")
    assert os.listdir(work) == []


def test_time_budget_interrupt_kills_the_tool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auditor.run.engine import BudgetExceeded, time_budget

    pidfile = tmp_path / "pid"
    fake = tmp_path / "bin" / "antiword"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setattr(legacy.shutil, "which", lambda n: str(fake) if n == "antiword" else None)
    monkeypatch.setattr(legacy.tempfile, "tempdir", str(work))
    with pytest.raises(BudgetExceeded), time_budget(0.5):
        load(str(FORMATS / "002.doc"))
    with pytest.raises(ProcessLookupError):
        os.kill(int(pidfile.read_text()), 0)
    assert os.listdir(work) == []
