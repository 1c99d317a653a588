"""`auditor serve`'s request bounds, against a real server process over real sockets: a slow body
ends in 408 within its budget while another client is served; a stalled body and slow headers end
in 408; an oversized body sent at once (urllib) reads its 413; a client over its share of uploads
gets 429 and when to try again; /api/annotate refuses two files; every refusal is Chinese JSON with
an X-Request-ID; the log has one line per request and never a file's name or text."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("uvicorn", reason="the web extras are not installed")

from conftest import FIXTURES

REPORT = FIXTURES / "reports" / "compliant.txt"
SECRET_NAME = "机密底稿名称"  # a file name that must never reach the log
SECRET_TEXT = "绝密正文片段"  # nor a document's text


class Server:
    def __init__(self, port: int, proc: subprocess.Popen[str], log: Path) -> None:
        self.port, self.proc, self.log = port, proc, log
        self.base = f"http://127.0.0.1:{port}"


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    port = _free_port()
    log = tmp / f"serve-{port}.log"
    environ = {k: v for k, v in os.environ.items() if k != "AUDITOR_DEBUG"}
    environ.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "serve", "--port", str(port), "--log-file", str(log),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ,
                            start_new_session=True)
    server = Server(port, proc, log)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, proc.communicate()
        try:
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as res:
                if res.status == 200:
                    return server
        except OSError:
            pass
        assert time.monotonic() < deadline, "the server did not answer /healthz"
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.communicate()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = start_server(tmp_path_factory.mktemp("serve"), "--workers", "1", "--max-mb", "1", "--body-timeout", "12",
                     "--body-min-rate", "8", "--header-timeout", "1.5", "--max-uploads-per-client", "2",
                     env={"AUDITOR_WEB_BODY_GRACE": "3"})  # the uploads the 429 test holds live 3 s
    yield s
    stop_server(s)


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str] | None = None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(server: Server, route: str, files: list[tuple[str, bytes]], timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    """urllib, which sends the whole body before it reads anything."""
    body, ctype = multipart(files)
    req = urllib.request.Request(f"{server.base}{route}", data=body, method="POST",
                                 headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


PART = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'


def open_upload(server: Server, length: int) -> socket.socket:
    """A POST whose headers and the start of its one file are sent, and the rest not (yet)."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    sock.sendall(f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                 f"Content-Length: {length}\r\n\r\n".encode() + PART)
    return sock


def read_answer(sock: socket.socket, timeout: float) -> tuple[int, dict[str, str], dict[str, str]]:
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed without an answer: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of the answer"
        rest += chunk
    return int(lines[0].split()[1]), headers, json.loads(rest[:length].decode("utf-8"))


def test_a_slow_body_ends_in_408_within_its_budget_while_another_client_is_served(server: Server) -> None:
    # 2 KB/s against a minimum of 8 KB/s after a 3 s grace: late after about 4 s
    slow = open_upload(server, 200_000)
    started = time.monotonic()
    answer = None
    served = None
    try:
        while time.monotonic() - started < 20:
            readable, _, _ = select.select([slow], [], [], 0.1)
            if readable:
                answer = read_answer(slow, 5)
                break
            try:
                slow.sendall(b"a" * 200)
            except OSError:  # the server closed while this client was still writing
                answer = read_answer(slow, 5)
                break
            if served is None and time.monotonic() - started > 0.3:
                # another drafter meanwhile: answered while the slow one still drags
                t0 = time.monotonic()
                status, _, body = post(server, "/api/check", [("报告.txt", REPORT.read_bytes())])
                served = (status, json.loads(body)["reports"][0]["verdict"], time.monotonic() - t0)
        elapsed = time.monotonic() - started
    finally:
        slow.close()
    assert answer is not None, "the slow body was still being read after 20 s"
    status, headers, body = answer
    assert status == 408 and headers.get("x-request-id")
    assert "上传超时" in body["detail"] and "8 KB" in body["detail"] and body["request_id"] == headers["x-request-id"]
    assert elapsed < 20
    assert served is not None and served[:2] == (200, "pass")
    # ended by the rate rule (about 4 s in), well before the 12 s budget: the server's own clock
    line = _log_line(server, headers["x-request-id"])
    assert "outcome=slow_body" in line and "status=408" in line
    assert int(line.split(" ms=")[1].split()[0]) < 8000, line


