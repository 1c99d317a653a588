"""`auditor serve`: uvicorn on 127.0.0.1 unless told otherwise, with a warning when exposed."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Any


def cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (in Chinese), or None when it can. Asked
    before anything starts: a drafter who starts the page twice is told the first one is
    running, instead of "请在浏览器中打开" followed by uvicorn's English bind error."""
    import errno
    import socket

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            return None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (f"端口 {port} 已被占用：可能已有一个 auditor serve 在运行（直接在浏览器中打开 "
                    f"http://{shown}:{port}），或用 --port 换一个端口")
        return f"无法在 {host}:{port} 上启动服务：{exc.strerror or exc}"


def log_config(log_file: str | None) -> dict[str, object]:
    """One line per request (guard.py) and uvicorn's own warnings, to `log_file` (reopened when
    logrotate moves it) or to stderr (systemd's journal under a service manager)."""
    handler: dict[str, object] = (
        {"class": "logging.handlers.WatchedFileHandler", "filename": log_file, "encoding": "utf-8", "formatter": "line"}
        if log_file else {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "line"})
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"out": handler},
        "loggers": {"auditor.web": {"handlers": ["out"], "level": "INFO", "propagate": False},
                    "uvicorn.error": {"handlers": ["out"], "level": "WARNING", "propagate": False},
                    "uvicorn": {"handlers": ["out"], "level": "WARNING", "propagate": False}},
    }


def run(*, host: str, port: int, settings: Any, root_path: str = "", log_file: str | None = None) -> None:
    import uvicorn

    from auditor.web.guard import http_protocol
    from auditor.web.service import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"auditor: 警告：服务监听 {host}，局域网内任何人都能访问本页面和接口，本服务没有登录或权限控制；"
              "仅在可信的内网中使用。(warning: no login; anyone who can reach this address can use it)",
              file=sys.stderr)
    app = create_app(settings)
    root_path = normal_root_path(root_path)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"auditor: 请在浏览器中打开 http://{shown}:{port}{root_path}/  （按 Ctrl+C 停止）", file=sys.stderr)
    signal.signal(signal.SIGTERM, _stopped)
    bounds = settings.bounds
    uvicorn.run(app, host=host, port=port, root_path=root_path, http=http_protocol(bounds),
                h11_max_incomplete_event_size=bounds.max_header_bytes, access_log=False,
                log_config=log_config(log_file), log_level="warning")


def normal_root_path(root_path: str) -> str:
    """`/auditor/`, `auditor` or `/auditor` → `/auditor`; `/` or empty → empty."""
    root_path = (root_path or "").strip().strip("/")
    return f"/{root_path}" if root_path else ""


def _stopped(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (systemd, a service manager, `kill`) is a normal way to stop a server: exit 0.
    While it serves, uvicorn takes SIGTERM, stops gracefully (requests finished, the lifespan
    shuts the audit pool down) and then raises the signal again for the handler it found,
    this one; the default handler would kill the process with -15 before the interpreter's
    exit cleanup, leaving the pool's forkserver and workers behind and the resource tracker
    warning about leaked semaphores."""
    raise SystemExit(0)
