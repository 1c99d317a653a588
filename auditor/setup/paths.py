"""Which files a run audits: named files, directories (recursively) and globs, minus excludes.

Glob syntax (for --exclude, config include/exclude and waiver paths), gitignore-like:
a pattern without "/" matches a file or directory name at any depth (`*.bak`, `drafts`);
a pattern with "/" matches the path relative to a base directory (the current directory for
the command line, the config file's directory for the config); `**` spans directories.
"""

from __future__ import annotations

import functools
import glob
import os
import re
from typing import Iterable, NamedTuple, Sequence

_MAGIC = re.compile(r"[*?\[]")


@functools.lru_cache(maxsize=256)
def _translate(pattern: str) -> re.Pattern[str]:
    """A glob → a regex over "/"-separated paths (`*` stays inside one directory)."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


class Pattern(NamedTuple):
    """A glob and the directory its relative form is anchored to."""

    glob: str
    base: str = "."

    def matches(self, path: str) -> bool:
        """Whether the file or directory `path` (relative to cwd, or absolute) matches."""
        pat = self.glob.replace(os.sep, "/").rstrip("/")
        if not pat:
            return False
        if "/" not in pat:
            return bool(_translate(pat).match(os.path.basename(os.path.normpath(path))))
        pat = pat.removeprefix("./")
        if os.path.isabs(pat):
            rel = os.path.abspath(path).replace(os.sep, "/")
        else:
            rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.base)).replace(os.sep, "/")
        return bool(_translate(pat).match(rel))


def excluded(path: str, patterns: Sequence[Pattern]) -> bool:
    return any(p.matches(path) for p in patterns)


class Selection:
    """The files to audit, in a stable order, and what a directory scan passed over (for -v)."""

    __slots__ = ("files", "skipped", "unmatched", "errors")

    def __init__(self) -> None:
        self.files: list[str] = []
        self.skipped: list[tuple[str, str]] = []  # (path, why)
        self.unmatched: list[str] = []  # globs that matched nothing
        # (path, Chinese reason): what was named or found but yields no report, e.g. a directory
        # that cannot be read; each becomes an `error` entry of the batch, never a silent gap
        self.errors: list[tuple[str, str]] = []


NO_PERMISSION = "没有读取权限"
OWN_OUTPUT = "auditor output"
_MARKED_SUFFIXES = (".html", ".htm", ".shtml", ".md", ".markdown")  # the inputs auditor also writes


def own_output(path: str) -> bool:
    """A report auditor wrote (html, md): it carries auditor.OUTPUT_MARKER near its start."""
    if not path.lower().endswith(_MARKED_SUFFIXES):
        return False
    from auditor import OUTPUT_MARKER

    try:
        with open(path, "rb") as fh:
            return OUTPUT_MARKER.encode() in fh.read(2048)
    except OSError:
        return False  # unreadable: the loader says so


def _key(path: str) -> list[str]:
    # by path components, so a directory's files stay together ("a/x" before "a-b")
    return os.path.normpath(path).split(os.sep)


def _unreadable(sel: Selection, err: OSError) -> None:
    where = os.path.normpath(err.filename) if err.filename else "?"
    why = NO_PERMISSION if isinstance(err, PermissionError) else f"无法读取目录：{err.strerror or err}"
    sel.errors.append((where, f"{why}（目录）"))


def _scan(top: str, excludes: Sequence[Pattern], sel: Selection, outputs: frozenset[str] = frozenset()) -> list[str]:
    from auditor.loaders import is_supported

    found: list[str] = []
    for root, dirs, names in os.walk(top, onerror=lambda err: _unreadable(sel, err)):
        keep = []
        for d in sorted(dirs):
            full = os.path.join(root, d)
            if d.startswith("."):
                continue  # .git, .venv …: never reports, and listing them would drown -v
            if excluded(full, excludes):
                sel.skipped.append((os.path.normpath(full), "excluded"))
            else:
                keep.append(d)
        dirs[:] = keep
        for name in names:
            full = os.path.normpath(os.path.join(root, name))
            if name.startswith("."):
                continue
            if name.startswith("~$"):
                sel.skipped.append((full, "Word lock file"))
            elif not is_supported(name):
                sel.skipped.append((full, "unsupported type"))
            elif why := _left_out(full, excludes, outputs):
                sel.skipped.append((full, why))
            else:
                found.append(full)
    return sorted(found, key=_key)


def _key_of(path: str, cwd: str | None = None) -> str:
    """The path's identity (absolute, normalised case); `cwd` saves abspath's getcwd() call
    (a system call per file of a big batch)."""
    if cwd is None:
        return os.path.normcase(os.path.abspath(path))
    return os.path.normcase(os.path.normpath(os.path.join(cwd, path)))


def _left_out(path: str, excludes: Sequence[Pattern], outputs: frozenset[str]) -> str | None:
    """Why a supported file is not audited (excluded, or one of auditor's own outputs), or None."""
    if excluded(path, excludes):
        return "excluded"
    if (outputs and _key_of(path) in outputs) or own_output(path):
        return OWN_OUTPUT
    return None


def expand(args: Iterable[str], *, exclude: Sequence[Pattern] = (), outputs: Iterable[str] = ()) -> Selection:
    """Paths from the command line → files. A file named directly is kept even when its type
    is unsupported (it becomes an error card); excludes apply to every file, named or found,
    so a pre-commit hook honours the config's exclude list. Files auditor wrote (`outputs`, the
    run's own -o paths, or any carrying its marker) are never inputs. A named path that yields
    no report, or a directory that cannot be read, is an entry of `errors`."""
    sel = Selection()
    seen: set[str] = set()
    own = frozenset(_key_of(o) for o in outputs if o != "-")
    cwd = os.getcwd()

    def add(path: str) -> None:
        key = _key_of(path, cwd)
        if key not in seen:
            seen.add(key)
            sel.files.append(path)

    for arg in args:
        before = (len(sel.files), len(sel.errors))
        if os.path.isdir(arg):
            if not os.access(arg, os.R_OK | os.X_OK):
                sel.errors.append((os.path.normpath(arg), f"{NO_PERMISSION}（目录）"))
                continue
            for f in _scan(arg, exclude, sel, own):
                add(f)
            if (len(sel.files), len(sel.errors)) == before:
                sel.errors.append((os.path.normpath(arg), "目录中没有可检查的报告文件（支持 "
                                   ".txt .md .docx .pdf .html .doc 等；-v 列出跳过的文件）"))
        elif not os.path.exists(arg) and _MAGIC.search(arg):
            matches = sorted(glob.glob(arg, recursive=True), key=_key)
            if not matches:
                sel.unmatched.append(arg)
            for m in matches:
                if os.path.isdir(m):
                    for f in _scan(m, exclude, sel, own):
                        add(f)
                    continue
                from auditor.loaders import is_supported

                if not is_supported(m):
                    sel.skipped.append((m, "unsupported type"))
                elif why := _left_out(m, exclude, own):
                    sel.skipped.append((m, why))
                else:
                    add(m)
            if matches and (len(sel.files), len(sel.errors)) == before:
                sel.errors.append((arg, "匹配到的路径中没有可检查的报告文件（-v 列出跳过的文件）"))
        elif why := _left_out(arg, exclude, own):
            sel.skipped.append((arg, why))
        else:
            add(arg)
    sel.skipped = list(dict.fromkeys(sel.skipped))  # a glob and a directory may both pass a file
    sel.errors = list(dict.fromkeys(sel.errors))
    return sel
