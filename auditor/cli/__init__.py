"""Command line: parse → build (config, packs, options, reporters) → execute → exit status.

Exit status (auditor.run.policy): 0 every report passes; 1 at least one fails the fail policy;
2 a usage error, an invalid rule or config file, or an input that could not be audited
(2 wins over 1; readable inputs are still audited). `--exit-zero` turns 1 into 0.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO, Any, Iterator, Mapping, Sequence

import click

from auditor import __version__, reporters
from auditor.run.policy import EXIT_ERROR, EXIT_FAILED, EXIT_OK, FailPolicy

__all__ = ["EXIT_ERROR", "EXIT_FAILED", "EXIT_OK", "exit_status", "main"]

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


def _outputs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        fmt, sep, path = v.partition(":")  # split at the first colon only: C:\\… stays whole
        if not sep or not path:
            raise click.BadParameter(f"{v!r}: expected FORMAT:PATH, e.g. sarif:auditor.sarif", param=param)
        if fmt not in reporters.REPORTER_BY_NAME:
            raise click.BadParameter(f"unknown format {fmt!r}; valid: {', '.join(reporters.names())}", param=param)
        out.append((fmt, path))
    return out


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


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # a listing (rules, explain, --help) whose reader left: it did its job
            reader_left()
            return EXIT_OK


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="auditor")
def main() -> None:
    """Audit Chinese government rule-of-law reports (法治政府建设年度报告) against rule packs."""


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(reporters.names()), help="Output format on stdout [default: text].")
@click.option("-o", "--output", "outputs", multiple=True, callback=_outputs, metavar="FORMAT:PATH",
              help="Also write FORMAT to PATH ('-' for stdout); repeatable.")
@click.option("--pack", cls=PackOption,
              help="Report type: auto (detected per report), or a pack id [default: auto].")
@click.option("--with", "with_packs", multiple=True, metavar="PACK", cls=PackOption, addons=True,
              help="Also run an add-on pack beside the report's own; repeatable.")
@click.option("--deadline", callback=_deadline, metavar="MM-DD", help="Submission deadline for AR303, e.g. 03-01 for departments (default 04-01); publication (AR304) stays 04-01.")
@click.option("--disable", multiple=True, metavar="RULE", help="Do not check this rule; repeatable.")
@click.option("--config", "config_path", metavar="PATH", help="Config file (default: auditor.yaml … found upward).")
@click.option("-j", "--jobs", type=click.IntRange(1), metavar="N", help="Parallel processes [default: all cores].")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files; repeatable.")
@click.option("-v", "--verbose", is_flag=True, help="List the files a directory scan skipped.")
@click.option("--summary", is_flag=True, help="Only the summary matrix, no scorecard per report.")
@click.option("--sort", type=click.Choice(["path", "score"]), default="path", show_default=True,
              help="Order of the summary (score: lowest first).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), help="Fail on failed rules, or also on warnings.")
@click.option("--min-score", type=click.FloatRange(0, 100), metavar="N", help="Fail a report scoring below N.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when reports fail (2 still means bad input).")
@click.option("--no-color", is_flag=True, help="Plain text, no colours.")
@click.option("--width", type=click.IntRange(40, 400), help="Text output width (default: terminal width).")
@click.option("--max-size", type=click.FloatRange(0.001), default=50.0, show_default=True, metavar="MB",
              help="Largest file to read.")
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
              help="Time budget per document, enforced by stopping its worker process (0: none).")
@click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB",
              help="Memory cap per worker process (0: none) [default: 2048].")
@click.option("--similarity/--no-similarity", default=None,
              help="Compare the reports with each other for copied text (rule XR101) [default: on with "
                   "--summary and 2+ reports, or the config's 'similarity'].")
@click.option("--previous", "previous", multiple=True, metavar="DIR_OR_FILES",
              help="Last year's reports: compare each report with its body's previous edition "
                   "(rules XR201, XR202); repeatable.")
@click.option("--roster", metavar="FILE",
              help="The bodies expected to report (one name a line, or a column of an .xlsx): those without "
                   "a report are listed first, two reports from one body and reports from bodies not on it marked.")
@click.option("-q", "--quiet", is_flag=True, help="Text output lists only failed and warned rules, one line each.")
@click.option("--ocr/--no-ocr", default=None,
              help="Read scanned PDFs (no text layer) with Tesseract OCR; needs tesseract and its chi_sim data "
                   "[default: off, or the config's 'ocr'].")
@click.option("--stdin-filename", metavar="NAME",
              help="Name of the document read from stdin ('-'): shown in the report; its suffix chooses the "
                   "format [default: stdin.txt].")
def check(paths: tuple[str, ...], fmt: str | None, outputs: list[tuple[str, str]], pack: str | None,
          with_packs: tuple[str, ...], deadline: str | None, disable: tuple[str, ...], config_path: str | None, jobs: int | None,
          exclude: tuple[str, ...], verbose: bool, summary: bool, sort: str, no_cache: bool,
          fail_on: str | None, min_score: float | None, exit_zero: bool, no_color: bool,
          width: int | None, max_size: float, timeout: float, max_memory: int | None, similarity: bool | None,
          previous: tuple[str, ...], quiet: bool, ocr: bool | None, stdin_filename: str | None,
          roster: str | None = None) -> None:
    """Audit report files (txt, md, docx, pdf, html, doc), directories or globs; '-' reads one
    document from stdin (name it, and choose its format, with --stdin-filename)."""
    import gc

    # An audit allocates many small acyclic objects (lines, evidence, results); the default
    # collector thresholds make it rescan them constantly, ~15 % of a batch's time. Workers
    # forked later inherit the setting.
    gc.set_threshold(100_000, 50, 100)

    cfg, packs = _config(config_path)  # validated packs stay cached under --no-cache: it is about results
    options = _options(cfg, packs, pack=pack, with_packs=with_packs, deadline=deadline, disable=disable, ocr=ocr,
                       max_bytes=int(max_size * 1024 * 1024), time_budget=timeout)
    pack = options.pack
    policy = FailPolicy(fail_on=fail_on or cfg.fail_on or "error",
                        min_score=min_score if min_score is not None else cfg.min_score, exit_zero=exit_zero)

    _refuse_binary_on_terminal(fmt, outputs)
    names = _roster_names(roster) if roster else None  # a bad roster stops the run before any audit
    if paths.count("-") > 1:
        raise click.UsageError("'-' (stdin) can be given only once")
    with _stdin_document(paths, stdin_filename, max_bytes=options.max_bytes) as stdin:
        rest = [p for p in paths if p != "-"]
        files, unreadable = (_select(rest, cfg, exclude, verbose=verbose, outputs=[p for _, p in outputs])
                             if rest or not stdin else ([], []))
        if stdin:
            files.insert(paths.index("-"), stdin.file)
        cross = _cross_settings(cfg, options, similarity, previous, summary=summary, n_files=len(files))
        cards, notes, cross_report = _audit(files, cfg, packs, options, jobs=jobs, use_cache=not no_cache,
                                            max_memory=max_memory, shown={stdin.file: stdin.name} if stdin else {},
                                            cross=cross)
    if unreadable:
        from auditor.run.engine import error_card

        cards += [error_card(path, why) for path, why in unreadable]
    from auditor.run import roster as roster_mod

    ctx = reporters.ReportContext(
        packs=packs, color=False if no_color else None, width=width, summary_only=summary, sort=sort,
        verbose=verbose, quiet=quiet, cross=cross_report,
        roster=roster_mod.match(names, cards) if names is not None else None,
        options={"fail_on": policy.fail_on, "min_score": policy.min_score, "config": cfg.path,
                 "pack": pack, "deadline": options.deadline or "04-01", "disabled": sorted(options.disabled),
                 "similarity": bool(cross and cross.similarity), "previous": list(previous), "ocr": options.ocr,
                 "files": len(files)},
    )
    to_stdout = any(path == "-" for _, path in outputs)
    stdout_open = True
    for out_fmt, path in ([(fmt or "text", "-")] if fmt or not to_stdout else []) + list(outputs):
        if path != "-":
            _write(out_fmt, path, cards, ctx)
        elif stdout_open:
            try:
                _write(out_fmt, "-", cards, ctx)
                sys.stdout.flush()  # here, not at exit, so that a reader who left is noticed here
            except BrokenPipeError:  # the -o files are still written, and the status is the run's
                reader_left()
                stdout_open = False
    for note in notes:
        _err(f"auditor: {note}")
    _policy_notes(cards, policy)
    sys.exit(exit_status(cards, policy))


def _roster_names(path: str) -> list[str]:
    from auditor.run.roster import RosterError, load

    try:
        return load(path)
    except RosterError as exc:
        raise click.BadParameter(str(exc), param_hint="--roster") from None


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _refuse_binary_on_terminal(fmt: str | None, outputs: Sequence[tuple[str, str]]) -> None:
    """A binary format (xlsx) sent to a terminal would fill it with garbage: ask for a file."""
    wanted = ([fmt] if fmt else []) + [f for f, path in outputs if path == "-"]
    for name in wanted:
        if getattr(reporters.get(name), "BINARY", False) and _stdout_is_terminal():
            raise click.UsageError(f"{name} is a binary format and stdout is a terminal; write it to a file "
                                   f"with -o {name}:PATH (or redirect stdout)")


class _Stdin:
    """The document read from stdin, kept in a private temporary file under the name it was given."""

    def __init__(self, file: str, name: str):
        self.file, self.name = file, name


@contextlib.contextmanager
def _stdin_document(paths: Sequence[str], name: str | None, *, max_bytes: int) -> Iterator[_Stdin | None]:
    """With '-' among the paths: stdin's bytes in a temporary file whose suffix is that of
    `--stdin-filename` (the loaders choose the format by suffix), removed afterwards."""
    if "-" not in paths:
        yield None
        return
    import shutil
    import tempfile

    shown = name or "<stdin>"
    base = os.path.basename(name or "") or "stdin.txt"
    data = sys.stdin.buffer.read(max_bytes + 1)  # one byte over: the loader reports the file as too large
    tmp = tempfile.mkdtemp(prefix="auditor-stdin-")
    try:
        file = os.path.join(tmp, base)
        with open(file, "wb") as fh:
            fh.write(data)
        yield _Stdin(file, shown)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _select(paths: Sequence[str], cfg: Any, exclude: Sequence[str], *, verbose: bool,
            outputs: Sequence[str] = ()) -> tuple[list[str], list[tuple[str, str]]]:
    """(the files to audit, (path, reason) of what was named but yields no report): the
    arguments, or the config's include list; excludes from both; this run's outputs never."""
    from auditor.setup import paths as pathsel

    args: Sequence[str] = paths or [os.path.relpath(os.path.join(cfg.base, g)) for g in cfg.include]
    if not args:
        raise click.UsageError("no paths given (and no 'include' in a config file)")
    sel = pathsel.expand(args, exclude=(*cfg.exclude, *(pathsel.Pattern(g) for g in exclude)), outputs=outputs)
    if paths:  # a glob typed on the command line that matches nothing is an entry, not just a note
        sel.errors += [(g, "没有与之匹配的文件") for g in sel.unmatched]
        sel.unmatched = []
    if verbose and cfg.path:
        _err(f"config: {cfg.path}")
    for skipped, why in sel.skipped if verbose else ():
        _err(f"skipped: {skipped} ({why})")
    for g in sel.unmatched:
        _err(f"auditor: {g}: no file matches")
    if not sel.files and not sel.errors:
        raise click.UsageError("no report files found in the given paths")
    return sel.files, sel.errors


def _cross_rule(rule_id: str) -> bool:
    from auditor.cross import crossrules

    return rule_id in crossrules.ids()


def _cross_settings(cfg: Any, options: Any, similarity: bool | None, previous: Sequence[str], *,
                    summary: bool, n_files: int) -> Any:
    """What the cross-report checks should do (None: nothing, and nothing of them is imported):
    --similarity, else the config's key, else on for a --summary of 2+ reports; --previous's
    files (directories and globs expanded)."""
    if similarity is None:
        similarity = cfg.similarity if cfg.similarity is not None else (summary and n_files >= 2)
    if not similarity and not previous:
        return None
    from auditor.cross.crosscheck import CrossSettings

    prev_files: tuple[str, ...] = ()
    if previous:
        from auditor.setup import paths as pathsel

        sel = pathsel.expand(previous, exclude=())
        missing = [f for f in sel.files if not os.path.exists(f)]
        if missing:  # a mistyped path would otherwise read as "no previous report for this body"
            raise click.BadParameter(f"no such file or directory: {', '.join(missing)}", param_hint="--previous")
        for g in sel.unmatched:
            click.echo(f"auditor: --previous {g}: no file matches", err=True)
        if not sel.files:
            raise click.BadParameter("no report files found in the given paths", param_hint="--previous")
        prev_files = tuple(sel.files)
    return CrossSettings(similarity=bool(similarity), previous=prev_files, thresholds=dict(cfg.thresholds),
                         disabled=options.disabled, severity=dict(options.severity))


def _audit(files: Sequence[str], cfg: Any, packs: Any, options: Any, *, jobs: int | None,
           use_cache: bool, max_memory: int | None, shown: Mapping[str, str], cross: Any = None
           ) -> tuple[list[Any], list[str], Any]:
    """The run service (auditor.run.service) on the selected files, with a progress bar on a terminal."""
    from auditor.run import service

    bar = len(files) > 1 and sys.stderr.isatty() and not os.environ.get("CI")
    try:
        done = service.run_files(files, cfg, packs, options, jobs=jobs, use_cache=use_cache, max_memory=max_memory,
                                 shown=shown, cross=cross, progress_bar=bar)
    except service.CrossCheckError as exc:  # a broken cross-report rule or data file
        raise ConfigurationError(str(exc)) from exc
    return list(done.cards), list(done.notes), done.cross


def _write(fmt: str, path: str, cards: Sequence[Any], ctx: Any) -> None:
    """One format to stdout ("-") or a file; binary formats (xlsx) get a byte stream."""
    reporter = reporters.get(fmt)
    binary = bool(getattr(reporter, "BINARY", False))
    if path == "-":
        if binary:
            sys.stdout.flush()
            reporter.write(cards, sys.stdout.buffer, ctx=ctx)
            sys.stdout.buffer.flush()
        else:
            reporter.write(cards, sys.stdout, ctx=ctx)
        return
    try:
        reporters.write_to(fmt, cards, path, ctx)
    except OSError as exc:
        raise ConfigurationError(f"cannot write {fmt} output to {path}: {exc.strerror or exc}") from exc


def _policy_notes(cards: Sequence[Any], policy: FailPolicy) -> None:
    """Reports the verdict calls "pass" but the policy fails (warnings, min score): say why on
    stderr, or a red CI job would show nothing failed."""
    from auditor.run.policy import reasons

    for card in cards:
        if card.verdict == "pass":
            why = reasons(card, policy)
            if why:
                _err(f"auditor: {card.path} fails the policy: {'; '.join(why)}")


@main.command("rules")
@click.option("--pack", cls=PackOption, help="Only this pack (default: all).")
@click.option("--config", "config_path", metavar="PATH", help="Config file whose rule_files to include.")
def rules_cmd(pack: str | None, config_path: str | None) -> None:
    """List the rules of every pack (or one): id, severity, title."""
    from auditor.cli.commands import rules_listing

    _cfg, packs = _config(config_path)
    if pack is not None and pack not in packs:
        raise click.BadParameter(f"unknown pack '{pack}'; valid: {', '.join(sorted(packs))}", param_hint="--pack")
    for line in rules_listing(packs, pack):
        click.echo(line)


@main.command()
@click.argument("rule_id")
@click.option("--config", "config_path", metavar="PATH", help="Config file whose rule_files to include.")
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


@main.command("validate-rules")
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


@main.command()
@click.option("--path", "path", default="auditor.yaml", show_default=True, help="Where to write it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented starter auditor.yaml."""
    from auditor.cli.commands import write_starter

    try:
        write_starter(path, force=force)
    except FileExistsError:
        raise click.UsageError(f"{path} 已存在；要覆盖它请加 --force") from None
    click.echo(f"已生成 {path}：文件中逐项注释了每个设置；`auditor rules` 列出全部规则编号")


