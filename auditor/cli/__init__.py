"""Command line: parse → build (config, packs, options, reporters) → execute → exit status.

Exit status (auditor.run.policy): 0 every report passes; 1 at least one fails the fail policy;
2 a usage error, an invalid rule or config file, or an input that could not be audited
(2 wins over 1; readable inputs are still audited). `--exit-zero` turns 1 into 0.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any, Sequence

import click

from auditor import __version__
from auditor.cli.common import EXIT_CODES, exit_status, reader_left
from auditor.run.policy import EXIT_ERROR, EXIT_FAILED, EXIT_OK

__all__ = ["EXIT_ERROR", "EXIT_FAILED", "EXIT_OK", "entry", "exit_status", "main"]


#: command → (module under auditor.cli, function): one thin parser per command, a module imported only
#: when its command runs or the help lists the commands (start-up stays lean)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check"), "rules": ("rules", "rules_cmd"), "explain": ("rules", "explain"),
    "validate-rules": ("rules", "validate_rules"), "init": ("init", "init"), "annotate": ("annotate", "annotate"),
    "serve": ("serve", "serve"),
}


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands, each imported from its module when first looked up."""

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attr = COMMANDS[name]  # KeyError: not a command
            command = getattr(importlib.import_module(f"auditor.cli.{module}"), attr)
            assert isinstance(command, click.Command)
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*COMMANDS, *self._loaded]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*COMMANDS, *self._loaded]))


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # a listing (rules, explain, --help) whose reader left: it did its job
            reader_left()
            return EXIT_OK


@click.group(cls=_Group, commands=_Commands(), context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="auditor")
def main() -> None:
    """Audit Chinese government rule-of-law reports (法治政府建设年度报告) against rule packs."""


EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C (128 + SIGINT)

#: What a mark becomes on a stream that cannot encode it (a redirect on Chinese Windows is
#: GBK/cp936, which lacks ✔ ✘ ⚠): the first fallback the stream's encoding can take, else "?".
_FALLBACK = {"✔": "√v", "✘": "×x", "⚠": "!", "–": "-", "≈": "~", "…": ".", "─": "-", "━": "-", "│": "|",
             "•": "·*", "✓": "√v", "✗": "×x", "→": "->", "　": " "}


def _fallback(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeEncodeError)
    out = []
    for ch in err.object[err.start:err.end]:
        for alt in (*_FALLBACK.get(ch, ""), "?"):
            try:
                alt.encode(err.encoding)
            except UnicodeError:
                continue
            out.append(alt)
            break
    return "".join(out), err.end


def _safe_streams() -> None:
    """stdout/stderr never fail on a character they cannot encode: marks fall back (see above)."""
    import codecs
    import io

    codecs.register_error("auditor-fallback", _fallback)
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if isinstance(stream, io.TextIOWrapper) and enc not in ("utf-8", "utf8", "utf-16", "utf-32", "gb18030"):
            stream.reconfigure(errors="auditor-fallback")


def _quiet_noise() -> None:
    """Third-party warnings and "Exception ignored in …" messages are not for the user (a
    result says what went wrong with a file); AUDITOR_DEBUG=1 shows them."""
    if os.environ.get("AUDITOR_DEBUG"):
        return
    import warnings

    warnings.simplefilter("ignore")
    sys.unraisablehook = lambda unraisable: None


def entry(args: Sequence[str] | None = None) -> None:
    """The `auditor` command: click's main with Ctrl-C → exit 130 and "已中断", and no traceback
    ever reaching the user (an internal error is one line saying how to report it)."""
    _safe_streams()
    _quiet_noise()
    try:
        status = main.main(args=list(args) if args is not None else None, prog_name="auditor", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _echo_err("\nauditor: 已中断（Ctrl-C），未写出结果文件")
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # `auditor check … | head`: the reader left; nothing to say
        os._exit(EXIT_OK)
    except Exception as exc:
        _echo_err(f"auditor: internal error ({type(exc).__name__}: {exc}). Please report it with the command "
                  f"line and `auditor --version` ({__version__}); AUDITOR_DEBUG=1 shows the details.")
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        sys.exit(EXIT_ERROR)
    sys.exit(status if isinstance(status, int) else EXIT_OK)


def _echo_err(message: str) -> None:
    try:
        click.echo(message, err=True)
    except Exception:  # noqa: BLE001, S110 - stderr itself is gone
        pass
