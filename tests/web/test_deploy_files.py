"""The deploy examples agree with the program and with each other: every option the systemd unit
gives `auditor serve` exists and parses, its body limit is nginx's client_max_body_size and the
413 message nginx gives is auditor's own for that limit, and the sub-path is the same in both."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from auditor.cli import main
from auditor.web.guard import too_large_message

ROOT = Path(__file__).resolve().parents[2]
UNIT = (ROOT / "deploy" / "auditor.service").read_text(encoding="utf-8")
SITE = (ROOT / "deploy" / "nginx" / "auditor.conf").read_text(encoding="utf-8")


def _serve_args() -> list[str]:
    line = re.search(r"^ExecStart=(.*?)(?<!\\)$", UNIT.replace("\\\n", " "), re.M)
    assert line
    argv = shlex.split(line.group(1))
    assert argv[0].endswith("/auditor") and argv[1] == "serve"
    return argv[2:]


def test_the_units_options_are_serves_and_parse() -> None:
    serve = main.commands["serve"]
    assert isinstance(serve, click.Command)
    ctx = serve.make_context("serve", _serve_args())  # an unknown option or a bad value raises
    for name in ("host", "port", "workers", "root_path", "max_mb", "body_timeout", "body_min_rate",
                 "header_timeout", "max_uploads_per_client", "log_file"):
        assert ctx.params[name] is not None, name
    assert ctx.params["host"] == "127.0.0.1"


def test_nginx_allows_what_auditor_allows_and_says_it_the_same_way() -> None:
    params = main.commands["serve"].make_context("serve", _serve_args()).params
    size = re.search(r"client_max_body_size (\d+)m;", SITE)
    assert size and int(size.group(1)) == params["max_mb"]
    assert too_large_message(int(params["max_mb"] * 1048576)) in SITE
    upstream = re.search(r"server 127\.0\.0\.1:(\d+);", SITE)
    assert upstream and int(upstream.group(1)) == params["port"]
    prefix = params["root_path"].strip("/")
    assert f"location /{prefix}/ {{" in SITE and f"X-Forwarded-Prefix /{prefix};" in SITE
