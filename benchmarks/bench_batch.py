"""Batch benchmark: reports per second of `auditor check DIR`, serial, parallel and cached.

Generates 2,000 text reports (from fixtures/seeds/*.txt, each made unique so the cache cannot
short-cut the first run) and 200 docx (copies of fixtures/formats/*.docx, each with a unique
zip comment) in a temporary directory, then times the command line end to end (process start
included, output to /dev/null) for:

- -j 1 and -j <all cores>, with --no-cache;
- a first run that fills a fresh cache, and the second, cached run.

Run: python benchmarks/bench_batch.py [--text N] [--docx N]. A script, not a test. Target:
≥ 1,000 text reports/s with all cores on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_text(dest: Path, n: int) -> None:
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    texts = [s.read_text(encoding="utf-8").splitlines() for s in seeds]
    dest.mkdir(parents=True)
    for i in range(n):
        lines = list(texts[i % len(texts)])
        longest = max(range(len(lines)), key=lambda k: len(lines[k]))
        lines[longest] += f"（{i}）"  # unique bytes, same findings
        (dest / f"r{i:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_docx(dest: Path, n: int) -> None:
    sources = sorted((ROOT / "fixtures" / "formats").glob("*.docx"))
    dest.mkdir(parents=True)
    for i in range(n):
        target = dest / f"d{i:04d}.docx"
        shutil.copyfile(sources[i % len(sources)], target)
        with zipfile.ZipFile(target, "a") as zf:
            zf.comment = f"bench copy {i}".encode()


def timed(args: list[str], cache: Path | None, pycache: Path) -> float:
    env = dict(os.environ)
    env.pop("AUDITOR_NO_CACHE", None)
    # as installed: compiled modules exist (a dev shell's PYTHONDONTWRITEBYTECODE would add
    # compiling every module to each run's start-up)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if cache is not None:
        env["AUDITOR_CACHE_DIR"] = str(cache)
    cmd = [sys.executable, "-m", "auditor", "check", "--format", "json", *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=int, default=2000)
    ap.add_argument("--docx", type=int, default=200)
    opts = ap.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        base = Path(tmp)
        make_text(base / "text", opts.text)
        make_docx(base / "docx", opts.docx)
        print(f"auditor batch benchmark: {opts.text} text + {opts.docx} docx reports, {cores} cores, "
              f"Python {sys.version.split()[0]}")
        print(f"{'batch':<6} {'run':<28} {'seconds':>8} {'reports/s':>10}")
        pyc = base / "pycache"
        seed = min((ROOT / "fixtures" / "seeds").glob("*.txt"))
        timed([str(seed), "--no-cache"], None, pyc)  # warm-up: compile the modules once
        for name, n in (("text", opts.text), ("docx", opts.docx)):
            target = str(base / name)
            rows = [
                ("-j 1, no cache", timed([target, "-j", "1", "--no-cache"], None, pyc)),
                (f"-j {cores}, no cache", timed([target, "-j", str(cores), "--no-cache"], None, pyc)),
            ]
            cache = base / f"cache-{name}"
            rows.append((f"-j {cores}, filling the cache", timed([target, "-j", str(cores)], cache, pyc)))
            rows.append((f"-j {cores}, cached second run", timed([target, "-j", str(cores)], cache, pyc)))
            for label, secs in rows:
                print(f"{name:<6} {label:<28} {secs:8.2f} {n / secs:10.0f}")
            print(f"{name:<6} {'cached speed-up':<28} {rows[1][1] / rows[3][1]:>8.1f}×")


if __name__ == "__main__":
    main()
