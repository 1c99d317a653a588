"""`auditor annotate` audits in a worker process, like `check`: the per-document time budget is
hard (a page whose C parser runs for minutes is stopped) and the memory cap applies.

Run as the real command in a subprocess, so the time is the command's own and a hang is caught.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker isolation needs fork (Windows: soft budget)")


def _annotate(*args: str | Path, cwd: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(cwd / ".cache-dir")}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "auditor", "annotate", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - t0


def test_a_page_that_outruns_its_budget_is_stopped(tmp_path: Path) -> None:
    n = 200_000  # in-process, selectolax and the tree walk ran past 60 s on this with --timeout 1
    page = tmp_path / "nested.html"
    page.write_text("<html><body><p>2023年度法治政府建设工作报告</p>" + "<div>" * n + "中文" + "</div>" * n
                    + "</body></html>", encoding="utf-8")
    proc, seconds = _annotate("--timeout", "1", page, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nested.html: 无法检查：处理超时（超过 1 秒），已跳过" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out.docx").exists()
    assert seconds < 1 + 15  # the budget, plus start-up on a busy machine


def test_the_memory_cap_applies(tmp_path: Path) -> None:
    # a cap far below what any audit needs: the worker cannot allocate, and the draft gets the
    # reason check gives, not an annotated file from an uncapped process
    proc, _ = _annotate("--max-memory", "1", FIXTURES / "reports" / "compliant.txt", "-o", tmp_path / "out.docx",
                        cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "无法检查" in proc.stderr and "内存" in proc.stderr
    assert not (tmp_path / "out.docx").exists()


def test_within_its_limits_the_draft_is_annotated_as_before(tmp_path: Path) -> None:
    out = tmp_path / "002.批注.docx"
    proc, _ = _annotate(FIXTURES / "formats" / "002.docx", "-o", out, "--timeout", "30", "--max-memory", "2048",
                        cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # the draft really fails
    assert proc.stdout.startswith(f"已写入 {out}：") and "结论：不合格" in proc.stdout
    from auditor.loaders.docx import extract

    assert extract(out.read_bytes(), path=str(out)).lines  # a .docx the reader opens


def test_a_docx_that_reads_but_cannot_take_comments_says_so(tmp_path: Path) -> None:
    # a package Word's reader accepts but python-docx cannot open (no relationships part): the
    # audit works, the comments cannot be written, and the drafter is told so in Chinese, not
    # "internal error" or "进程异常退出"
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    text = (FIXTURES / "reports" / "compliant.txt").read_text(encoding="utf-8")
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines() if line.strip())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                    '</Types>')
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    draft = tmp_path / "bare.docx"
    draft.write_bytes(buf.getvalue())
    proc, _ = _annotate(draft, "-o", tmp_path / "out.docx", cwd=tmp_path)
    assert proc.returncode == 2
    assert "bare.docx: 无法检查：无法在此 Word 文件中写入批注" in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr and "进程异常退出" not in proc.stderr
