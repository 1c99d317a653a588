"""Every kind of bad input gives DocumentLoadError with a one-line Chinese reason, never a traceback;
and reading never changes a document."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from auditor.errors import UnsupportedFormatError
from auditor.loaders import docx, load

from .conftest import BAD, FORMATS, ROOT, load_error, make_docx, para


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "expect"), [
    ("empty.txt", b"", "文件为空"),
    ("empty.docx", b"", "文件为空"),
    ("blank.txt", " \n\t\r\n\u3000\n".encode(), "只有空白"),
    ("blank.md", b"\n\n\n", "只有空白"),
    ("garbage.txt", bytes(range(256)) * 8, "二进制"),
    ("english.txt", b"This annual report has no Chinese text at all.\n", "未发现中文"),
    ("undetectable.txt", b"\x80abc\x80def", "无法识别文本编码"),
    ("notzip.docx", "这不是压缩包，只是改了扩展名的文本".encode(), "不是 ZIP"),
    ("rtf.docx", b"{\\rtf1\\ansi report}", "RTF"),
    ("notpdf.pdf", b"GIF89a not a pdf", "不是有效的 PDF"),
    ("corrupt.pdf", b"%PDF-1.5\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n" + bytes(range(64, 128)), "PDF"),
    ("blank.html", b"<html><body>   </body></html>", "只有空白"),
    ("english.html", b"<html><body><p>Hello</p></body></html>", "未发现中文"),
])
def test_bad_bytes(tmp_path: Path, name: str, data: bytes, expect: str) -> None:
    assert expect in load_error(_write(tmp_path, name, data))


def test_truncated_docx(tmp_path: Path) -> None:
    data = (FORMATS / "002.docx").read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 200):
        assert "不完整或已损坏" in load_error(_write(tmp_path, "t.docx", data[:cut]))


def test_damaged_member_of_docx(tmp_path: Path) -> None:
    data = bytearray((FORMATS / "002.docx").read_bytes())
    start = data.index(b"word/document.xml") + 40  # inside the compressed stream of document.xml
    data[start : start + 200] = bytes(range(7, 207))
    message = load_error(_write(tmp_path, "d.docx", bytes(data)))
    assert "损坏" in message


def test_zip_without_word_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "word/document.xml" in load_error(_write(tmp_path, "x.docx", buf.getvalue()))


@pytest.mark.parametrize(("xml", "expect"), [
    (b"<w:document><unclosed>", "不是有效的 XML"),
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>', "DTD"),
])
def test_bad_document_xml(tmp_path: Path, xml: bytes, expect: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", xml)
    assert expect in load_error(_write(tmp_path, "x.docx", buf.getvalue()))


def test_zip_bomb_declared_size(tmp_path: Path) -> None:
    data = bytearray(make_docx(para("正文")))
    cd = data.index(b"PK\x01\x02")
    while cd >= 0:  # claim 3.75 GB for every member in the central directory
        struct.pack_into("<I", data, cd + 24, 0xF0000000)
        cd = data.find(b"PK\x01\x02", cd + 4)
    assert "压缩炸弹" in load_error(_write(tmp_path, "bomb.docx", bytes(data)))


def test_zip_bomb_many_entries(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", make_docx(para("正文")))
        for i in range(docx.MAX_ENTRIES + 1):
            zf.writestr(f"f/{i}", b"")
    assert "文件过多" in load_error(_write(tmp_path, "many.docx", buf.getvalue()))


def test_zip_bomb_real_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A real deflate bomb (1000:1), against lowered caps so the test stays small and fast.
    body = "<w:p><w:r><w:t>" + "法" * 1_000_000 + "</w:t></w:r></w:p>"
    data = make_docx(body)
    assert len(data) < 100_000
    monkeypatch.setattr(docx, "MAX_TOTAL_UNCOMPRESSED", 1_000_000)
    assert "压缩炸弹" in load_error(_write(tmp_path, "ratio.docx", data))
    monkeypatch.setattr(docx, "MAX_TOTAL_UNCOMPRESSED", 10_000_000)
    monkeypatch.setattr(docx, "MAX_PART_BYTES", 1_000_000)
    assert "压缩炸弹" in load_error(_write(tmp_path, "ratio.docx", data))


def test_encrypted_office_files() -> None:
    assert "已加密" in load_error(BAD / "encrypted.docx")
    assert "已加密" in load_error(BAD / "encrypted.pdf")


def test_zip_level_password(tmp_path: Path) -> None:
    data = bytearray(make_docx(para("正文")))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" flag bit
        pos = data.find(sig)
        while pos >= 0:
            data[pos + off] |= 0x01
            pos = data.find(sig, pos + 4)
    assert "已加密" in load_error(_write(tmp_path, "zipcrypto.docx", bytes(data)))


def test_old_word_file_named_docx(tmp_path: Path) -> None:
    message = load_error(_write(tmp_path, "old.docx", (FORMATS / "002.doc").read_bytes()))
    assert "旧版 Word" in message


def test_scan_pdf() -> None:
    assert "扫描件，无文字层" in load_error(BAD / "notext.pdf")


def test_paths(tmp_path: Path) -> None:
    assert "不存在" in load_error(tmp_path / "missing.txt")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert "目录" in load_error(folder)
    big = _write(tmp_path, "big.txt", "法治".encode() * 100)
    assert "文件过大" in load_error(big, max_bytes=10)
    with pytest.raises(UnsupportedFormatError):
        load(str(_write(tmp_path, "x.xlsx", b"PK")))


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "secret.txt", "法治".encode())
    if os.name == "posix" and os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: have the open itself refuse, as a protected file's would
        import builtins

        real_open = builtins.open

        def refusing_open(file: object, *args: object, **kwargs: object) -> object:
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(builtins, "open", refusing_open)
    assert "没有读取权限" in load_error(path)


@pytest.mark.parametrize(("codec", "text"), [
    ("gbk", "一、推进法治政府建设的主要举措和成效。朱镕基"),
    ("big5", "一、推進法治政府建設的主要舉措和成效。"),
    ("utf-16", "一、推进法治政府建设的主要举措和成效。"),
    ("gb18030", "一、推进法治政府建设。\u00a0二、存在的不足"),
])
def test_legacy_text_encodings_load(tmp_path: Path, codec: str, text: str) -> None:
    raw = load(str(_write(tmp_path, f"{codec}.txt", text.encode(codec))))
    assert raw.lines[0].text == text


def _state(paths: list[Path]) -> dict[str, tuple[str, int, int]]:
    return {str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns, p.stat().st_mode) for p in paths}


def test_loading_never_changes_documents() -> None:
    files = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file() and p.suffix != ".json")
    listing = {str(d): sorted(os.listdir(d)) for d in {p.parent for p in files}}
    before = _state(files)
    for path in files:
        try:
            load(str(path))
        except Exception as exc:  # noqa: BLE001 - only DocumentLoadError is allowed, checked below
            from auditor.errors import DocumentLoadError

            assert isinstance(exc, DocumentLoadError), f"{path}: {exc!r}"
    assert _state(files) == before
    assert {str(d): sorted(os.listdir(d)) for d in {p.parent for p in files}} == listing  # no lock/temp files
