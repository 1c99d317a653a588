"""The page behind Debian's nginx under /auditor/, with the repository's own site file
(deploy/nginx/auditor.conf, its ports and body limit changed for the test): every link, asset and
API call works under the sub-path, an upload goes through and is answered, nginx's request id is
auditor's, and an upload over the limit gets the same Chinese 413 from nginx as from auditor.
nginx runs in the foreground with its own prefix, pid, logs and temporary directories.
Skipped, saying why, where nginx is missing (CI installs it: apt package nginx)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from web.test_serve_bounds import REPORT, Server, _free_port, multipart, start_server, stop_server

NGINX = "/usr/sbin/nginx"
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "auditor.conf"
DRAFT = ROOT / "fixtures" / "formats" / "002.docx"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx not installed: apt-get install -y nginx")


def _once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the site file no longer has exactly one {old!r}"
    return text.replace(old, new)


class Proxy:
    def __init__(self, base: str, app: Server, prefix: Path) -> None:
        self.base, self.app, self.prefix = base, app, prefix


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    tmp = tmp_path_factory.mktemp("nginx")
    app = start_server(tmp, "--workers", "1", "--max-mb", "1", "--root-path", "/auditor/")
    port = _free_port()
    site = SITE.read_text(encoding="utf-8")
    site = _once(site, "listen 80;", f"listen 127.0.0.1:{port};")
    site = _once(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app.port};")
    site = _once(site, "client_max_body_size 50m;", "client_max_body_size 1m;")
    site = _once(site, "上限 50 MB", "上限 1 MB")
    (tmp / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach the test's own directories
    (tmp / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
        f"events {{ worker_connections 128; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {tmp}/access.log;\n{temp}\n"
        f"    include {tmp}/site.conf;\n}}\n", encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(tmp / "nginx.conf"),
                              "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert nginx.poll() is None, (nginx.communicate()[0], (tmp / "error.log").read_text())
            try:
                with urllib.request.urlopen(f"{base}/auditor/healthz", timeout=2) as res:
                    if res.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.2)
        yield Proxy(base, app, tmp)
    finally:
        nginx.send_signal(signal.SIGQUIT)  # graceful stop
        try:
            nginx.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            nginx.kill()
            nginx.communicate()
        stop_server(app)


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as res:
            return res.status, res.headers.get("Content-Type", ""), res.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def _post(url: str, files: list[tuple[str, bytes]]) -> tuple[int, dict[str, str], bytes]:
    body, ctype = multipart(files)
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=120) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def test_every_link_and_asset_works_under_the_sub_path(proxy: Proxy) -> None:
    with urllib.request.urlopen(f"{proxy.base}/auditor", timeout=10) as res:  # the bare prefix is redirected
        assert res.url == f"{proxy.base}/auditor/" and res.status == 200
        page = res.read().decode("utf-8")
    refs = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert refs and not [r for r in refs if r.startswith(("/", "http"))], refs  # relative only
    for ref in refs:
        status, _, _ = _get(f"{proxy.base}/auditor/{ref}")
        assert status == 200, ref
    script = _get(f"{proxy.base}/auditor/static/app.js")[2].decode("utf-8")
    calls = set(re.findall(r'(?:post|fetch)\("([^"]+)"', script))
    assert calls >= {"api/view", "api/annotate", "api/report", "api/rules", "api/limits"}, calls
    assert not [c for c in calls if c.startswith("/")]
    for call in ("api/rules", "api/limits"):
        assert _get(f"{proxy.base}/auditor/{call}")[0] == 200
    status, _, docs = _get(f"{proxy.base}/auditor/docs")
    assert status == 200
    assets = re.findall(r"(?:url: |href=|src=)'?\"?(/[^'\" ]+)", docs.decode("utf-8"))
    assert assets and all(a.startswith("/auditor/") for a in assets), assets
    for asset in assets:
        assert _get(proxy.base + asset)[0] == 200, asset


def test_an_upload_goes_through_and_the_request_id_is_nginxs(proxy: Proxy) -> None:
    status, headers, body = _post(f"{proxy.base}/auditor/api/check", [("报告.txt", REPORT.read_bytes())])
    assert status == 200 and json.loads(body)["reports"][0]["verdict"] == "pass"
    rid = headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)  # nginx's $request_id, passed on and kept
    deadline = time.monotonic() + 5
    while f"rid={rid}" not in proxy.app.log.read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    line = next(ln for ln in proxy.app.log.read_text(encoding="utf-8").splitlines() if f"rid={rid}" in ln)
    assert "POST /api/check" in line and "status=200" in line

    status, headers, body = _post(f"{proxy.base}/auditor/api/annotate", [("草稿.docx", DRAFT.read_bytes())])
    assert status == 200 and body[:2] == b"PK"


def test_an_upload_over_the_limit_reads_the_same_chinese_413_from_nginx(proxy: Proxy) -> None:
    status, headers, body = _post(f"{proxy.base}/auditor/api/check", [("大.docx", os.urandom(1536 * 1024))])
    assert status == 413
    with urllib.request.urlopen(f"{proxy.base}/auditor/api/limits", timeout=10) as res:
        said = json.loads(res.read())["too_large"]
    answer = json.loads(body)
    assert answer["detail"] == said and re.fullmatch(r"[0-9a-f]{32}", answer["request_id"])
    assert headers["x-request-id"] == answer["request_id"]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="headless Chromium not installed: apt-get install -y chromium")
def test_the_page_behind_nginx_uploads_and_refuses_too_large_before_sending(proxy: Proxy, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    big = tmp_path / "大报告.docx"
    big.write_bytes(b"PK" + os.urandom(1536 * 1024))
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()
            posted: list[str] = []
            outside: list[str] = []
            page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(f"{proxy.base}/auditor/") else None)
            page.goto(f"{proxy.base}/auditor/")
            page.wait_for_load_state("networkidle")
            page.set_input_files("#file", str(DRAFT))
            page.click("#go")
            page.wait_for_selector("#verdict")
            assert page.inner_text("#verdict") == "不合格"
            assert posted == [f"{proxy.base}/auditor/api/view"]

            page.set_input_files("#file", str(big))
            page.click("#go")
            page.wait_for_function("document.getElementById('status').className === 'bad'")
            assert page.inner_text("#status") == "上传内容过大，超过上限 1 MB；请分批上传或压缩图片后再试"
            assert len(posted) == 1  # refused by the page: nothing was sent
            assert outside == []
        finally:
            browser.close()
