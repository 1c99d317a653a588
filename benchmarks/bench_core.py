"""Core speed targets (issue 2), measured end to end through the installed `auditor` command.

(a) cold start: wall time of `auditor check <one report>` against a bare `python -c pass`
    measured in the same run; target ≤ 10×.
(b) throughput: reports per second over a batch of ≥ 1,000 text reports in one call; target ≥ 500/s.

Usage: python benchmarks/bench_core.py [--runs 15] [--reports 1000]
Exits 1 when a target is missed, so it can gate a release; it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted((ROOT / "fixtures" / "reports").glob("*.txt"))


def _auditor() -> list[str]:
    exe = shutil.which("auditor", path=os.path.dirname(sys.executable)) or shutil.which("auditor")
    return [exe] if exe else [sys.executable, "-m", "auditor"]


def _wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start(runs: int) -> tuple[float, float]:
    sample = str(ROOT / "fixtures" / "reports" / "compliant.txt")
    subprocess.run([*_auditor(), "check", sample], stdout=subprocess.DEVNULL, check=False)  # warm the rule cache
    bare = _wall([sys.executable, "-c", "pass"], runs)
    check = _wall([*_auditor(), "check", sample], runs)
    return bare, check


def throughput(n: int, extra: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            src = SAMPLES[i % len(SAMPLES)]
            shutil.copyfile(src, Path(tmp) / f"r{i:05d}{src.suffix}")
        cmd = [*_auditor(), "check", "--format", "json", *extra, tmp]
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        return n / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--reports", type=int, default=1000)
    args = ap.parse_args()
    env_cache = tempfile.mkdtemp(prefix="auditor-bench-cache-")
    os.environ["AUDITOR_CACHE_DIR"] = env_cache  # a clean, private cache: nothing from earlier runs
    bare, check = cold_start(args.runs)
    ratio = check / bare
    print(f"(a) cold start: auditor check = {check * 1000:.0f} ms, python -c pass = {bare * 1000:.0f} ms, "
          f"ratio {ratio:.1f}x (target <= 10x)")
    help_text = subprocess.run([*_auditor(), "check", "--help"], capture_output=True, text=True).stdout
    serial = ["-j", "1", "--no-cache"] if "--jobs" in help_text else []
    rate = throughput(args.reports, serial)
    print(f"(b) throughput, one process{', no result cache' if serial else ''}: {rate:.0f} reports/s "
          f"over {args.reports} reports (target >= 500/s)")
    shutil.rmtree(env_cache, ignore_errors=True)
    return 0 if ratio <= 10 and rate >= 500 else 1


if __name__ == "__main__":
    sys.exit(main())
