"""Output formats: one module each, behind this registry, which also feeds `--format`.

A reporter module has `NAME`, `BINARY` (True when it writes bytes, like xlsx), `DESCRIPTION`,
`EXTENSION` and `MEDIA_TYPE` (what a file of it is called and served as) and
`write(cards, out, *, ctx)`. Reporters only read Scorecards; they never re-run checks.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
from typing import IO, Any, Mapping, NamedTuple, Protocol, Sequence, cast

from auditor.models import Scorecard

#: format name → module under auditor.reporters
REPORTER_BY_NAME: dict[str, str] = {
    "text": "terminal",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "csv": "csv_report",
    "xlsx": "xlsx",
    "html": "html_report",
    "markdown": "markdown",
}


def extension(name: str) -> str:
    """What a file of format `name` is called: X.<extension>."""
    return get(name).EXTENSION


def media_type(name: str) -> str:
    """What the web serves format `name` as (formats a browser would try to show as text are
    served as plain text, to be saved)."""
    return get(name).MEDIA_TYPE


class ReportContext(NamedTuple):
    """What reporters may know besides the scorecards."""

    packs: Mapping[str, object] = {}  # pack id → ruleset.Pack
    color: bool | None = None  # None: decide from the terminal
    width: int | None = None
    summary_only: bool = False
    sort: str = "path"  # "path" | "score"
    verbose: bool = False
    options: Mapping[str, object] = {}
    quiet: bool = False  # text: only failed and warned rules, one line each
    cross: object = None  # run.crosscheck.CrossReport of --similarity / --previous, or None
    roster: object = None  # run.roster.Result of --roster (the bodies expected to report), or None


class Reporter(Protocol):
    """An output format: a module with these names (each reporter module checks itself against
    this protocol under mypy, see the end of json_report.py)."""

    @property
    def NAME(self) -> str: ...  # noqa: N802 - module constants

    @property
    def BINARY(self) -> bool: ...  # noqa: N802 - True: write() receives a binary stream (xlsx)

    @property
    def DESCRIPTION(self) -> str: ...  # noqa: N802

    @property
    def EXTENSION(self) -> str: ...  # noqa: N802 - a file of it is called X.<EXTENSION>

    @property
    def MEDIA_TYPE(self) -> str: ...  # noqa: N802 - what the web serves it as

    def write(self, cards: Sequence[Scorecard], out: IO[Any], *, ctx: Any = None) -> None: ...


def names() -> tuple[str, ...]:
    return tuple(REPORTER_BY_NAME)


def get(name: str) -> Reporter:
    """The reporter module for a format name, imported on first use; KeyError listing the valid names."""
    try:
        module = REPORTER_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown format '{name}'; valid formats: {', '.join(REPORTER_BY_NAME)}") from None
    return cast(Reporter, importlib.import_module(f"auditor.reporters.{module}"))


def render(name: str, cards: Sequence[Scorecard], ctx: Any = None) -> bytes:
    """The report in format `name` as bytes (text formats in UTF-8)."""
    reporter = get(name)
    if reporter.BINARY:
        buf = io.BytesIO()
        reporter.write(cards, buf, ctx=ctx)
        return buf.getvalue()
    out = io.StringIO(newline="")
    reporter.write(cards, out, ctx=ctx)
    return out.getvalue().encode("utf-8")


def write_to(name: str, cards: Sequence[Scorecard], path: str, ctx: Any = None) -> None:
    """Write the report in format `name` to the file `path` atomically (beside it, then renamed
    over it: an interrupted or failed run leaves no half-written report); OSError when it cannot."""
    reporter = get(name)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with atomic_file(path) as fh:
        if reporter.BINARY:
            reporter.write(cards, fh, ctx=ctx)
        else:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
            reporter.write(cards, text, ctx=ctx)
            text.flush()
            text.detach()


@contextlib.contextmanager
def atomic_file(path: str) -> Any:
    """A binary file that becomes `path` only when the block ends without an error."""
    import tempfile

    parent = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
        tmp = ""
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write(path: str, data: bytes) -> None:
    """`data` as the file `path`, written atomically (annotate's .docx)."""
    with atomic_file(path) as fh:
        fh.write(data)