def _log_line(server: Server, rid: str) -> str:
    deadline = time.monotonic() + 5
    while True:
        lines = [ln for ln in server.log.read_text(encoding="utf-8").splitlines() if f"rid={rid} " in ln]
        if lines or time.monotonic() > deadline:
            assert lines, f"no log line for {rid}"
            return lines[-1]
        time.sleep(0.1)


def test_a_stalled_body_and_slow_headers_end_in_408(server: Server) -> None:
    stalled = open_upload(server, 5000)
    started = time.monotonic()
    status, headers, body = read_answer(stalled, 15)
    stalled.close()
    assert status == 408 and "上传超时" in body["detail"] and headers["connection"] == "close"
    assert time.monotonic() - started < 10  # 3 s grace, 12 s budget

    half = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    half.sendall(b"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
    started = time.monotonic()
    status, headers, body = read_answer(half, 10)
    half.close()
    assert status == 408 and "请求头须在 1.5 秒内发送完毕" in body["detail"] and headers.get("x-request-id")
    assert 1.0 < time.monotonic() - started < 5

    silent = socket.create_connection(("127.0.0.1", server.port), timeout=10)  # sends nothing: closed, no answer
    assert silent.recv(100) == b""
    silent.close()


def test_an_oversized_body_sent_at_once_reads_its_413(server: Server) -> None:
    big = os.urandom(1536 * 1024)  # 1.5 MB against 1 MB
    status, headers, body = post(server, "/api/check", [("大文件.docx", big)])
    assert status == 413, (status, body[:200])
    detail = json.loads(body)["detail"]
    assert detail == "上传内容过大，超过上限 1 MB；请分批上传或压缩图片后再试"
    assert headers.get("x-request-id")
    with urllib.request.urlopen(f"{server.base}/api/limits", timeout=10) as res:
        assert json.loads(res.read())["too_large"] == detail  # what the page says before sending


def test_uploads_beyond_a_clients_share_get_429_and_when_to_retry(server: Server) -> None:
    holding = [open_upload(server, 100_000) for _ in range(2)]
    try:
        time.sleep(0.3)
        # sent whole before the answer is read (urllib), as a script would
        status, headers, body = post(server, "/api/check", [("报告.txt", REPORT.read_bytes() + b" " * 900_000)])
        assert status == 429, body[:300]
        assert headers.get("retry-after") == "10" and headers.get("x-request-id")
        detail = json.loads(body)["detail"]
        assert "同时最多 2 个" in detail and "再试" in detail
    finally:
        for sock in holding:
            sock.close()
    time.sleep(0.5)  # the slots free as the holders leave
    status, headers, body = post(server, "/api/check", [("报告.txt", REPORT.read_bytes())])
    assert status == 200, body[:300]
    log = server.log.read_text(encoding="utf-8")
    assert log.count("outcome=disconnected") >= 2  # the holders that left are said to have left


def test_annotate_refuses_two_files(server: Server) -> None:
    status, headers, body = post(server, "/api/annotate", [("一.txt", REPORT.read_bytes()), ("二.txt", REPORT.read_bytes())])
    assert status == 400 and headers.get("x-request-id")
    assert json.loads(body)["detail"] == "批注一次只处理一份文件，本次收到 2 份；请逐份上传"


def test_unknown_addresses_and_malformed_requests_are_answered_in_chinese(server: Server) -> None:
    status, headers, body = post(server, "/api/nowhere", [("x.txt", b"x" * 1000)])
    assert status == 404 and "找不到该地址" in json.loads(body)["detail"] and headers.get("x-request-id")
    bad = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    bad.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    status, headers, body = read_answer(bad, 10)
    bad.close()
    assert status == 400 and "请求格式不正确" in body["detail"] and headers.get("x-request-id")


def test_the_log_says_what_happened_and_never_names_or_quotes_a_file(server: Server) -> None:
    status, headers, _ = post(server, "/api/check", [(f"{SECRET_NAME}.txt", REPORT.read_bytes() + SECRET_TEXT.encode())])
    assert status == 200
    line = _log_line(server, headers["x-request-id"])
    text = server.log.read_text(encoding="utf-8")
    assert "POST /api/check" in line and "files=.txt" in line and "status=200" in line and "outcome=ok" in line
    assert " ms=" in line and " bytes=" in line and "client=127.0.0.1" in line
    assert SECRET_NAME not in text and SECRET_TEXT not in text
