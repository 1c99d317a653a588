"""Uploads → files in a private temporary directory, with the limits a public endpoint needs.

No client value becomes a path: every file is written as `<n><suffix>` inside a fresh
`tempfile.mkdtemp` directory, where the suffix is one of the loaders' own (matched, never copied
from the client); the client's file name is kept only as the display name of the report.
A .zip is opened in memory under the same zip-bomb limits as a .docx (entries, declared total
size) and every member is read with a cap, so a member lying about its size cannot grow past it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from auditor.loaders import LOADER_BY_SUFFIX
from auditor.loaders.docx import MAX_ENTRIES, MAX_TOTAL_UNCOMPRESSED

TEMP_PREFIX = "auditor-web-"
PASTED_NAME = "粘贴的文本.txt"


class UploadError(Exception):
    """A request the server refuses as a whole; the message is Chinese and shown to the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Item:
    """One document to audit: `path` is ours (None when it is refused before any audit)."""

    name: str  # what the user called it: shown, never used as a path
    path: str | None
    refused: str | None = None  # the Chinese reason when path is None


@dataclass
class Batch:
    folder: str
    items: list[Item] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # zip members that are not reports

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str | None, fallback: str) -> str:
    """A client-given name made safe to show: no control characters, at most 200 characters."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", name or "")).strip().replace("\\", "/")
    return (text or fallback)[-200:]


def suffix_of(name: str) -> str | None:
    """The loader suffix of a name, or None when it is not a format auditor reads."""
    ext = os.path.splitext(name)[1].lower()
    return ext if ext in LOADER_BY_SUFFIX else None


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip members saved on a Chinese Windows carry GBK names without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


class Receiver:
    """Writes one request's documents into its own temporary directory."""

    def __init__(self, *, max_bytes: int, max_files: int) -> None:
        self.max_bytes = max_bytes  # one document
        self.max_files = max_files
        self.batch = Batch(tempfile.mkdtemp(prefix=TEMP_PREFIX))

    def _write(self, name: str, data: bytes) -> None:
        if len(self.batch.items) >= self.max_files:
            raise UploadError(f"一次最多检查 {self.max_files} 份文件，请分批上传", 413)
        suffix = suffix_of(name)
        if suffix is None:
            ext = os.path.splitext(name)[1] or "无扩展名"
            self.batch.items.append(Item(name, None, f"不支持的文件类型“{ext}”；支持：{'、'.join(sorted(LOADER_BY_SUFFIX))}"))
            return
        if len(data) > self.max_bytes:
            self.batch.items.append(Item(name, None, f"文件过大（{len(data) / 1048576:.1f} MB，上限 {self.max_bytes / 1048576:.0f} MB）"))
            return
        path = os.path.join(self.batch.folder, f"{len(self.batch.items):04d}{suffix}")
        with open(path, "wb") as fh:
            fh.write(data)
        self.batch.items.append(Item(name, path))

    def add_text(self, text: str) -> None:
        self._write(PASTED_NAME, text.encode("utf-8"))

    def add_file(self, name: str | None, data: bytes) -> None:
        shown = display_name(name, f"文件{len(self.batch.items) + 1}")
        if shown.lower().endswith(".zip"):
            self._unzip(shown, data)
        else:
            self._write(shown, data)

    def _unzip(self, zip_name: str, data: bytes) -> None:
        try:
            zf = zipfile.ZipFile(BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise UploadError(f"“{zip_name}”不是有效的 ZIP 压缩包，可能已损坏") from exc
        with zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise UploadError(f"“{zip_name}”内文件过多（{len(infos)} 个，上限 {MAX_ENTRIES}），疑似压缩炸弹，已拒绝", 413)
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise UploadError(f"“{zip_name}”解压后体积过大（{total / 1048576:.0f} MB，上限 "
                                  f"{MAX_TOTAL_UNCOMPRESSED // 1048576} MB），疑似压缩炸弹，已拒绝", 413)
            found = 0
            for info in infos:
                name = display_name(_member_name(info), "")
                base = name.rsplit("/", 1)[-1]
                if info.is_dir() or not base or base.startswith(("._", "~$")) or "__MACOSX/" in name:
                    continue
                shown = f"{zip_name}/{name}"
                if suffix_of(name) is None:
                    self.batch.skipped.append(shown)
                    continue
                found += 1
                if info.flag_bits & 0x1:
                    self.batch.items.append(Item(shown, None, "压缩包内的文件已加密，无法读取"))
                    continue
                if info.file_size > self.max_bytes:
                    self.batch.items.append(Item(
                        shown, None, f"文件过大（{info.file_size / 1048576:.1f} MB，上限 {self.max_bytes / 1048576:.0f} MB）"))
                    continue
                try:
                    with zf.open(info) as fh:
                        member = fh.read(self.max_bytes + 1)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as exc:
                    self.batch.items.append(Item(shown, None, f"压缩包内的文件已损坏，无法解压（{type(exc).__name__}）"))
                    continue
                self._write(shown, member)
            if not found:
                raise UploadError(f"“{zip_name}”中没有可检查的报告文件（支持：{'、'.join(sorted(LOADER_BY_SUFFIX))}）")
