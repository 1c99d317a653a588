"""The request layer of `auditor serve`: bounds on what one client can hold, and one log line per
request.

Two parts, because a request has two stages:

- `RequestGuard` (ASGI middleware) sees a request once its headers are in. It gives every
  response an `X-Request-ID`, bounds the body (a size cap, a time budget and a minimum rate: a
  slow-POST client or a stalled network ends in 408 instead of holding a connection forever), caps
  the uploads one client address may have in flight (429 with a line saying when to try again),
  answers every refusal and crash in Chinese, and logs the request id, client, route, size, time
  and outcome: never a document's text, and of file names only their suffix.
  An oversized body is read and discarded (up to a bound, within the same deadlines) before the 413
  is sent: a client that sends its whole body before reading (Python's urllib, curl without
  `Expect`, most scripts) otherwise sees "connection reset" instead of the answer.
- `http_protocol()` (uvicorn's h11 protocol, subclassed) bounds the headers: they must be complete
  within a time budget (408, then the connection is closed; a connection that sent nothing is just
  closed), and its malformed-request and too-large-header answers are Chinese JSON like the rest.
  Only `auditor serve` installs it; any other ASGI server still gets the middleware.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable, MutableMapping

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("auditor.web")

_BODYLESS = ("GET", "HEAD", "OPTIONS")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Bounds:
    """What one request may take. Every number is a setting of `auditor serve` (see its --help)."""

    max_request_bytes: int = 50 * 1048576
    body_timeout: float = 120.0  # seconds a whole body may take, however fast it comes
    body_min_rate: int = 10240  # bytes/s the body must average once body_grace has passed (0: no rate)
    body_grace: float = 10.0  # seconds before the rate applies (a connection's slow start, a paused upload)
    header_timeout: float = 10.0  # seconds for the request line and headers (the h11 protocol)
    max_header_bytes: int = 32768  # request line and headers (the h11 protocol; 431 above)
    max_uploads_per_client: int = 8  # requests with a body in flight from one address (0: no cap)
    retry_after: int = 10  # seconds, said in the 429
    discard_bytes: int = 0  # how much of a refused body is read before answering (0: max(2 × cap, 64 MB))

    @property
    def discard_limit(self) -> int:
        return self.discard_bytes or max(2 * self.max_request_bytes, 64 * 1048576)


def too_large_message(max_bytes: int) -> str:
    return f"上传内容过大，超过上限 {max_bytes / 1048576:g} MB；请分批上传或压缩图片后再试"


def slow_body_message(bounds: Bounds) -> str:
    rate = f"、平均每秒至少 {bounds.body_min_rate / 1024:g} KB" if bounds.body_min_rate else ""
    return (f"上传超时：上传内容须在 {bounds.body_timeout:g} 秒内传完{rate}，本次未达到，连接已关闭；"
            "请检查网络后重试，大批文件请分批上传")


def slow_headers_message(bounds: Bounds) -> str:
    return f"请求超时：请求头须在 {bounds.header_timeout:g} 秒内发送完毕，本次未达到，连接已关闭；请检查网络后重试"


def busy_message(bounds: Bounds) -> str:
    return (f"来自同一地址的上传过多（同时最多 {bounds.max_uploads_per_client} 个）；"
            f"请等前面的检查完成后再试（约 {bounds.retry_after} 秒后）")


def internal_message(exc: BaseException) -> str:
    return f"服务器内部错误（{type(exc).__name__}），请将文件反馈给维护者"


def error_body(detail: str, request_id: str) -> bytes:
    return json.dumps({"detail": detail, "request_id": request_id}, ensure_ascii=False).encode("utf-8")


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


#: the log record of the request being served: the endpoints add the uploads' suffixes to it
_CURRENT: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("auditor_request", default=None)


def note_files(names: Iterable[str | None]) -> None:
    """Tell the log which kinds of file the request carried: their suffixes, never their names."""
    record = _CURRENT.get()
    if record is None:
        return
    for name in names:
        ext = os.path.splitext(name or "")[1].lower()
        record["files"][ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else "(其他)"] += 1


class _Refused(Exception):
    def __init__(self, status: int, outcome: str) -> None:
        super().__init__(outcome)
        self.status, self.outcome = status, outcome


class RequestGuard:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp, bounds: Bounds) -> None:
        self.app = app
        self.bounds = bounds
        self.active: Counter[str] = Counter()  # uploads in flight per client address

    # ---- deadlines ---------------------------------------------------------------------------
    def _deadline(self, started: float, received: int) -> float:
        b = self.bounds
        allowed = b.body_timeout
        if b.body_min_rate:
            allowed = min(allowed, b.body_grace + received / b.body_min_rate)
        return started + allowed

    async def _next(self, receive: Receive, started: float, received: int) -> Message:
        """The next message of the body, or _Refused(408) once it is late."""
        left = self._deadline(started, received) - time.monotonic()
        if left <= 0:
            raise _Refused(408, "slow_body")
        try:
            return await asyncio.wait_for(receive(), left)
        except asyncio.TimeoutError:
            raise _Refused(408, "slow_body") from None

    async def _discard(self, receive: Receive, started: float, received: int, record: dict[str, Any]) -> bool:
        """Read the rest of a body nobody will use, within the body's deadlines and up to
        discard_limit, so that a client still sending it reads the answer instead of a reset
        connection. True when the whole body was read (the connection can be kept)."""
        limit = self.bounds.discard_limit
        while received <= limit:
            try:
                message = await self._next(receive, started, received)
            except _Refused:
                return False
            if message["type"] != "http.request":
                return False
            received += len(message.get("body", b""))
            record["bytes"] = received
            if not message.get("more_body", False):
                return True
        return False

    # ---- answers -----------------------------------------------------------------------------
    async def _answer(self, send: Send, status: int, detail: str, record: dict[str, Any],
                      headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        body = error_body(detail, record["rid"])
        record["status"] = status
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
                                (b"x-request-id", record["rid"].encode()), *headers]})
        await send({"type": "http.response.body", "body": body})

    def _message(self, refusal: _Refused) -> str:
        if refusal.status == 413:
            return too_large_message(self.bounds.max_request_bytes)
        return slow_body_message(self.bounds)

    # ---- the request -------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", ())}
        _prefixed(scope, headers)
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        client = (scope.get("client") or ("-", 0))[0]
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        route = path[len(root):] if root and path.startswith(root) else path
        record: dict[str, Any] = {"rid": given if _GOOD_ID.match(given) else new_request_id(), "client": client,
                                  "method": scope.get("method", ""), "route": route[:120] or "/", "bytes": 0,
                                  "files": Counter(), "status": 0, "outcome": "ok"}
        started = time.monotonic()
        token = _CURRENT.set(record)
        try:
            if scope.get("method") in _BODYLESS:
                await self._serve(scope, receive, send, record, started, body=False)
            else:
                await self._upload(scope, receive, send, headers, record, started)
        finally:
            _CURRENT.reset(token)
            self._log(record, started)

    async def _upload(self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes],
                      record: dict[str, Any], started: float) -> None:
        b = self.bounds
        waiting = b"100-continue" in headers.get(b"expect", b"").lower()  # it sends nothing until we read
        declared: int | None = None
        if b"content-length" in headers:
            try:
                declared = int(headers[b"content-length"])
            except ValueError:
                declared = None
        client = record["client"]
        if b.max_uploads_per_client and self.active[client] >= b.max_uploads_per_client:
            record["outcome"] = "busy"
            if not waiting:
                await self._discard(receive, started, 0, record)
            await self._answer(send, 429, busy_message(b), record, [(b"retry-after", str(b.retry_after).encode())])
            return
        self.active[client] += 1
        try:
            if declared is not None and declared > b.max_request_bytes:
                record["outcome"] = "too_large"
                if not waiting:
                    await self._discard(receive, started, 0, record)
                await self._answer(send, 413, too_large_message(b.max_request_bytes), record)
                return
            await self._serve(scope, receive, send, record, started, body=True)
        finally:
            self.active[client] -= 1
            if self.active[client] <= 0:
                del self.active[client]

    async def _serve(self, scope: Scope, receive: Receive, send: Send, record: dict[str, Any], started: float,
                     *, body: bool) -> None:
        b = self.bounds
        refused: _Refused | None = None
        answered = False  # the response has started (ours or the app's)
        received = 0
        ended = not body  # the client has sent its whole body

        async def bounded() -> Message:
            nonlocal received, refused, ended
            if refused is not None:
                raise refused
            if ended:
                return await receive()  # a disconnect, when the app waits for one
            try:
                message = await self._next(receive, started, received)
            except _Refused as late:
                refused = late
                raise
            if message["type"] == "http.disconnect":
                record["outcome"] = "disconnected"  # the client left in the middle of its upload
            elif message["type"] == "http.request":
                received += len(message.get("body", b""))
                record["bytes"] = received
                if not message.get("more_body", False):
                    ended = True
                if received > b.max_request_bytes:
                    refused = _Refused(413, "too_large")
                    raise refused
            return message

        async def tracked(message: Message) -> None:
            # a framework may catch the error raised while it reads the body and answer 400:
            # once a bound is crossed, whatever it answers is replaced by the bound's answer
            nonlocal answered, ended
            if refused is not None and not answered:
                return
            if message["type"] == "http.response.start":
                answered = True
                record["status"] = message["status"]
                extra = [(b"x-request-id", record["rid"].encode())]
                if body and not ended:
                    # answered before the body was read (an unknown address, say): read the rest
                    # first, within the same bounds, else the client may see a reset connection;
                    # and never leave a slow body to the server's own unbounded reading
                    ended = await self._discard(receive, started, received, record)
                    if not ended:
                        extra.append((b"connection", b"close"))
                message = dict(message)
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        try:
            await self.app(scope, bounded if body else receive, tracked)
        except _Refused:
            pass  # answered below
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a crash is answered, never shown as a stack trace
            record["outcome"] = f"crash:{type(exc).__name__}"
            log.error("rid=%s internal error %s at %s", record["rid"], type(exc).__name__, _where(exc))
            if not answered:
                answered = True
                await self._answer(send, 500, internal_message(exc), record)
            return
        if refused is not None:
            record["outcome"] = refused.outcome
            if not answered:
                if refused.status == 413 and not ended:
                    await self._discard(receive, started, received, record)
                answered = True
                await self._answer(send, refused.status, self._message(refused), record)

    def _log(self, record: dict[str, Any], started: float) -> None:
        files = ",".join(f"{ext}×{n}" if n > 1 else ext for ext, n in sorted(record["files"].items())) or "-"
        status = record["status"]
        if record["outcome"] == "ok" and status >= 400:
            record["outcome"] = "refused" if status < 500 else "error"
        level = logging.WARNING if status >= 500 else logging.INFO
        log.log(level, "rid=%s client=%s %s %s bytes=%d files=%s status=%s ms=%d outcome=%s",
                record["rid"], record["client"], record["method"], record["route"], record["bytes"], files,
                status or "-", (time.monotonic() - started) * 1000, record["outcome"])


_PREFIX = re.compile(r"^(/[A-Za-z0-9][A-Za-z0-9._~-]*)+$")


def _prefixed(scope: Scope, headers: dict[bytes, bytes]) -> None:
    """A proxy's X-Forwarded-Prefix (the sub-path it serves the page under) is the root path when
    the server was given none (`--root-path` wins): the API documentation then points at its own
    files. It only changes addresses written into that client's own answers."""
    if scope.get("root_path"):
        return
    prefix = headers.get(b"x-forwarded-prefix", b"").decode("latin-1").strip().rstrip("/")
    if not _PREFIX.match(prefix):
        return
    scope["root_path"] = prefix
    scope["path"] = prefix + scope.get("path", "")
    if isinstance(scope.get("raw_path"), bytes):
        scope["raw_path"] = prefix.encode("ascii") + scope["raw_path"]


