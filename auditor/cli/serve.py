"""`auditor serve`: the web page and HTTP API (auditor.web), its limits given as options."""

from __future__ import annotations

from typing import Any

import click

from auditor.cli.common import ConfigurationError


def _web_defaults() -> Any:
    from auditor.web.service import Settings

    return Settings()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1), metavar="N", help="Documents audited at once [default: cores, at least 2].")
@click.option("--root-path", default="", metavar="PATH",
              help="The sub-path a reverse proxy serves the page under, e.g. /auditor/ [default: none].")
@click.option("--max-mb", type=click.FloatRange(0, min_open=True), metavar="MB",
              default=lambda: _web_defaults().max_request_bytes / 1048576,
              help="Largest request body (413 above); the proxy's body size must allow it. [default: 50; env AUDITOR_WEB_MAX_MB]")
@click.option("--timeout", type=click.FloatRange(0), metavar="SECONDS",
              default=lambda: _web_defaults().time_budget,
              help="Time budget for each document's audit (0: none). [default: 60; env AUDITOR_WEB_TIMEOUT]")
@click.option("--body-timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              default=lambda: _web_defaults().body_timeout,
              help="A request body must arrive within this time (408 otherwise). [default: 120; env AUDITOR_WEB_BODY_TIMEOUT]")
@click.option("--body-min-rate", type=click.FloatRange(0), metavar="KB/S",
              default=lambda: _web_defaults().body_min_rate / 1024,
              help="...and average at least this rate after its first 10 s (408 otherwise; 0: no rate). [default: 10; env AUDITOR_WEB_BODY_MIN_RATE in bytes/s]")
@click.option("--header-timeout", type=click.FloatRange(0, min_open=True), metavar="SECONDS",
              default=lambda: _web_defaults().header_timeout,
              help="The request line and headers must arrive within this time (408 otherwise). [default: 10; env AUDITOR_WEB_HEADER_TIMEOUT]")
@click.option("--max-uploads-per-client", type=click.IntRange(0), metavar="N",
              default=lambda: _web_defaults().max_uploads_per_client,
              help="Uploads one client address may have in flight (429 above; 0: no cap). [default: 8; env AUDITOR_WEB_MAX_UPLOADS_PER_CLIENT]")
@click.option("--log-file", metavar="PATH", help="Append the request log here [default: stderr].")
def serve(host: str, port: int, workers: int | None, root_path: str, max_mb: float, timeout: float,
          body_timeout: float, body_min_rate: float, header_timeout: float, max_uploads_per_client: int,
          log_file: str | None) -> None:
    """The web page and HTTP API: open http://127.0.0.1:8000 in a browser.

    Every request is logged (request id, client address, route, size, time, outcome; of the files
    only their suffixes, never their names or text). Behind a reverse proxy give it --root-path
    and let the proxy allow --max-mb: see deploy/ in the repository."""
    from dataclasses import replace

    from auditor.web.server import cannot_listen, run

    why = cannot_listen(host, port)
    if why:
        raise ConfigurationError(why)  # exit 2, before the page's address is announced
    if log_file:
        try:
            open(log_file, "a", encoding="utf-8").close()
        except OSError as exc:
            raise ConfigurationError(f"无法写入日志文件 {log_file}：{exc.strerror or exc}") from exc
    size = int(max_mb * 1048576)
    settings = replace(_web_defaults(), workers=workers or 0, max_request_bytes=size, max_file_bytes=size,
                       time_budget=timeout, body_timeout=body_timeout, body_min_rate=int(body_min_rate * 1024),
                       header_timeout=header_timeout, max_uploads_per_client=max_uploads_per_client)
    run(host=host, port=port, settings=settings, root_path=root_path, log_file=log_file)
