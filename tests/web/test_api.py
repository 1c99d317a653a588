"""The HTTP API through Starlette's test client (and httpx for concurrency): every endpoint,
every kind of bad input, the size cap, zip batches, nothing left on disk, 20 clients at once."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

pytest.importorskip("fastapi", reason="the web extra is part of the install: pip install .")
from fastapi.testclient import TestClient

from auditor.web import uploads
from auditor.web.service import Settings, create_app

from conftest import FIXTURES, invoke

FORMATS = FIXTURES / "formats"
DOCX = FORMATS / "002.docx"
GOOD_TXT = FIXTURES / "reports" / "compliant.txt"


@pytest.fixture(scope="module")
def temp_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every temporary directory the app makes goes here, so the tests can see it is removed."""
    root = tmp_path_factory.mktemp("tmp")
    old = tempfile.tempdir
    tempfile.tempdir = str(root)
    yield root
    tempfile.tempdir = old


@pytest.fixture(scope="module")
def client(temp_root: Path) -> Iterator[TestClient]:
    app = create_app(Settings(workers=2, max_request_bytes=3 * 1048576, max_file_bytes=2 * 1048576))
    with TestClient(app) as c:
        yield c


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(uploads.TEMP_PREFIX)]


def _files(*paths: Path, names: list[str] | None = None) -> list[tuple[str, tuple[str, bytes]]]:
    return [("file", ((names[i] if names else p.name), p.read_bytes())) for i, p in enumerate(paths)]