def _where(exc: BaseException) -> str:
    """Where an exception was raised (file:line in function), without its message: a message may
    quote a document."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return "?"
    code = last.tb_frame.f_code
    return f"{os.path.basename(code.co_filename)}:{last.tb_lineno} in {code.co_name}"


def _raw_answer(status: int, reason: str, detail: str, request_id: str) -> bytes:
    body = error_body(detail, request_id)
    head = (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\nx-request-id: {request_id}\r\n\r\n")
    return head.encode("ascii") + body


def http_protocol(bounds: Bounds) -> type:
    """uvicorn's h11 protocol with a time budget for the request line and headers and Chinese
    answers for what it refuses before the application sees a request. Passed as uvicorn's
    `http=`; `h11_max_incomplete_event_size=bounds.max_header_bytes` goes with it."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None
        _protocol_error: Exception | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            next_event = self.conn.next_event

            def recorded() -> Any:  # which error h11 found: uvicorn's handler only says "invalid"
                try:
                    return next_event()
                except h11.RemoteProtocolError as exc:
                    self._protocol_error = exc
                    raise

            self.conn.next_event = recorded  # type: ignore[method-assign]  # a wrapper that records the error
            self._arm_header_timer()

        def _arm_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
            self._header_timer = self.loop.call_later(bounds.header_timeout, self._headers_late)

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return  # the headers are in: the body has its own bounds
            if self.conn.trailing_data[0]:  # part of a request came: say why it ends
                rid = new_request_id()
                self.transport.write(_raw_answer(408, "Request Timeout", slow_headers_message(bounds), rid))
                client = self.client[0] if self.client else "-"
                log.info("rid=%s client=%s - - bytes=%d files=- status=408 ms=%d outcome=slow_headers",
                         rid, client, len(self.conn.trailing_data[0]), bounds.header_timeout * 1000)
            self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm_header_timer()  # the next request on this connection has the same budget

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            error = self._protocol_error
            rid = new_request_id()
            if getattr(error, "error_status_hint", 400) == 431:
                status, reason = 431, "Request Header Fields Too Large"
                detail = f"请求头过大（上限 {bounds.max_header_bytes / 1024:g} KB），连接已关闭"
            else:
                status, reason, detail = 400, "Bad Request", "请求格式不正确（不是有效的 HTTP 请求），连接已关闭"
            client = self.client[0] if self.client else "-"
            log.info("rid=%s client=%s - - bytes=0 files=- status=%d ms=0 outcome=bad_http", rid, client, status)
            self.transport.write(_raw_answer(status, reason, detail, rid))
            self.transport.close()

    return GuardedH11Protocol
