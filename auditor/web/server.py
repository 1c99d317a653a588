"""`auditor serve`: uvicorn on 127.0.0.1 unless told otherwise, with a warning when exposed."""

from __future__ import annotations

import sys


def run(*, host: str, port: int, workers: int | None) -> None:
    import uvicorn

    from auditor.web.service import Settings, create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"auditor: 警告：服务监听 {host}，局域网内任何人都能访问本页面和接口，本服务没有登录或权限控制；"
              "仅在可信的内网中使用。(warning: no login; anyone who can reach this address can use it)",
              file=sys.stderr)
    app = create_app(Settings(workers=workers or 0))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"auditor: 请在浏览器中打开 http://{shown}:{port}  （按 Ctrl+C 停止）", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
