"""Cold start of a one-file check (issue 23): `auditor check --format json --no-cache FILE`.

Two measures, both on the first report of the generated corpus (bench_batch.make_text, as
bench_side_by_side.py's one-file rows), with the validated packs, the pattern analyses and the
.pyc files warm (one run first), as a user's second run has them:

- the whole command's CPU (user + system of the process and its worker), beside a bare
  `python -c pass`, in interleaved rounds (median of each): the issue's ratio (target ≤ 8×);
- with --callgrind, the instructions (`valgrind --tool=callgrind`, which other users' load
  does not move) of the check run in one process (auditor.pool.workers.HAS_FORK set to False by
  a small wrapper: callgrind cannot count a forked worker killed by its parent) and of
  `python -c pass`; and how many patterns that run compiled through `re.compile`, in how long.

Usage: python benchmarks/bench_cold_start.py [--rounds 15] [--callgrind] [--against DIR]
`--against DIR`: the same figures for another checkout's `auditor` package (e.g. an export of
main: `git archive main | tar -x -C /tmp/main`), run with PYTHONPATH=DIR, interleaved with this one.
A script, not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_text
from bench_engine import _env, _run

# The check in this process (no worker fork), counting the patterns compiled through re.compile.
IN_PROCESS = """
import sys, time
import re
_compile, _made = re.compile, [0, 0.0]
def _counting(pattern, flags=0):
    t = time.perf_counter()
    try:
        return _compile(pattern, flags)
    finally:
        _made[0] += 1
        _made[1] += time.perf_counter() - t
re.compile = _counting
import auditor.pool.workers as workers
workers.HAS_FORK = False
from auditor.cli import main
try:
    main.main(args=sys.argv[1:], prog_name="auditor", standalone_mode=False)
finally:
    sys.stderr.write(f"compiled {_made[0]} {_made[1] * 1000:.1f}\\n")
"""


def _instructions(cmd: list[str], env: dict[str, str], out: Path) -> int:
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--callgrind", action="store_true", help="also count instructions (needs valgrind)")
    ap.add_argument("--against", type=Path, help="another checkout's root, to compare with")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        os.chdir(tmp)  # not the checkout: `python -m` and `-c` put the working directory first on sys.path
        make_text(tmp / "reports", 1)
        one = str(next((tmp / "reports").iterdir()))
        check = ["check", "--format", "json", "--no-cache", one]
        env = _env(tmp / "cache", tmp / "pycache")
        trees = {"this": env}
        if args.against:
            other = dict(env, PYTHONPATH=str(args.against.resolve()), AUDITOR_CACHE_DIR=str(tmp / "cache-other"))
            trees["against"] = other
        commands = [("python -c pass", [py, "-c", "pass"], env)]
        for name, tenv in trees.items():
            commands.append((f"{name}: whole command", [py, "-m", "auditor", *check], tenv))
        for _, cmd, cenv in commands:  # warm: .pyc, validated packs, pattern analyses (twice: the
            _run(cmd, cenv)            # analyses a first run makes are stored when it ends)
            _run(cmd, cenv)
        load_before = os.getloadavg()
        cpu: dict[str, list[float]] = {name: [] for name, _, _ in commands}
        for _ in range(args.rounds):
            for name, cmd, cenv in commands:
                cpu[name].append(_run(cmd, cenv)[1])
        load_after = os.getloadavg()
        bare = statistics.median(cpu["python -c pass"])
        print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} cores; "
              f"median child CPU of {args.rounds} interleaved rounds\n")
        print("| what | CPU ms | × python -c pass |")
        print("|---|---|---|")
        for name, _, _ in commands:
            ms = statistics.median(cpu[name]) * 1000
            print(f"| {name} | {ms:.1f} | {ms / (bare * 1000):.2f} |")
        if args.callgrind:
            if not shutil.which("valgrind"):
                print("\nvalgrind not found: no instruction counts")
                return 0
            print("\n| in one process | instructions | × python -c pass | patterns compiled (re.compile) |")
            print("|---|---|---|---|")
            base = _instructions([py, "-c", "pass"], env, tmp / "cg.pass")
            print(f"| python -c pass | {base / 1e6:,.0f} M | 1.00 | |")
            for name, tenv in trees.items():
                made = subprocess.run([py, "-c", IN_PROCESS, *check], env=tenv, capture_output=True, text=True,
                                      check=False).stderr.strip().splitlines()
                count = made[-1].split()[1:] if made and made[-1].startswith("compiled") else ["?", "?"]
                n = _instructions([py, "-c", IN_PROCESS, *check], tenv, tmp / f"cg.{name}")
                print(f"| {name} | {n / 1e6:,.0f} M | {n / base:.2f} | {count[0]} in {count[1]} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
