"""`auditor serve`: the self-check web page and HTTP API, as an ASGI app (`auditor.web:app`).

`app` is built on first access, so importing this package costs nothing until a server asks for
it; any ASGI server can run it: `uvicorn auditor.web:app --workers 4`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from auditor.web.service import create_app

        app = create_app()
        globals()["app"] = app
        return app
    if name == "create_app":
        from auditor.web.service import create_app

        return create_app
    raise AttributeError(name)
