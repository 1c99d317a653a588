"""Loader registry: file suffix → format module, imported only when a file of that kind is read.

Every format module has `SUFFIXES` and `extract(data: bytes, *, path: str) -> RawText`; a module
that can read page images (pdf) also has `SUPPORTS_OCR = True` and takes `ocr=True` from `load()`.
`load()` reads the file once (read-only), enforces the size cap and turns every failure into a
DocumentLoadError whose message is Chinese and names what went wrong.
"""

from __future__ import annotations

import importlib
import os
import stat
from typing import Protocol, cast

from auditor.errors import DocumentLoadError, UnsupportedFormatError
from auditor.models import RawText

#: suffix → module under auditor.loaders. Adding a format: a module plus one line here.
LOADER_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".doc": "legacy",
    ".wps": "legacy",
}

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class Loader(Protocol):
    """A format: a module with these names (each loader module checks itself against this
    protocol under mypy, see the end of text.py). A module that can OCR page images also has
    `SUPPORTS_OCR = True` and takes `ocr: bool` in `extract`."""

    @property
    def SUFFIXES(self) -> tuple[str, ...]: ...  # noqa: N802 - a module constant

    def extract(self, data: bytes, *, path: str) -> RawText: ...


def has_cjk(text: str) -> bool:
    """Any Chinese ideograph. A plain scan that stops at the first one: a regex class over the
    CJK ranges would cost ~2 ms to compile on every cold start."""
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff" for c in text)


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(LOADER_BY_SUFFIX))


def is_supported(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in LOADER_BY_SUFFIX


def loader_for(path: str) -> Loader:
    """The format module for a path, or UnsupportedFormatError listing what is supported."""
    suffix = os.path.splitext(path)[1].lower()
    name = LOADER_BY_SUFFIX.get(suffix)
    if name is None:
        raise UnsupportedFormatError(
            f"不支持的文件类型“{suffix or '无扩展名'}”；支持：{'、'.join(supported_suffixes())}"
        )
    return cast(Loader, importlib.import_module(f"auditor.loaders.{name}"))


def _stat(path: str) -> os.stat_result:
    """The file's status: one system call for what exists(), isdir() and getsize() would ask
    separately (each is ~3 µs, several per document in a batch)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        raise DocumentLoadError("文件不存在") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentLoadError("这是一个目录，不是文件")
    return st


def read_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file read-only, with clear Chinese messages for the usual failures."""
    return _read(path, _stat(path), max_bytes)


def _read(path: str, st: os.stat_result, max_bytes: int) -> bytes:
    size = st.st_size
    if size > max_bytes:
        raise DocumentLoadError(
            f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB，可用 --max-size 调整）"
        )
    try:
        with open(path, "rb") as fh:
            # ask for the size stat gave: asking for max_bytes + 1 makes Python allocate (and
            # then shrink) a 50 MB buffer for every file
            data = fh.read(size + 1)
            if len(data) > size:  # it grew, or a special file whose size stat does not know
                data += fh.read(max_bytes + 1 - len(data))
            return data
    except PermissionError as exc:
        raise DocumentLoadError("没有读取权限") from exc
    except OSError as exc:
        raise DocumentLoadError(f"无法读取文件：{exc.strerror or exc}") from exc


def load(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool = False, layout: bool = False) -> RawText:
    """Read and extract a document; raises DocumentLoadError (never anything else on bad input).
    `ocr`: read pages without a text layer by OCR, in the formats that can (`--ocr`).
    `layout`: also read the page and type layout, in the formats that record one (.docx)."""
    st = _stat(path)
    loader_for(path)  # an unsupported type is said before the file is read
    return extract(_read(path, st, max_bytes), path=path, max_bytes=max_bytes, ocr=ocr, layout=layout)


def extract(data: bytes, *, path: str, max_bytes: int = DEFAULT_MAX_BYTES, ocr: bool = False,
            layout: bool = False) -> RawText:
    """A document's text from its bytes, the format chosen by `path`'s suffix (the path is
    not read); DocumentLoadError on bad input. `layout`: as for `load`."""
    module = loader_for(path)
    if not data:
        raise DocumentLoadError("文件为空")
    if len(data) > max_bytes:
        raise DocumentLoadError(f"文件过大（{len(data) / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB）")
    if ocr and getattr(module, "SUPPORTS_OCR", False):
        raw: RawText = module.extract(data, path=path, ocr=True)  # type: ignore[call-arg]  # an OCR loader
    else:
        raw = module.extract(data, path=path)
    if layout and getattr(module, "SUPPORTS_LAYOUT", False):
        from auditor.loaders import docx_layout
        from auditor.models import replace

        raw = replace(raw, layout=docx_layout.read(data))
    text = "".join(line.text for line in raw.lines)
    from auditor.loaders.limits import check_lines

    check_lines(len(raw.lines), len(text))
    if not text.strip():
        raise DocumentLoadError("文件只有空白，没有正文")
    if not has_cjk(text):
        raise DocumentLoadError("未发现中文正文，不是可审查的报告")
    return raw


def sniff_suffix(data: bytes) -> str:
    """The suffix of a format recognised from a document's first bytes (for bytes without a name)."""
    head = data[:1024]
    if head.startswith(b"%PDF") or b"%PDF" in head:
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: Word 97-2003 or WPS
        return ".doc"
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return ".html"
    return ".txt"
