"""What every command shares: the configuration (config file and packs, errors → exit status 2),
stderr lines that never end a run, the exit status of a run, and the help's exit-status epilog."""

from __future__ import annotations

import os
import sys
from typing import IO, Any, Sequence

import click

from auditor.run.policy import EXIT_ERROR, FailPolicy


def exit_status(cards: Sequence[Any], policy: FailPolicy | None = None) -> int:
    from auditor.run.policy import exit_code

    return exit_code(cards, policy or FailPolicy())


class ConfigurationError(click.ClickException):
    """An invalid rule or configuration file: stops the run with exit status 2."""

    exit_code = EXIT_ERROR


def _config(path: str | None, *, use_cache: bool = True) -> tuple[Any, dict[str, Any]]:
    """(config, packs) with every config error turned into exit status 2."""
    from auditor.setup import config
    from auditor.errors import ConfigError

    notes: list[str] = []
    try:
        cfg = config.resolve(path, notes, use_cache=use_cache)
        packs = config.build_packs(cfg, use_cache=use_cache)
        config.check_against(cfg, packs)
    except ConfigError as exc:
        raise ConfigurationError(str(exc)) from exc
    for note in notes:
        _err(f"auditor: {note}")
    for warning in dict.fromkeys(w for p in packs.values() for w in getattr(p, "warnings", ())):
        _err(f"auditor: warning: {warning}")  # a rule file's pattern that cannot match (validate.fold_warning)
    return cfg, packs


EXIT_CODES = """\b
Exit status:
  0  every report passes (warnings allowed unless --fail-on warning)
  1  at least one report fails (an error-severity rule, or the --fail-on/--min-score policy)
  2  usage error, invalid rule or config file, or a file that could not be audited"""



def reader_left(stream: IO[Any] | None = None) -> None:
    """The reader of stdout (or `stream`) has gone (`auditor check … | head`): what is still to be
    written there goes to the null device, quietly, and the run ends with its own status (as
    ruff ends quietly): a CI step that pipes the output still fails when a report fails, and
    passes when none does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, (stream or sys.stdout).fileno())
    finally:
        os.close(devnull)


def _err(message: str) -> None:
    """A line on stderr that never ends the run: `2>&1 | head` may have closed it."""
    try:
        click.echo(message, err=True)
    except BrokenPipeError:
        reader_left(sys.stderr)

