"""`auditor check`: select the files, audit them through the run service, write every format asked for,
exit with the policy's status."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Iterator, Mapping, Sequence

import click

from auditor import reporters
from auditor.cli.common import EXIT_CODES, ConfigurationError, _config, _err, exit_status, reader_left
from auditor.cli.options import (_options, config_option, deadline_option, max_memory_option, pack_option,
                                 timeout_option, with_option)
from auditor.run.policy import FailPolicy


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



@click.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(reporters.names()), help="Output format on stdout [default: text].")
@click.option("-o", "--output", "outputs", multiple=True, callback=_outputs, metavar="FORMAT:PATH",
              help="Also write FORMAT to PATH ('-' for stdout); repeatable.")
@pack_option("Report type: auto (detected per report), or a pack id [default: auto].")
@with_option("Also run an add-on pack beside the report's own; repeatable.")
@deadline_option()
@click.option("--disable", multiple=True, metavar="RULE", help="Do not check this rule; repeatable.")
@config_option()
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
@timeout_option("Time budget per document, enforced by stopping its worker process (0: none).")
@max_memory_option("Memory cap per worker process (0: none) [default: 2048].")
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
    matched = None
    if names is not None:  # (imported only then: every check pays for its imports)
        from auditor.run import roster as roster_mod

        matched = roster_mod.match(names, cards)
    ctx = reporters.ReportContext(
        packs=packs, color=False if no_color else None, width=width, summary_only=summary, sort=sort,
        verbose=verbose, quiet=quiet, cross=cross_report, roster=matched,
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