def _cli_json(*paths: Path) -> dict[str, Any]:
    result = invoke("check", "--format", "json", "--no-cache", *paths)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_healthz_rules_and_offline_docs(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    rules = client.get("/api/rules").json()
    ids = {p["id"]: [r["id"] for r in p["rules"]] for p in rules["packs"]}
    assert "AR103" in ids["annual"] and ids["duty"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/docs-static/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/check", "/api/annotate", "/api/rules", "/healthz"} <= set(spec["paths"])
    page = client.get("/")
    assert "法治政府建设年度报告合规自查" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    for asset in ("/static/app.js", "/static/app.css"):
        body = client.get(asset).text
        assert "http://" not in body and "https://" not in body


def test_check_returns_the_cli_json_contract(client: TestClient, temp_root: Path) -> None:
    got = client.post("/api/check", files=_files(DOCX, GOOD_TXT))
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    want = _cli_json(DOCX, GOOD_TXT)
    for report in want["reports"]:
        report["path"] = Path(report["path"]).name  # the CLI names the path given, the API the upload
    assert got.json() == want
    from jsonschema import validate

    schema = json.loads((Path(__file__).parents[2] / "auditor" / "schema" / "report.schema.json").read_text())
    validate(got.json(), schema)
    assert _leftovers(temp_root) == []


def test_options_pack_and_deadline(client: TestClient) -> None:
    late = FIXTURES / "reports" / "compliant.txt"
    default = client.post("/api/check", files=_files(late)).json()["reports"][0]
    march = client.post("/api/check", files=_files(late), data={"deadline": "03-01"}).json()["reports"][0]
    assert default["verdict"] == "pass" and march["verdict"] == "fail"  # as `--deadline 03-01`
    page = client.post("/api/check", files=_files(FORMATS / "compliant.html"), data={"deadline": "03-01"})
    got = {r["rule"]: r["status"] for r in page.json()["reports"][0]["results"]}
    assert (got["AR303"], got["AR304"]) == ("fail", "pass")  # the deadline field is the submission deadline
    forced = client.post("/api/check", files=_files(late), data={"pack": "duty"}).json()["reports"][0]
    assert forced["pack"] == "duty"


def test_addon_packs(client: TestClient) -> None:
    addons = [p["id"] for p in client.get("/api/rules").json()["packs"] if p["addon"]]
    assert addons == ["gongwen"]
    doc = FIXTURES / "gongwen" / "dev_terms.docx"
    got = client.post("/api/check", files=_files(doc), data={"with": "gongwen"}).json()["reports"][0]
    assert any(r["rule"] == "GW301" and r["status"] == "warn" for r in got["results"])
    plain = client.post("/api/check", files=_files(doc)).json()["reports"][0]
    assert not any(r["rule"].startswith("GW") for r in plain["results"])
    bad = client.post("/api/check", files=_files(doc), data={"with": "nonsense"})
    assert bad.status_code == 400 and "未知的附加检查" in bad.json()["detail"]
    bad = client.post("/api/check", files=_files(doc), data={"pack": "gongwen"})
    assert bad.status_code == 400 and "未知的报告类型" in bad.json()["detail"]


def test_pasted_text(client: TestClient) -> None:
    got = client.post("/api/check", data={"text": GOOD_TXT.read_text(encoding="utf-8")}).json()
    assert got["reports"][0]["path"] == uploads.PASTED_NAME and got["reports"][0]["verdict"] == "pass"


@pytest.mark.parametrize("data, files, status, reason", [
    ({}, None, 400, "请选择要检查的文件"),
    ({"pack": "nonsense"}, [("file", ("a.txt", b"x"))], 400, "未知的报告类型"),
    ({"deadline": "4-1"}, [("file", ("a.txt", b"x"))], 400, "截止日期"),
    ({}, [("file", ("a.zip", b"PK not really"))], 400, "不是有效的 ZIP"),
])
def test_refused_requests_say_why_in_chinese(client: TestClient, temp_root: Path, data: dict[str, str],
                                           files: Any, status: int, reason: str) -> None:
    res = client.post("/api/check", data=data, files=files)
    assert res.status_code == status and reason in res.json()["detail"]
    assert _leftovers(temp_root) == []


def test_malformed_request_is_400_in_chinese(client: TestClient) -> None:
    res = client.post("/api/check", data={"file": "not a file"})
    assert res.status_code == 400 and "请求格式不正确" in res.json()["detail"]


def test_the_app_is_importable_for_any_asgi_server() -> None:
    import auditor.web
    from fastapi import FastAPI

    assert isinstance(auditor.web.app, FastAPI)


@pytest.mark.parametrize("name, data, reason", [
    ("空.docx", b"", "文件为空"),
    ("坏.docx", b"PK\x03\x04broken", "损坏"),
    ("旧.doc.exe", b"MZ...", "不支持的文件类型"),
    ("加密.docx", (FORMATS / "bad").glob("*encrypted*.docx").__next__().read_bytes()
     if any((FORMATS / "bad").glob("*encrypted*.docx")) else b"", "加密"),
    ("英文.txt", b"just some english words", "未发现中文正文"),
    ("通知.txt", (FIXTURES / "duty" / "notice.txt").read_bytes(), "这是通知"),
])
def test_bad_files_become_error_cards_with_the_cli_reason(client: TestClient, name: str, data: bytes,
                                                         reason: str) -> None:
    if not data and reason == "加密":
        pytest.skip("no encrypted fixture")
    res = client.post("/api/check", files=[("file", (name, data))])
    assert res.status_code == 200
    card = res.json()["reports"][0]
    assert card["verdict"] == "error" and reason in card["error"] and card["path"] == name
    assert "Traceback" not in res.text


def test_size_cap_is_413_with_a_chinese_message(client: TestClient, temp_root: Path) -> None:
    big = b"\xe6\x8a\xa5" * (1200 * 1024)  # 3.5 MB of 报 over the 3 MB request cap
    res = client.post("/api/check", files=[("file", ("大.txt", big))])
    assert res.status_code == 413 and "上传内容过大" in res.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        for _ in range(40):
            yield b"x" * 100_000

    res = client.post("/api/check", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert res.status_code == 413 and "上传内容过大" in res.json()["detail"]
    mid = b"\xe6\x8a\xa5" * (800 * 1024)  # 2.4 MB: under the request cap, over the per-file cap
    card = client.post("/api/check", files=[("file", ("中.txt", mid))]).json()["reports"][0]
    assert card["verdict"] == "error" and "文件过大" in card["error"]
    assert _leftovers(temp_root) == []


class _GbkInfo(zipfile.ZipInfo):
    """A member name as Windows' built-in zipper writes Chinese: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's own method name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _zip(members: dict[str, bytes], *, gbk: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = _GbkInfo(name) if gbk else zipfile.ZipInfo(name)
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_zip_batch(client: TestClient, temp_root: Path) -> None:
    data = _zip({"街道/报告一.docx": DOCX.read_bytes(), "街道/报告二.txt": GOOD_TXT.read_bytes(),
                 "说明.jpg": b"\xff\xd8", "__MACOSX/._x.txt": b"junk"})
    got = client.post("/api/check", files=[("file", ("全区.zip", data))]).json()
    assert [r["path"] for r in got["reports"]] == ["全区.zip/街道/报告一.docx", "全区.zip/街道/报告二.txt"]
    assert [r["verdict"] for r in got["reports"]] == ["fail", "pass"]
    view = client.post("/api/view", files=[("file", ("全区.zip", data))]).json()
    assert view["skipped"] == ["全区.zip/说明.jpg"] and view["views"] == [None, None]
    gbk = _zip({"报告一.txt": GOOD_TXT.read_bytes()}, gbk=True)
    assert client.post("/api/check", files=[("file", ("g.zip", gbk))]).json()["reports"][0]["path"] == "g.zip/报告一.txt"
    assert _leftovers(temp_root) == []


def test_zip_bomb_limits(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_TOTAL_UNCOMPRESSED", 10_000)
    bomb = _zip({"a.txt": b"0" * 20_000})  # compresses to a few dozen bytes
    res = client.post("/api/check", files=[("file", ("炸弹.zip", bomb))])
    assert res.status_code == 413 and "疑似压缩炸弹" in res.json()["detail"]
    monkeypatch.setattr(uploads, "MAX_ENTRIES", 3)
    many = _zip({f"{i}.txt": b"x" for i in range(5)})
    res = client.post("/api/check", files=[("file", ("多.zip", many))])
    assert res.status_code == 413 and "文件过多" in res.json()["detail"]
    res = client.post("/api/check", files=[("file", ("空.zip", _zip({"a.jpg": b"x"})))])
    assert res.status_code == 400 and "没有可检查的报告文件" in res.json()["detail"]


def test_member_lying_about_its_size_is_cut_at_the_cap(client: TestClient) -> None:
    data = bytearray(_zip({"大.txt": "报".encode() * 1_000_000}))  # 3 MB inflated, over the 2 MB file cap
    # forge the declared sizes (central directory and local header) to 100 bytes
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (100).to_bytes(4, "little")
    data[22:26] = (100).to_bytes(4, "little")
    card = client.post("/api/check", files=[("file", ("伪.zip", bytes(data)))]).json()["reports"][0]
    assert card["verdict"] == "error"  # never read past the cap; the truncated read is refused


def test_view_gives_text_and_marks(client: TestClient) -> None:
    got = client.post("/api/view", files=_files(DOCX)).json()
    view = got["views"][0]
    assert got["report"]["reports"][0]["verdict"] == "fail"
    lines = {ln["no"]: ln for ln in view["lines"]}
    ar103 = next(m for m in view["marks"] if m["rule"] == "AR103")
    assert "第一责任人职责" in lines[ar103["line"]]["text"] and lines[ar103["line"]]["where"] == "第4段"
    ar105 = next(m for m in view["marks"] if m["rule"] == "AR105")
    assert ar105["after"] is True


def test_reports_in_other_formats_escape_report_text(client: TestClient) -> None:
    text = GOOD_TXT.read_text(encoding="utf-8").replace("一、", "一、<script>alert(1)</script>", 1)
    html = client.post("/api/report", data={"text": text, "format": "html"})
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "<script>alert(1)" not in html.text and "&lt;script&gt;alert(1)" in html.text
    xlsx = client.post("/api/report", files=_files(DOCX), data={"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"
    bad = client.post("/api/report", files=_files(DOCX), data={"format": "pdf"})
    assert bad.status_code == 400 and "不支持的报告格式" in bad.json()["detail"]


def test_annotate_endpoint(client: TestClient, temp_root: Path) -> None:
    res = client.post("/api/annotate", files=_files(DOCX, names=["草稿.docx"]))
    assert res.status_code == 200 and "%E8%8D%89%E7%A8%BF.%E6%89%B9%E6%B3%A8.docx" in res.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(res.content)) as z:
        assert "第一责任人职责情况”单列" in z.read("word/comments.xml").decode("utf-8")
    from urllib.parse import quote

    second = client.post("/api/annotate", files=[("file", ("草稿.批注.docx", res.content))])  # the next round
    assert second.status_code == 200, second.text
    assert quote("草稿.批注2.docx") in second.headers["content-disposition"]  # never 草稿.批注.批注.docx
    with zipfile.ZipFile(io.BytesIO(res.content)) as a, zipfile.ZipFile(io.BytesIO(second.content)) as b:
        assert a.read("word/comments.xml").count(b"<w:comment ") == b.read("word/comments.xml").count(b"<w:comment ")
    pasted = client.post("/api/annotate", data={"text": GOOD_TXT.read_text(encoding="utf-8")})
    assert pasted.status_code == 200 and pasted.content[:2] == b"PK"
    refused = client.post("/api/annotate", files=[("file", ("通知.txt", (FIXTURES / "duty" / "notice.txt").read_bytes()))])
    assert refused.status_code == 422 and "无法生成批注文档" in refused.json()["detail"]
    assert _leftovers(temp_root) == []


def test_annotate_signs_comments_with_the_configs_comment_author(tmp_path: Path) -> None:
    """The web's annotate reads auditor.yaml as the CLI's does: comment_author signs the comments."""
    config = tmp_path / "auditor.yaml"
    config.write_text("comment_author: 区司法局审核\n", encoding="utf-8")
    with TestClient(create_app(Settings(workers=1, config=str(config)))) as c:
        res = c.post("/api/annotate", files=_files(DOCX, names=["草稿.docx"]))
    assert res.status_code == 200, res.text
    with zipfile.ZipFile(io.BytesIO(res.content)) as z:
        comments = z.read("word/comments.xml").decode("utf-8")
    assert 'w:author="区司法局审核"' in comments and "合规自查" not in comments


def test_twenty_concurrent_clients_get_their_own_answers(client: TestClient, temp_root: Path) -> None:
    import httpx

    app = client.app
    uploads_ = [(DOCX, "fail"), (GOOD_TXT, "pass"), (FIXTURES / "reports" / "no_part5.txt", "fail"),
                (FORMATS / "000.docx", "pass")]

    async def main() -> list[tuple[str, str, str]]:
        async def one(k: int) -> tuple[str, str, str]:
            path, want = uploads_[k % len(uploads_)]
            name = f"{k:02d}-{path.name}"
            # twenty people, twenty addresses (one address may have only a few uploads in flight)
            transport = httpx.ASGITransport(app=app, client=(f"192.0.2.{k + 1}", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as ac:
                res = await ac.post("/api/check", files={"file": (name, path.read_bytes())})
            card = res.json()["reports"][0]
            return card["path"], card["verdict"], want

        return await asyncio.gather(*(one(k) for k in range(20)))

    answers = asyncio.run(main())
    assert [a[0][:2] for a in answers] == [f"{k:02d}" for k in range(20)]
    assert all(got == want for _, got, want in answers)
    assert _leftovers(temp_root) == []


def test_every_document_has_the_time_budget(temp_root: Path) -> None:
    app = create_app(Settings(workers=1, time_budget=0.001, warm=False))
    with TestClient(app) as c:
        card = c.post("/api/check", files=_files(DOCX)).json()["reports"][0]
    assert card["verdict"] == "error" and "处理超时" in card["error"]
    assert _leftovers(temp_root) == []


def test_serve_binds_localhost_and_warns_when_exposed(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from auditor.web import server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    result = invoke("serve", "--workers", "1")
    assert result.exit_code == 0 and calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    assert calls[-1]["root_path"] == "" and calls[-1]["access_log"] is False
    server.run(host="0.0.0.0", port=8080, settings=Settings(workers=1, warm=False))
    err = capsys.readouterr().err
    assert calls[-1]["host"] == "0.0.0.0" and "没有登录" in err and "http://127.0.0.1:8080/" in err
    # behind a proxy: the sub-path, however it is written, and the header bound go to uvicorn
    result = invoke("serve", "--workers", "1", "--root-path", "auditor/", "--header-timeout", "3")
    assert result.exit_code == 0 and calls[-1]["root_path"] == "/auditor"
    assert calls[-1]["http"].__name__ == "GuardedH11Protocol" and calls[-1]["h11_max_incomplete_event_size"] == 32768


def test_check_cold_start_does_not_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from auditor.cli import main; "
            f"CliRunner().invoke(main, ['check', {str(GOOD_TXT)!r}]); "
            "heavy = ('fastapi', 'starlette', 'uvicorn', 'pydantic', 'docx', 'multipart', 'fastapi_offline'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy "
            "or m.startswith(('auditor.web', 'auditor.annotate'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_document_stuck_past_its_limit_gets_its_worker_killed_and_no_other(packs: Any) -> None:
    """The server's pool is the batch's: one worker killed at the deadline, the same error card,
    another user's document on the other worker untouched, a fresh worker for the next one."""
    from auditor.run.options import AuditOptions
    from auditor.web.work import CHECK, ServerPool

    pool = ServerPool(packs, 2, max_memory_mb=0, time_budget=1)
    stuck_file = str(FIXTURES / "reports" / "compliant.txt")
    other_file = str(FIXTURES / "reports" / "no_part5.txt")

    async def main() -> tuple[Any, Any, Any, list[int]]:
        pool.start(warm=True)
        pids = [w.pid for w in pool.pool.workers]
        # a worker that ignores any timer, as native code does: stopped (SIGSTOP) until killed
        os.kill(pids[0], signal.SIGSTOP)
        stuck = asyncio.ensure_future(pool.run(CHECK, stuck_file, "stuck.txt", AuditOptions(), timeout=1))
        await asyncio.sleep(0.2)
        other = await pool.run(CHECK, other_file, "other.txt", AuditOptions(), timeout=30)
        return await stuck, other, await pool.run(CHECK, stuck_file, "again.txt", AuditOptions(), timeout=30), pids

    t0 = time.monotonic()
    try:
        (stuck, _), (other, _), (again, _), pids = asyncio.run(main())
        alive = [w.pid for w in pool.pool.workers]
    finally:
        pool.close()
    assert stuck.verdict == "error" and stuck.error == "处理超时（超过 1 秒），已跳过" and stuck.path == "stuck.txt"
    assert other.verdict == "fail" and other.path == "other.txt"
    assert again.verdict == "pass"
    assert pids[0] not in alive and pids[1] in alive  # that one killed, the other kept
    assert time.monotonic() - t0 < 20


def test_without_fork_the_page_audits_in_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no fork: the page still answers (in a thread, with the engine's own budget),
    as `check` audits in-process there."""
    from auditor.pool import workers

    def no_fork() -> int:
        raise OSError("no fork on this platform")

    monkeypatch.setattr(workers, "HAS_FORK", False)
    monkeypatch.setattr(os, "fork", no_fork)
    with TestClient(create_app(Settings(workers=2))) as c:
        res = c.post("/api/view", files=_files(GOOD_TXT))
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["report"]["reports"][0]["verdict"] == "pass" and body["views"][0]["lines"]


def test_the_server_pool_forks_its_workers_from_a_fork_server(packs: Any) -> None:
    """Workers are not forked from the server (it has threads): their parent is the fork server."""
    from auditor.web.work import ServerPool

    pool = ServerPool(packs, 1, max_memory_mb=0, time_budget=5)
    try:
        pool.start(warm=True)
        worker = pool.pool.workers[0].pid
        with open(f"/proc/{worker}/stat") as f:
            parent = int(f.read().rsplit(")", 1)[1].split()[1])
        assert parent != os.getpid() and parent > 0
    finally:
        pool.close()


def test_the_page_takes_formats_and_file_types_from_the_contracts(client: TestClient) -> None:
    """One list each: the reporters' extensions and media types, the loaders' suffixes (the page
    sets its file picker and download names from them)."""
    from auditor import loaders, reporters

    body = client.get("/api/formats").json()
    by_name = {f["name"]: f for f in body["formats"]}
    assert list(by_name) == list(reporters.names())
    assert by_name["markdown"]["extension"] == "md" and by_name["junit"]["extension"] == "xml"
    assert body["suffixes"] == [*loaders.supported_suffixes(), ".zip"]
    xlsx = client.post("/api/report", data={"format": "xlsx", "text": (FIXTURES / "reports" / "compliant.txt")
                                            .read_text(encoding="utf-8")})
    assert xlsx.headers["content-type"] == by_name["xlsx"]["media_type"]
    assert "auditor-%E6%8A%A5%E5%91%8A.xlsx" in xlsx.headers["content-disposition"]
    assert "accept=" not in client.get("/").text  # the page keeps no list of suffixes of its own


def test_a_proxys_forwarded_prefix_is_the_root_path_of_the_docs(client: TestClient) -> None:
    docs = client.get("/docs", headers={"X-Forwarded-Prefix": "/auditor/"}).text
    assert "'/auditor/openapi.json'" in docs or '"/auditor/openapi.json"' in docs
    assert "/auditor/docs-static/swagger-ui-bundle.js" in docs
    assert client.get("/healthz", headers={"X-Forwarded-Prefix": "/auditor"}).status_code == 200
    plain = client.get("/docs", headers={"X-Forwarded-Prefix": "javascript:alert(1)"}).text  # not a path: ignored
    assert "/auditor/" not in plain and "javascript" not in plain
    assert client.get("/docs").headers["x-request-id"]


def test_a_crash_is_a_chinese_500_with_a_request_id_and_its_message_stays_out_of_the_log(
        client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from auditor.web import service

    def boom(cards: Any) -> Any:
        raise RuntimeError("绝密正文片段")  # a message that might quote a document

    monkeypatch.setattr(service, "_contract", boom)
    with caplog.at_level("INFO", logger="auditor.web"):
        res = client.post("/api/check", files=_files(GOOD_TXT), headers={"X-Request-ID": "abc-123"})
    assert res.status_code == 500 and res.json()["detail"] == "服务器内部错误（RuntimeError），请将文件反馈给维护者"
    assert res.headers["x-request-id"] == "abc-123" and res.json()["request_id"] == "abc-123"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "rid=abc-123" in logged and "RuntimeError at test_api.py:" in logged and "outcome=crash:RuntimeError" in logged
    assert "绝密正文片段" not in logged and "compliant" not in logged


def test_unknown_addresses_and_methods_are_answered_in_chinese(client: TestClient) -> None:
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and "找不到该地址" in missing.json()["detail"] and missing.headers["x-request-id"]
    wrong = client.get("/api/check")
    assert wrong.status_code == 405 and wrong.json()["detail"] == "该地址不接受 GET 请求"
    broken = client.post("/api/check", content=b"--x\r\nnot a part", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and "无法解析上传的表单" in broken.json()["detail"]
