"""Engine benchmark (issue 9): auditor side by side with a bare Python start, the floor script and
AutoCorrect, on the same generated corpus, in one run.

Measures, end to end through the command line (process start included, output to /dev/null):
- cold `auditor check --format json <one report>` against `python -c pass` (target ≤ 6×);
- 1,000 text reports with `-j 1 --no-cache` (target ≥ 1,000/s), `-j 2 --no-cache` (≥ 1,600/s),
  and a cached rerun (≥ 3,000/s);
- the floor (`../shared/tools/floor.py`, or --floor: open, decode, ~30 regexes per file;
  target: auditor -j 1 at most 2× its time) and AutoCorrect (`pip install autocorrect-py`,
  `lint_for` each file), when available;
- peak memory (max RSS) of `-j 1 --no-cache` over 2,000 reports (target < 100 MB).

Each figure is the median of --runs runs. The machine this was written on is shared by several
people: figures are noisy; CPU time (user+sys of the child) is printed next to wall time because
it is what another user's load disturbs least.

Usage: python benchmarks/bench_engine.py [--runs 3] [--reports 1000] [--memory-reports 2000]
A script, not a test; it exits 0 and prints which targets are met.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_text  # noqa: E402  (the same generated reports as the batch benchmark)

FLOOR = ROOT.parent / "shared" / "tools" / "floor.py"  # ../shared beside the checkout


def reading_script(imports: str = "", per_file: str = "") -> str:
    """A script that reads and decodes every file of the directory argv[1] as auditor does
    (UTF-8, else GB18030), running `per_file` on each (`text`, `f` in scope): the baseline
    (nothing more) and the AutoCorrect rows share it, so they differ only in the call."""
    return (f"import sys\nfrom pathlib import Path\n{imports}\nn = 0\n"
            "for f in sorted(Path(sys.argv[1]).iterdir()):\n"
            "    data = f.read_bytes()\n"
            "    try:\n"
            "        text = data.decode('utf-8-sig')\n"
            "    except UnicodeDecodeError:\n"
            "        text = data.decode('gb18030', errors='replace')\n"
            f"    {per_file or 'pass'}\n"
            "    n += 1\n"
            "print(n)\n")


AUTOCORRECT = reading_script("import autocorrect_py", "autocorrect_py.lint_for(text, f.name)")


def _env(cache: Path, pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("AUDITOR_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules exist
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["AUDITOR_CACHE_DIR"] = str(cache)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, child CPU s, child max RSS KB) of one run, measured by a small wrapper process
    so the RSS is this command's alone."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(w, r.ru_utime + r.ru_stime, r.ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *cmd], env=env, capture_output=True, text=True, check=True)
    wall, cpu, rss = out.stdout.split()
    return float(wall), float(cpu), int(rss)


def _median(cmd: list[str], env: dict[str, str], runs: int, *, before: list[str] | None = None) -> tuple[float, float, int]:
    results = []
    for _ in range(runs):
        if before:
            subprocess.run(before, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        results.append(_run(cmd, env))
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--memory-reports", type=int, default=2000)
    ap.add_argument("--floor", type=Path, default=FLOOR)
    args = ap.parse_args()
    auditor = [sys.executable, "-m", "auditor", "check", "--format", "json"]
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        corpus, big = tmp / "reports", tmp / "memory"
        make_text(corpus, args.reports)
        make_text(big, args.memory_reports)
        env = _env(tmp / "cache", tmp / "pycache")
        one = str(sorted(corpus.iterdir())[0])
        subprocess.run([*auditor, one], env=env, stdout=subprocess.DEVNULL, check=False)  # warm pack cache, .pyc
        rows: list[tuple[str, float, float, str]] = []
        bare = _median([sys.executable, "-c", "pass"], env, max(5, args.runs))
        cold = _median([*auditor, one], env, max(5, args.runs))
        rows.append(("python -c pass", bare[0], bare[1], ""))
        rows.append(("auditor check --format json (1 report)", cold[0], cold[1],
                     f"{cold[0] / bare[0]:.1f}× python start (target ≤ 6×)"))
        n = args.reports
        j1 = _median([*auditor, "-j", "1", "--no-cache", str(corpus)], env, args.runs)
        j2 = _median([*auditor, "-j", "2", "--no-cache", str(corpus)], env, args.runs)
        shutil.rmtree(tmp / "cache" / "results.sqlite3", ignore_errors=True)
        cached = _median([*auditor, "-j", "2", str(corpus)], env, args.runs,
                         before=[*auditor, "-j", "2", str(corpus)])
        rows.append((f"auditor -j 1 --no-cache ({n})", j1[0], j1[1], f"{n / j1[0]:.0f}/s (target ≥ 1000/s)"))
        rows.append((f"auditor -j 2 --no-cache ({n})", j2[0], j2[1], f"{n / j2[0]:.0f}/s (target ≥ 1600/s)"))
        rows.append((f"auditor cached rerun ({n})", cached[0], cached[1], f"{n / cached[0]:.0f}/s (target ≥ 3000/s)"))
        if args.floor.is_file():
            floor = _median([sys.executable, str(args.floor), str(corpus)], env, args.runs)
            rows.append(("floor script", floor[0], floor[1], f"auditor -j 1 is {j1[0] / floor[0]:.1f}× it (target ≤ 2×)"))
        try:
            import autocorrect_py  # noqa: F401
        except ImportError:
            rows.append(("AutoCorrect", float("nan"), float("nan"), "not installed (pip install autocorrect-py)"))
        else:
            ac = _median([sys.executable, "-c", AUTOCORRECT, str(corpus)], env, args.runs)
            faster = ac[0] / j1[0]
            rows.append(("AutoCorrect lint_for", ac[0], ac[1],
                         f"auditor -j 1 is {faster:.2f}× {'faster' if faster >= 1 else 'slower'}"))
        mem = _median([*auditor, "-j", "1", "--no-cache", str(big)], env, 1)
        rows.append((f"memory, -j 1 --no-cache ({args.memory_reports})", mem[0], mem[1],
                     f"max RSS {mem[2] / 1024:.0f} MB (target < 100 MB)"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} runs\n")
    print(f"| {'what':44s} | wall s | CPU s | result |")
    print(f"|{'-' * 46}|--------|-------|--------|")
    for what, wall, cpu, note in rows:
        print(f"| {what:44s} | {wall:6.3f} | {cpu:5.2f} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
