"""The options several commands declare (pack, add-ons, deadline, config, time and memory
budgets), written once; their callbacks turn a bad value into a bad parameter naming its flag."""

from __future__ import annotations

from typing import Any, Callable

import click

_F = Callable[..., Any]


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from auditor.run.settings import SettingError, check_deadline

    try:
        return check_deadline(value)
    except SettingError as exc:
        raise click.BadParameter(str(exc)) from None


def _options(cfg: Any, packs: Any, **given: Any) -> Any:
    """The run's AuditOptions (auditor.run.settings, shared with the web and the API); an
    unusable option is a bad parameter naming its flag."""
    from auditor.run.settings import SettingError, audit_options

    try:
        return audit_options(cfg, packs, **given)
    except SettingError as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.key}") from None


class PackOption(click.Option):
    """--pack (report types) or --with (add-on packs), whose help lists the shipped packs of
    that sort (read when help is shown, not on every run)."""

    def __init__(self, *args: Any, addons: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.addons = addons

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        try:
            import auditor

            packs = auditor.load_rules()
            listed = "; ".join(f"{p.id} ({p.name})" for p in packs.values() if p.addon is self.addons)
        except Exception:  # noqa: BLE001 - help must print even when a pack file is broken
            return record
        return record[0], f"{record[1]} Shipped: {listed}." if listed else record[1]




def pack_option(help: str) -> Callable[[_F], _F]:
    """--pack: a report type (a pack id) or auto."""
    return click.option("--pack", cls=PackOption, help=help)


def with_option(help: str) -> Callable[[_F], _F]:
    """--with: an add-on pack; repeatable."""
    return click.option("--with", "with_packs", multiple=True, metavar="PACK", cls=PackOption, addons=True, help=help)


def deadline_option() -> Callable[[_F], _F]:
    """--deadline MM-DD, checked as the run's settings check it (auditor.run.settings)."""
    return click.option("--deadline", callback=_deadline, metavar="MM-DD", help="Submission deadline for AR303, e.g. 03-01 for departments (default 04-01); publication (AR304) stays 04-01.")


def config_option(help: str = "Config file (default: auditor.yaml … found upward).") -> Callable[[_F], _F]:
    """--config PATH."""
    return click.option("--config", "config_path", metavar="PATH", help=help)


def timeout_option(help: str) -> Callable[[_F], _F]:
    """--timeout SECONDS: the budget a worker process is stopped at (0: none)."""
    return click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
                        help=help)


def max_memory_option(help: str) -> Callable[[_F], _F]:
    """--max-memory MB: a worker process's memory cap (0: none)."""
    return click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB", help=help)