@main.command()
@click.argument("path")
@click.option("-o", "--output", metavar="OUT.docx", help="Where to write [default: DRAFT.批注.docx beside the input].")
@click.option("--pack", cls=PackOption, help="Report type: auto (detected), or a pack id [default: auto].")
@click.option("--with", "with_packs", multiple=True, metavar="PACK", cls=PackOption, addons=True,
              help="Also check an add-on pack; repeatable.")
@click.option("--deadline", callback=_deadline, metavar="MM-DD", help="Submission deadline for AR303, e.g. 03-01 for departments (default 04-01); publication (AR304) stays 04-01.")
@click.option("--config", "config_path", metavar="PATH", help="Config file (default: auditor.yaml … found upward).")
@click.option("--timeout", type=click.FloatRange(0), default=60.0, show_default=True, metavar="SECONDS",
              help="Time budget for the document, enforced by stopping its worker process (0: none).")
@click.option("--max-memory", type=click.IntRange(0), default=None, metavar="MB",
              help="Memory cap for the worker process (0: none) [default: 2048].")
@click.option("--author", metavar="NAME", help="Name the comments and tracked changes are signed with "
              "(or comment_author: in auditor.yaml) [default: 合规自查].")
def annotate(path: str, output: str | None, pack: str | None, with_packs: tuple[str, ...], deadline: str | None,
             config_path: str | None, timeout: float, max_memory: int | None, author: str | None) -> None:
    """Write a new .docx with a Word comment (批注) at each finding; the input is never changed.

    Annotating an annotated copy again replaces auditor's earlier comments and writes the next
    round's file (DRAFT.批注.docx → DRAFT.批注2.docx). With --with gongwen the mechanical
    corrections (full-width marks, （一）, 2024年3月4日, 12·4 …) are tracked changes.

    A .docx keeps everything it has (tracked changes, numbering, tables, headers, footers) and
    gains the comments. A .pdf, .txt, .md, .html, .doc or .wps gives a new .docx of its
    extracted text with the same comments. Exit 0 pass, 1 fail, 2 unreadable."""
    from auditor.cli.commands import annotate_to

    cfg, packs = _config(config_path)
    sys.exit(annotate_to(path, output, packs, cfg, pack=pack, deadline=deadline, timeout=timeout,
                         with_packs=with_packs, max_memory=max_memory, author=author))


def _web_defaults() -> Any:
    from auditor.web.service import Settings

    return Settings()


@main.command()
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
