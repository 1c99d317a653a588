"""`auditor rules`, `auditor explain RULE`, `auditor validate-rules FILE…`: the packs' rules listed,
explained, and a rule file validated with its examples run."""

from __future__ import annotations

import os
import sys

import click

from auditor.cli.common import _config
from auditor.cli.options import config_option, pack_option
from auditor.run.policy import EXIT_ERROR, EXIT_FAILED, EXIT_OK


@click.command("rules")
@pack_option("Only this pack (default: all).")
@config_option("Config file whose rule_files to include.")
def rules_cmd(pack: str | None, config_path: str | None) -> None:
    """List the rules of every pack (or one): id, severity, title."""
    from auditor.cli.commands import rules_listing

    _cfg, packs = _config(config_path)
    if pack is not None and pack not in packs:
        raise click.BadParameter(f"unknown pack '{pack}'; valid: {', '.join(sorted(packs))}", param_hint="--pack")
    for line in rules_listing(packs, pack):
        click.echo(line)


@click.command()
@click.argument("rule_id")
@config_option("Config file whose rule_files to include.")
def explain(rule_id: str, config_path: str | None) -> None:
    """Explain a rule: what it requires, why, the regulation text, how to fix it, examples."""
    from auditor.cli import commands

    _cfg, packs = _config(config_path)
    found = commands.find_rule(packs, rule_id)
    cross = None if found else commands.find_cross(rule_id)
    if cross is not None:
        click.echo(commands.explain_cross(cross))
        return
    if not found:
        close = commands.suggest(packs, rule_id)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `auditor rules`"
        raise click.UsageError(f"unknown rule {rule_id}{hint}")
    click.echo("\n\n".join(commands.explain(p, r) for p, r in found))


@click.command("validate-rules")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-q", "--quiet", is_flag=True, help="Only list examples that fail.")
def validate_rules(files: tuple[str, ...], quiet: bool) -> None:
    """Validate rule pack files, then run their rules' examples.

    Exit 2 if a file is invalid, 1 if an example gives another status than it promises."""
    import auditor
    from auditor.cli import commands
    from auditor.errors import count
    from auditor.packs.ruleset import merge_packs as merge

    builtin = auditor.load_rules()
    status = EXIT_OK
    for f in files:
        if os.path.basename(f) == "sources.yaml":  # the source registry (rules/data/sources.yaml)
            from auditor.packs.validate import load_registry

            try:
                registry = load_registry(f)
            except auditor.AuditorError as exc:
                click.echo(f"✘ {exc}")
                status = EXIT_ERROR
                continue
            click.echo(f"✔ {f}: source registry, {count(len(registry), 'source')}, schema ok")
            continue
        try:
            (pack,) = auditor.load_rules(f, builtin=False).values()
            own = [r.id for r in pack.rules]
            warnings = pack.warnings  # this file's own (a merged pack adds the shipped one's)
            # a file adding rules to a shipped pack is tried as it will run: with that pack's roles
            # (the shipped file itself, or a copy of it, as rules/x.yaml is of an installed pack: not merged)
            if (pack.id in builtin and os.path.abspath(pack.source) != os.path.abspath(builtin[pack.id].source)
                    and pack.digest != builtin[pack.id].digest):
                pack = merge(builtin[pack.id], pack)
        except auditor.AuditorError as exc:
            click.echo(f"✘ {exc}")
            status = EXIT_ERROR
            continue
        results = list(commands.run_examples(pack, own))
        bad = [x for x in results if not x[3]]
        warned = f" ({count(len(warnings), 'warning')})" if warnings else ""
        click.echo(f"{'✔' if not bad else '✘'} {f}: pack {pack.id}, {count(len(own), 'rule')}, schema ok{warned}; "
                   f"{len(results) - len(bad)} of {count(len(results), 'example')} as promised")
        for w in warnings:
            click.echo(f"  ⚠ warning: {w}")
        for rid, kind, n, ok, detail in results:
            if not ok or not quiet:
                click.echo(f"  {'✔' if ok else '✘'} {rid} {kind}[{n}]" + (f": {detail}" if detail else ""))
        if bad and status == EXIT_OK:
            status = EXIT_FAILED
    sys.exit(status)

