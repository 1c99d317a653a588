"""Side-by-side benchmark (issue 23): every figure of the engine beside the floor and AutoCorrect,
in one run, as ratios, with the machine's load.

Rows, each a whole process started from here (start-up included, output to /dev/null):
- read + decode only, and the floor (`../shared/tools/floor.py`: decode + ~30 regexes of the
  packs' kind): what any Python auditor of these files must at least do;
- AutoCorrect (`pip install autocorrect-py`, Rust): `format(text)` and `lint_for(text, name)`;
- auditor `-j 1 --no-cache` and `-j 2 --no-cache` over the generated text reports (the same
  corpus as bench_engine.py / bench_batch.py);
- one-file `auditor check --format json`: with the result cache warm (as bench_engine.py) and
  with `--no-cache` (the whole audit), beside `python -c pass`;
- PDF: auditor's text extraction (auditor.loaders.pdf.extract) against a bare pypdfium2
  `get_text_range` of every page, over the PDF fixtures (repeated).

The machine this runs on is shared: the commands run in ROUNDS (each command once per round, in
turn), so a change of the machine's speed during the run touches every row alike; each figure is
the median over the rounds of the child's CPU time (user + system, which other users' load
disturbs least; wall time beside it). The load average is printed before and after. The ratios
are CPU against CPU (the rates are given both ways: -j 2's gain shows in wall time only). `--similarity` at 10,000 reports has its own script, bench_similarity.py.

Usage: python benchmarks/bench_side_by_side.py [--rounds 5] [--reports 1000] [--pdf-copies 5]
A script, not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_text  # noqa: E402
from bench_engine import AUTOCORRECT, FLOOR, _env, _run, reading_script  # noqa: E402

DECODE = reading_script()
AUTOCORRECT_FORMAT = reading_script("import autocorrect_py", "autocorrect_py.format(text)")
PDF_BARE = """
import sys
from pathlib import Path
import pypdfium2 as pdfium
for f in sorted(Path(sys.argv[1]).iterdir()):
    pdf = pdfium.PdfDocument(f.read_bytes())
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    pdf.close()
"""
PDF_AUDITOR = """
import sys
from pathlib import Path
from auditor.loaders import pdf
for f in sorted(Path(sys.argv[1]).iterdir()):
    pdf.extract(f.read_bytes(), path=f.name)
"""


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--pdf-copies", type=int, default=5, help="copies of each PDF fixture with a text layer")
    ap.add_argument("--floor", type=Path, default=FLOOR)
    args = ap.parse_args()
    py = sys.executable
    auditor = [py, "-m", "auditor", "check", "--format", "json"]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        corpus, pdfs = tmp / "reports", tmp / "pdfs"
        make_text(corpus, args.reports)
        pdfs.mkdir()
        sources = [p for p in sorted((ROOT / "fixtures" / "formats").rglob("*.pdf"))
                   if "bad" not in p.parts and not p.name.startswith("scan")]
        for k in range(args.pdf_copies):
            for p in sources:
                (pdfs / f"{k}_{p.name}").write_bytes(p.read_bytes())
        env = _env(tmp / "cache", tmp / "pycache")
        one = str(sorted(corpus.iterdir())[0])
        n, n_pdf = args.reports, args.pdf_copies * len(sources)
        # (name, command, files it reads or None)
        commands: list[tuple[str, list[str], int | None]] = [
            ("python -c pass", [py, "-c", "pass"], None),
            ("read + decode only", [py, "-c", DECODE, str(corpus)], n),
        ]
        if args.floor.is_file():
            commands.append(("floor (decode + ~30 regexes)", [py, str(args.floor), str(corpus)], n))
        if _has("autocorrect_py"):
            commands += [("AutoCorrect format(text)", [py, "-c", AUTOCORRECT_FORMAT, str(corpus)], n),
                         ("AutoCorrect lint_for(text, name)", [py, "-c", AUTOCORRECT, str(corpus)], n)]
        commands += [
            ("auditor -j 1 --no-cache", [*auditor, "-j", "1", "--no-cache", str(corpus)], n),
            ("auditor -j 2 --no-cache", [*auditor, "-j", "2", "--no-cache", str(corpus)], n),
            ("auditor check, 1 file, result cached", [*auditor, one], None),
            ("auditor check, 1 file, --no-cache", [*auditor, "--no-cache", one], None),
        ]
        if _has("pypdfium2"):
            commands += [("PDF: bare pypdfium2 get_text_range", [py, "-c", PDF_BARE, str(pdfs)], n_pdf),
                         ("PDF: auditor's extraction", [py, "-c", PDF_AUDITOR, str(pdfs)], n_pdf)]
        for _, cmd, _ in commands:  # warm: the .pyc files, the validated packs, the one file's card
            _run(cmd, env)
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _, _ in commands}
        for _ in range(args.rounds):
            for name, cmd, _ in commands:
                runs[name].append(_run(cmd, env))
    load_after = os.getloadavg()
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    floor = cpu.get("floor (decode + ~30 regexes)")
    lint = cpu.get("AutoCorrect lint_for(text, name)")
    bare, pdf_bare = cpu["python -c pass"], cpu.get("PDF: bare pypdfium2 get_text_range")
    print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} cores; "
          f"median of {args.rounds} interleaved rounds; {n} text reports, {n_pdf} PDFs\n")
    print(f"| {'what':40s} | wall s | CPU s | per s wall | per s CPU | × floor | × lint_for | other |")
    print(f"|{'-' * 42}|--------|-------|------------|-----------|---------|------------|-------|")
    for name, _, files in commands:
        rate = f"{files / cpu[name]:,.0f}" if files and cpu[name] > 0 else ""
        rate_wall = f"{files / wall[name]:,.0f}" if files else ""
        text_row = files == n and not name.startswith("PDF")
        x_floor = f"{cpu[name] / floor:.2f}" if floor and text_row else ""
        x_lint = f"{cpu[name] / lint:.2f}" if lint and text_row else ""
        other = ""
        if files is None and name != "python -c pass":
            other = f"{cpu[name] / bare:.1f}× python -c pass (wall {wall[name] / wall['python -c pass']:.1f}×)"
        elif name == "PDF: auditor's extraction" and pdf_bare:
            other = f"{cpu[name] / pdf_bare:.2f}× bare extraction"
        print(f"| {name:40s} | {wall[name]:6.3f} | {cpu[name]:5.2f} | {rate_wall:>10s} | {rate:>9s} | {x_floor:>7s} | {x_lint:>10s} "
              f"| {other} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
