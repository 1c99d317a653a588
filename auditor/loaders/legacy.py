"""Word 97-2003 .doc and WPS .wps, through an external tool when one is installed (formats.md §3).

No Python library reads the binary Word format well, so: antiword (1 ms/doc, exact on the
fixtures) if present, else LibreOffice converting to .docx for the own docx reader (≈1 s, but it
renders Word numbering). Both run on a copy in a private temporary directory that is always
removed, and soffice gets its own profile per call (parallel runs sharing one block each other).
Files that are really .docx, HTML or RTF under an old name are recognised by their content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from auditor.errors import DocumentLoadError
from auditor.loaders import ole
from auditor.models import RawText, SourceLine

SUFFIXES = (".doc", ".wps")
TIMEOUT = 120  # seconds for one conversion; LibreOffice's first start is the slow part

_INSTALL = "无法读取旧版 Word/WPS 文件：未安装 antiword 或 LibreOffice。请安装 LibreOffice，或请另存为 .docx 后再检查"


def extract(data: bytes, *, path: str) -> RawText:
    """Text of a .doc/.wps file, one line per paragraph."""
    suffix = os.path.splitext(path)[1].lower() or ".doc"
    if data.startswith(b"PK\x03\x04"):  # WPS and some converters save .docx content as .doc
        from auditor.loaders import docx

        return _refmt(docx.extract(data, path=path), "doc")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"mime-version")) or b"<html" in head:
        from auditor.loaders import html  # "Save as Web page" files renamed .doc

        return _refmt(html.extract(data, path=path), "doc")
    if head.startswith(b"{\\rtf"):
        raise DocumentLoadError("这是 RTF 格式的文件（扩展名为 .doc/.wps），请另存为 .docx 后再检查")
    if not ole.is_ole(data):
        raise DocumentLoadError("不是有效的 Word/WPS 文件（文件头不对），可能已损坏或扩展名不对")
    kind = ole.inspect(data)
    if kind in ("encrypted-doc", "encrypted-ooxml"):
        raise DocumentLoadError("文件已加密（受密码保护），请在 Word/WPS 中取消密码后再检查")
    antiword = shutil.which("antiword")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not antiword and not soffice:
        raise DocumentLoadError(_INSTALL)
    with tempfile.TemporaryDirectory(prefix="auditor-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)  # a private copy: the tools never touch the user's file
        if antiword and kind == "doc":
            lines = _antiword(antiword, src)
            if lines is not None:
                return RawText(path=path, fmt="doc", lines=lines)
        if soffice:
            return _refmt(_soffice(soffice, src, Path(tmp), path), "doc")
    if kind != "doc":
        raise DocumentLoadError("不是 Word 文档（可能是其他 Office 文件或已损坏），请另存为 .docx 后再检查")
    raise DocumentLoadError("antiword 无法读取此文件，且未安装 LibreOffice；请另存为 .docx 后再检查")


def _refmt(raw: RawText, fmt: str) -> RawText:
    return RawText(path=raw.path, fmt=fmt, lines=raw.lines, encoding=raw.encoding, meta=raw.meta)


def _run(cmd: list[str], *, cwd: Path) -> subprocess.CompletedProcess[bytes] | None:
    """Run a converter in its own process group, so a timeout kills soffice.bin too."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill(proc)
        return None
    except BaseException:  # the engine's time budget (SIGALRM) or Ctrl-C: no orphaned soffice
        _kill(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def _antiword(exe: str, src: Path) -> tuple[SourceLine, ...] | None:
    # -w 0: one paragraph per output line; UTF-8 mapping so Chinese survives.
    done = _run([exe, "-m", "UTF-8.txt", "-w", "0", str(src)], cwd=src.parent)
    if done is None or done.returncode != 0:
        return None
    text = done.stdout.decode("utf-8", "replace")
    paras = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return tuple(SourceLine(t, where=f"第{i}段") for i, t in enumerate(paras, 1))


def _soffice(exe: str, src: Path, tmp: Path, path: str) -> RawText:
    from auditor.loaders import docx

    out = tmp / "out"
    cmd = [exe, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
           "--convert-to", "docx", "--outdir", str(out), str(src)]
    done = _run(cmd, cwd=tmp)
    if done is None:
        raise DocumentLoadError(f"LibreOffice 转换超时（{TIMEOUT} 秒），请另存为 .docx 后再检查")
    converted = out / (src.stem + ".docx")
    if not converted.exists():
        raise DocumentLoadError("LibreOffice 无法转换此文件（可能已损坏或加密），请另存为 .docx 后再检查")
    return docx.extract(converted.read_bytes(), path=path)


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.legacy as _this

    _contract: Loader = _this
