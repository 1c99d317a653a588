"""What worker isolation costs: per document in a batch, and on the cold start of one file.

Every document is audited in a forked worker the parent can kill (auditor.pool.workers). This
script measures what that adds, against auditing in-process (`batch.audit_fresh`, what `-j 1`
did before isolation):

1. per document: N small text reports through `batch.run(-j 1)` vs `audit_fresh` in a loop, in
   one process, best of R rounds each (the difference over N is the pipe round trip and the
   encoding of a card);
2. cold start: a fresh interpreter auditing one small text file, isolated vs in-process, the
   best of K runs each (on a shared machine the minimum is the stable figure); timed from after
   the packs are loaded, which both do alike, so interpreter start-up noise stays out (the difference is the fork, the round trip and the worker's kill).

Run: python benchmarks/bench_isolation.py [--docs N] [--rounds R] [--cold K]. A script, not a
test. Targets: < 0.3 ms per document, <= 15 ms added to the cold start of a single small text.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seeds" / "000_ae009fae7ef3885b.txt"

_COLD = r"""
import sys, time
from auditor.pool import batch
from auditor.run.engine import AuditOptions
from auditor.packs.ruleset import load_builtin_packs
job = batch.Job(packs=load_builtin_packs(), options=AuditOptions())
t0 = time.perf_counter()  # what comes before is the same for both: time only what differs
card = batch.run([sys.argv[2]], job)[0] if sys.argv[1] == "isolated" else batch.audit_fresh(sys.argv[2], None, job)
assert card.verdict in ("pass", "fail"), card
print(time.perf_counter() - t0)
"""


def _cpu() -> float:
    """CPU seconds of this process and of the (reaped) workers: unlike wall time, hardly
    changed by other programs competing for the cores."""
    import resource

    from auditor.pool import workers

    workers._reap(block=True)  # workers count once reaped
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def per_document(n: int, rounds: int) -> tuple[float, float, float, float]:
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.pool import batch
    from auditor.run.engine import AuditOptions

    with tempfile.TemporaryDirectory() as tmp:
        lines = SEED.read_text(encoding="utf-8").splitlines()
        files = []
        for i in range(n):
            f = Path(tmp) / f"r{i:04d}.txt"
            f.write_text("\n".join([*lines[:-1], lines[-1] + f"（{i}）"]), encoding="utf-8")
            files.append(str(f))
        job = batch.Job(packs=load_builtin_packs(), options=AuditOptions())
        batch.run(files[:4], job)  # warm imports in this process (workers inherit them)
        inproc, isolated, cpu_in, cpu_iso = [], [], [], []
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), _cpu()
            for f in files:
                batch.audit_fresh(f, None, job)
            inproc.append(time.perf_counter() - t0)
            cpu_in.append(_cpu() - c0)
            t0, c0 = time.perf_counter(), _cpu()
            batch.run(files, job, jobs=1)
            isolated.append(time.perf_counter() - t0)
            cpu_iso.append(_cpu() - c0)
    return min(inproc) / n, min(isolated) / n, min(cpu_in) / n, min(cpu_iso) / n


def cold(k: int) -> tuple[float, float]:
    times: dict[str, list[float]] = {"inproc": [], "isolated": []}
    for _ in range(k):
        for mode in times:  # interleaved, so a busy moment hits both alike
            out = subprocess.run([sys.executable, "-c", _COLD, mode, str(SEED)], capture_output=True, text=True,
                                 check=True, cwd=ROOT)
            times[mode].append(float(out.stdout))
    return min(times["inproc"]), min(times["isolated"])


def fixed_cost(k: int) -> float:
    """Start a one-worker pool in a process that has loaded the packs, send one document's card
    back, close it: the part of a one-file run's start that isolation adds, without the noise
    of two interpreter start-ups."""
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.pool import workers
    from auditor.pool.codec import card_from_wire, card_to_wire, pack_strings
    from auditor.run.engine import audit_file

    packs = load_builtin_packs()
    card = audit_file(str(SEED), packs)
    table = pack_strings(packs)
    wire = card_to_wire(card, table)  # what a batch worker sends back
    times = []
    for _ in range(k):
        t0 = time.perf_counter()
        with workers.Pool(lambda item: wire, on_timeout=str, on_crash=str) as pool:
            card_from_wire(pool.map([0])[0], table)
        times.append(time.perf_counter() - t0)
    return min(times)  # the intrinsic cost: other programs on the machine only add to it


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cold", type=int, default=15)
    args = ap.parse_args()
    inproc, isolated, cpu_in, cpu_iso = per_document(args.docs, args.rounds)
    print(f"per document ({args.docs} text reports, -j 1, best of {args.rounds}):\n"
          f"  wall: in-process {inproc * 1000:.2f} ms, isolated {isolated * 1000:.2f} ms, "
          f"overhead {(isolated - inproc) * 1000:+.3f} ms\n"
          f"  CPU (parent + workers): in-process {cpu_in * 1000:.2f} ms, isolated {cpu_iso * 1000:.2f} ms, "
          f"overhead {(cpu_iso - cpu_in) * 1000:+.3f} ms")
    print(f"fixed cost of isolating one document (fork, round trip, exit; best of 50): "
          f"{fixed_cost(50) * 1000:.1f} ms")
    c_in, c_iso = cold(args.cold)
    print(f"cold start, one small text, audit phase (best of {args.cold}): in-process {c_in * 1000:.1f} ms, "
          f"isolated {c_iso * 1000:.1f} ms, added {(c_iso - c_in) * 1000:+.1f} ms")


if __name__ == "__main__":
    main()
