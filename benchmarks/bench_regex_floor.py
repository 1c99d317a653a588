"""The regular-expression floor of the audit (issue 23): how long the regex engine alone takes for
the calls one report's audit makes, with every Python-level step around them taken away.

It records every call an audit makes on a compiled pattern or through the `re` module's functions
(the pattern, the method, the arguments, and for `finditer` how many matches the caller took),
checks that the recorded run gives the same cards as a plain run, then replays only those calls in
a tight loop. The replay's time per report is what any auditor running these rules' patterns on
Python's `re` pays at least; the audit's own time per report is printed beside it, in the same
process, with the share the regex engine takes.

Usage: python benchmarks/bench_regex_floor.py [--reports 300] [--rounds 5]
A script, not a test: it prints a table and exits 0 (1 when the recorded cards differ).
"""

from __future__ import annotations

import argparse
import functools
import re
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

CALLS: list[tuple[re.Pattern[str], str, tuple[Any, ...], dict[str, Any], int]] = []
_METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")
_FUNCTIONS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")
_compile = re.compile
_recording = False


class _Counted:
    """A finditer iterator that records how many matches its caller took."""

    def __init__(self, it: Any, entry: list[Any]) -> None:
        self._it, self._entry = it, entry

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        m = next(self._it)
        self._entry[4] += 1
        return m


class Recorded:
    """A compiled pattern whose calls are recorded (while recording)."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self._rx = rx
        self.pattern, self.flags, self.groups, self.groupindex = rx.pattern, rx.flags, rx.groups, rx.groupindex

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rx, name)

    def __hash__(self) -> int:
        return hash(self._rx)

    def __eq__(self, other: object) -> bool:
        return self._rx == getattr(other, "_rx", other)


def _method(name: str) -> Any:
    def call(self: Recorded, *args: Any, **kwargs: Any) -> Any:
        out = getattr(self._rx, name)(*args, **kwargs)
        if _recording:
            entry = [self._rx, name, args, kwargs, 0]
            CALLS.append(entry)  # type: ignore[arg-type]
            if name == "finditer":
                return _Counted(out, entry)
        return out

    return call


for _name in _METHODS:
    setattr(Recorded, _name, _method(_name))


def _recording_compile(pattern: Any, flags: int = 0) -> Any:
    if isinstance(pattern, Recorded):
        return pattern
    return Recorded(_compile(pattern, flags))


def _function(name: str) -> Any:
    real = getattr(re, name)

    @functools.wraps(real)
    def call(pattern: Any, string: str, *args: Any, **kwargs: Any) -> Any:
        flags = kwargs.pop("flags", 0)
        return getattr(_recording_compile(pattern, flags), name)(string, *args, **kwargs)

    return call


def install() -> None:
    """Record from now on: before auditor is imported, so its module patterns are recorded too."""
    re.compile = _recording_compile  # type: ignore[assignment]
    for name in _FUNCTIONS:
        setattr(re, name, _function(name))


def replay() -> None:
    for rx, name, args, kwargs, taken in CALLS:
        if name == "finditer":
            for _ in islice(getattr(rx, name)(*args, **kwargs), taken):
                pass
        else:
            getattr(rx, name)(*args, **kwargs)


def main() -> int:
    global _recording
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from bench_batch import make_text

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "reports"
        make_text(corpus, args.reports)
        files = sorted(corpus.iterdir())

        import auditor

        plain_rules = auditor.load_rules()
        plain = [auditor.audit(f, rules=plain_rules) for f in files]  # also warms every lazy pattern
        plain_s = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            for f in files:
                auditor.audit(f, rules=plain_rules)
            plain_s.append((time.perf_counter() - t) / len(files))

        # a second auditor, every pattern recorded: the same cards, and the calls they took
        for name in [m for m in sys.modules if m == "auditor" or m.startswith("auditor.")]:
            del sys.modules[name]
        install()
        import auditor as recorded_auditor

        rules = recorded_auditor.load_rules()
        for f in files:
            recorded_auditor.audit(f, rules=rules)  # compiles and caches what the first audits do
        _recording = True
        cards = [recorded_auditor.audit(f, rules=rules) for f in files]
        _recording = False
        same = [a.to_dict() if hasattr(a, "to_dict") else repr(a) for a in plain] == \
               [b.to_dict() if hasattr(b, "to_dict") else repr(b) for b in cards]

        replay_s = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            replay()
            replay_s.append((time.perf_counter() - t) / len(files))

    audit_ms = statistics.median(plain_s) * 1e3
    floor_ms = statistics.median(replay_s) * 1e3
    patterns = len({id(c[0]) for c in CALLS})
    print(f"{len(files)} generated text reports, {args.rounds} rounds, medians, in one process")
    print("| what | per report |")
    print("|---|---|")
    print(f"| the audit (`auditor.audit`, files read, rules loaded once) | {audit_ms:.2f} ms |")
    print(f"| its regex calls alone, replayed ({len(CALLS) / len(files):.0f} calls a report over "
          f"{patterns} patterns) | {floor_ms:.2f} ms ({floor_ms / audit_ms:.0%} of the audit) |")
    print(f"| reports/s at the regex floor alone, one process | {1e3 / floor_ms:.0f} |")
    if not same:
        print("the recorded run's cards differ from the plain run's: the figures above do not hold")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
