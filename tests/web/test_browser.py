"""The page as a person uses it: `auditor serve` on a free port, driven by headless Chromium
(Debian's package) through Playwright's Python API. No browser is downloaded: Playwright drives
/usr/bin/chromium. Skipped, saying why, where either is missing (CI installs chromium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRAFT = ROOT / "fixtures" / "formats" / "002.docx"  # a real report: fails AR103 (第一责任人 part missing)
CHROMIUM = "/usr/bin/chromium"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install '.[test]'")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="headless Chromium not installed: apt-get install -y chromium (Debian package)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "stderr.txt"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--port", str(port), "--workers", "2"],
                                stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text(encoding='utf-8', errors='replace')}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "请在浏览器中打开" in log.read_text(encoding="utf-8")


def test_drafter_uploads_a_docx_and_sees_what_is_wrong_where(server: str, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1000})
            outside: list[str] = []
            page.on("request", lambda req: outside.append(req.url) if not req.url.startswith((server, "blob:", "data:")) else None)
            page.goto(server)
            assert page.title().startswith("法治政府建设年度报告合规自查")
            page.set_input_files("#file", str(DRAFT))
            page.click("#go")
            page.wait_for_selector("#verdict")

            assert page.inner_text("#verdict") == "不合格"
            assert "得分：77.4 / 100" in page.inner_text("#summary")
            core = page.locator('li.row.warn[data-rule="AR209"]')  # among the warnings, quoting the figures
            assert "行政应诉" in core.inner_text() and "矛盾纠纷205件" in core.inner_text()
            failed = page.locator('li.row.fail[data-rule="AR103"]')
            assert "第一责任人" in failed.inner_text()
            assert "修改建议：单列一级标题" in failed.locator(".hint").inner_text()
            first = page.locator("#rows > li").first  # problems first
            assert "fail" in (first.get_attribute("class") or "")

            failed.click()
            focused = page.locator("#doc .focus")
            focused.first.wait_for()
            assert focused.first.get_attribute("data-line") == "4"
            assert "第一责任人职责" in focused.first.locator("mark.hl").inner_text()
            assert focused.first.is_visible()
            # a missing part is shown where it should go
            missing = page.locator('#doc .missing[data-rules="AR105"]')
            assert "此处应补充" in missing.inner_text()
            page.screenshot(path=str(tmp_path / "page.png"), full_page=False)

            with page.expect_download() as info:
                page.click("#dl-docx")
            saved = tmp_path / "annotated.docx"
            info.value.save_as(saved)
            assert info.value.suggested_filename == "002.批注.docx"
            with zipfile.ZipFile(saved) as z:
                comments = z.read("word/comments.xml").decode("utf-8")
            assert "AR103" in comments and 'w:author="合规自查"' in comments
            assert outside == []  # nothing fetched from anywhere but this server
        finally:
            browser.close()
    assert (tmp_path / "page.png").stat().st_size > 10_000


def _browser(p: Any) -> Any:
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run"])


def test_several_files_give_the_matrix_and_pasted_markup_stays_text(server: str, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(server)
            page.set_input_files("#file", [str(DRAFT), str(ROOT / "fixtures" / "reports" / "compliant.txt")])
            page.click("#go")
            page.wait_for_selector("#matrix tbody tr")
            rows = page.locator("#matrix tbody tr")
            assert rows.count() == 2
            assert not page.locator("#single").is_visible()  # no empty one-report panes
            assert "不合格" in rows.nth(0).inner_text() and "合格" in rows.nth(1).inner_text()
            assert page.locator("#matrix tfoot td.rate").count() > 10  # a pass rate per rule
            rows.nth(0).click()
            assert "AR103" in page.inner_text("#card")
            page.screenshot(path=str(tmp_path / "matrix.png"))

            page.reload()
            text = (ROOT / "fixtures" / "reports" / "compliant.txt").read_text(encoding="utf-8")
            page.click("#paste-box summary")
            page.fill("#text", text.replace("一、", "一、<script>alert(1)</script><b>粗</b>", 1))
            page.click("#go")
            page.wait_for_selector("#verdict")
            assert "<script>alert(1)</script><b>粗</b>" in page.inner_text("#doc")
            assert page.locator("#doc script, #doc b").count() == 0
            assert dialogs == []

            page.reload()  # a file that is no report: the reason, no text view, no Word download
            page.set_input_files("#file", str(ROOT / "fixtures" / "duty" / "notice.txt"))
            page.click("#go")
            page.wait_for_selector("#verdict")
            assert page.inner_text("#verdict") == "无法检查"
            assert "这是通知" in page.inner_text("#summary")
            assert not page.locator("#dl-docx").is_visible()
        finally:
            browser.close()


def test_api_docs_render_offline(server: str) -> None:
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        try:
            page = browser.new_page()
            outside: list[str] = []
            page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(server) else None)
            page.goto(server + "/docs")
            page.get_by_text("/api/check", exact=True).first.wait_for()
            assert outside == []
        finally:
            browser.close()
