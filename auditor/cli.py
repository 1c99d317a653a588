"""Command line: parse → build (packs, options, reporter) → execute → exit status.

Exit status: 0 every report passes; 1 at least one fails; 2 a usage error, an invalid rule
file, or an input that could not be read (2 wins over 1; readable inputs are still audited).
"""

from __future__ import annotations

import os
import re
import sys
from typing import Sequence

import click

from auditor import __version__, reporters

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _MMDD.match(value):
        raise click.BadParameter("expected MM-DD, e.g. 04-01 or 03-01")
    return value


def exit_status(cards: Sequence[object]) -> int:
    verdicts = {getattr(c, "verdict") for c in cards}
    if "error" in verdicts:
        return EXIT_ERROR
    return EXIT_FAILED if "fail" in verdicts else EXIT_OK


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Files named directly stay as given (an unsupported one becomes an error card later);
    directories are searched recursively for supported files, in a stable order."""
    from auditor.loaders import is_supported

    files: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            found = [
                os.path.join(root, f)
                for root, dirs, names in os.walk(p)
                for f in names
                if is_supported(f) and not f.startswith(".")
            ]
            files.extend(sorted(found))
        else:
            files.append(p)
    return files


class ConfigurationError(click.ClickException):
    """An invalid rule or configuration file: stops the run with exit status 2."""

    exit_code = EXIT_ERROR


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def main() -> None:
    """Audit Chinese government rule-of-law reports (法治政府建设年度报告) against rule packs."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(reporters.names()), default="text", show_default=True,
              help="Output format.")
@click.option("--pack", default="auto", show_default=True, help="Report type: auto, or a pack id (annual …).")
@click.option("--deadline", callback=_deadline, metavar="MM-DD", help="Publication deadline (default 04-01).")
@click.option("--no-color", is_flag=True, help="Plain text, no colours.")
@click.option("--width", type=click.IntRange(40, 400), help="Text output width (default: terminal width).")
@click.option("--max-size", type=click.FloatRange(0.001), default=50.0, show_default=True, metavar="MB",
              help="Largest file to read.")
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
              help="Time budget per document (0: none).")
def check(paths: tuple[str, ...], fmt: str, pack: str, deadline: str | None, no_color: bool,
          width: int | None, max_size: float, timeout: float) -> None:
    """Audit report files (txt, md, docx, pdf, html) and print a scorecard for each."""
    from auditor.engine import AuditOptions, audit_file
    from auditor.errors import RuleFileError
    from auditor.ruleset import load_builtin_packs

    try:
        packs = load_builtin_packs()
    except RuleFileError as exc:
        raise ConfigurationError(str(exc)) from exc
    if pack != "auto" and pack not in packs:
        raise click.BadParameter(f"unknown pack '{pack}'; valid: auto, {', '.join(sorted(packs))}",
                                 param_hint="--pack")
    options = AuditOptions(pack=pack, deadline=deadline, max_bytes=int(max_size * 1024 * 1024),
                           time_budget=timeout)
    cards = [audit_file(p, packs, options) for p in expand_paths(paths)]
    if not cards:
        raise click.UsageError("no report files found in the given paths")
    ctx = reporters.ReportContext(packs=packs, color=False if no_color else None, width=width)
    reporters.get(fmt).write(cards, sys.stdout, ctx=ctx)
    sys.exit(exit_status(cards))

