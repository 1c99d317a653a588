"""`auditor serve` under load: requests per second and p50/p95 latency of POST /api/check for a
.txt and a .docx self-check, with 1 and 20 concurrent clients, against the in-process audit time
of the same file (what `auditor check` spends on it after start-up).

    python benchmarks/bench_web.py [--requests 100] [--workers 2]

The server runs as `python -m auditor serve` on a free port (its default pool: one worker process
per core, at least 2); clients are httpx threads on the same machine, so on 2 cores they compete
with the workers. The issue's targets: a single .docx answered within 2× the in-process audit time
plus 20 ms; 20 concurrent .docx clients with p95 under 1 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {"txt": ROOT / "fixtures" / "reports" / "compliant.txt", "docx": ROOT / "fixtures" / "formats" / "002.docx"}


def in_process_ms(path: Path, runs: int = 30) -> float:
    """Median time of engine.audit_file (load + audit) in this process, packs already loaded."""
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.run.engine import AuditOptions, audit_file

    packs = load_builtin_packs()
    audit_file(str(path), packs, AuditOptions())  # warm: imports, compiled patterns
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        audit_file(str(path), packs, AuditOptions())
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(workers: int | None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    # the 20 clients share one address: the per-address cap on uploads in flight (8) is lifted
    cmd = [sys.executable, "-m", "auditor", "serve", "--port", str(port), "--max-uploads-per-client", "0"]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def load(url: str, path: Path, clients: int, requests: int) -> tuple[float, float, float]:
    """(requests per second, p50 ms, p95 ms) for `requests` posts spread over `clients` threads."""
    import httpx

    data = path.read_bytes()
    per_client = max(1, requests // clients)

    def client(_: int) -> list[float]:
        out = []
        with httpx.Client(base_url=url, timeout=60) as c:
            for _ in range(per_client):
                t0 = time.perf_counter()
                r = c.post("/api/check", files={"file": (path.name, data)})
                out.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200 and r.json()["reports"][0]["verdict"] != "error", r.text[:300]
        return out

    with httpx.Client(base_url=url, timeout=60) as c:  # warm the workers for this format
        for _ in range(4):
            c.post("/api/check", files={"file": (path.name, data)})
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = [x for xs in pool.map(client, range(clients)) for x in xs]
    wall = time.perf_counter() - t0
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return len(latencies) / wall, statistics.median(latencies), p95


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}, "
          f"load average: {os.getloadavg()[0]:.1f}")
    base = {kind: in_process_ms(path) for kind, path in FILES.items()}
    proc, url = _start(args.workers)
    try:
        print(f"{'file':5} {'clients':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'in-process ms':>14} {'target':>24}")
        for kind, path in FILES.items():
            for clients in (1, 20):
                rps, p50, p95 = load(url, path, clients, args.requests)
                if clients == 1:
                    limit = 2 * base[kind] + 20
                    target = f"p50 ≤ {limit:.0f} ms: {'ok' if p50 <= limit else 'MISSED'}"
                else:
                    target = f"p95 < 1000 ms: {'ok' if p95 < 1000 else 'MISSED'}"
                print(f"{kind:5} {clients:>7} {rps:>7.1f} {p50:>8.1f} {p95:>8.1f} {base[kind]:>14.1f} {target:>24}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
