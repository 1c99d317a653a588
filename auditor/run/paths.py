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

    __slots__ = ("files", "skipped", "unmatched")

    def __init__(self) -> None:
        self.files: list[str] = []
        self.skipped: list[tuple[str, str]] = []  # (path, why)
        self.unmatched: list[str] = []  # globs that matched nothing


def _key(path: str) -> list[str]:
    # by path components, so a directory's files stay together ("a/x" before "a-b")
    return os.path.normpath(path).split(os.sep)


def _scan(top: str, excludes: Sequence[Pattern], sel: Selection) -> list[str]:
    from auditor.loaders import is_supported

    found: list[str] = []
    for root, dirs, names in os.walk(top):
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
            elif excluded(full, excludes):
                sel.skipped.append((full, "excluded"))
            else:
                found.append(full)
    return sorted(found, key=_key)


def expand(args: Iterable[str], *, exclude: Sequence[Pattern] = ()) -> Selection:
    """Paths from the command line → files. A file named directly is kept even when its type
    is unsupported (it becomes an error card); excludes apply to every file, named or found,
    so a pre-commit hook honours the config's exclude list."""
    sel = Selection()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            sel.files.append(path)

    for arg in args:
        if os.path.isdir(arg):
            for f in _scan(arg, exclude, sel):
                add(f)
        elif not os.path.exists(arg) and _MAGIC.search(arg):
            matches = sorted(glob.glob(arg, recursive=True), key=_key)
            if not matches:
                sel.unmatched.append(arg)
            for m in matches:
                if os.path.isdir(m):
                    for f in _scan(m, exclude, sel):
                        add(f)
                    continue
                from auditor.loaders import is_supported

                if not is_supported(m):
                    sel.skipped.append((m, "unsupported type"))
                elif excluded(m, exclude):
                    sel.skipped.append((m, "excluded"))
                else:
                    add(m)
        elif excluded(arg, exclude):
            sel.skipped.append((arg, "excluded"))
        else:
            add(arg)
    sel.skipped = list(dict.fromkeys(sel.skipped))  # a glob and a directory may both pass a file
    return sel
