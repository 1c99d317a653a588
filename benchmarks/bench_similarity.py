"""Similarity benchmark: time, memory, recall and precision of `auditor check --similarity`.

Builds N synthetic reports with a known ground truth, in a temporary directory:
- every report has the regulation's five part headings, a title and signature with its own
  body name, and an opening paragraph of stock formulas (what every report shares);
- its paragraphs are new text from an order-2 character Markov chain trained on the real
  reports (fixtures/seeds, the corpus pages if present, fixtures/reports), so unrelated
  reports share what real ones share: common phrases, never whole passages;
- 10 % of the reports are copies: a fraction (30-100 %) of another report's paragraphs,
  shuffled, with the body's name, the years and every figure changed, the rest new text.
The truth for a pair is the share of either report made of paragraphs they have in common.

It then runs, on the 2-core reference machine:
1. the similarity stage alone (reading, masking, MinHash LSH, exact comparison), in-process;
2. optionally (--cli) the whole command `auditor check DIR --similarity -j 2 --no-cache`.
and prints time, peak memory (max RSS), candidates, recall for pairs sharing ≥ 50 % and
precision of the flagged pairs (a flagged pair is right when it shares paragraphs), and the
flagged pairs among reports that share nothing but headings and formulas (must be 0).

Run: python benchmarks/bench_similarity.py [-n 1000] [-n 10000] [--cli]. A script, not a test.
Targets: 10,000 reports in < 60 s on 2 cores, < 2 GB, recall ≥ 0.95, no false pairs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADINGS = ("一、{y}年推进法治政府建设的主要举措和成效", "二、{y}年推进法治政府建设存在的不足和原因",
            "三、{y}年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
            "四、{n}年推进法治政府建设的主要安排", "五、其他需要报告的情况")
OPENING = ("{y}年，{b}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
           "深入贯彻党的二十大精神，坚持运用法治思维和法治方式深化改革、推动发展、化解矛盾、维护稳定。"
           "现将{y}年度法治政府建设情况报告如下：")
SYLLABLES = "龙门浩宝圣湖双凤桥鸳鸯花园南坪铜元局弹子石海棠溪长生桥峡口迎龙广阳涂山明月沙湾蔡家礼嘉悦来两路回兴"
UNITS = ("街道", "镇", "乡")


def corpus_text() -> str:
    files = [*sorted((ROOT / "fixtures/seeds").glob("*.txt")), *sorted((ROOT / "fixtures/reports").glob("*.txt"))]
    pages = ROOT.parent / "shared" / "corpus" / "pages" / "cases"
    if pages.is_dir():
        files += sorted(pages.glob("*.txt"))
    out = []
    for f in files:
        try:
            out.append(f.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
    text = "".join(out)
    return re.sub(r"[^\u4e00-\u9fff，。；、0-9]", "", text)


class Chain:
    """An order-2 character Markov chain: new sentences in the reports' vocabulary."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.rng = rng
        nxt: dict[str, list[str]] = defaultdict(list)
        for i in range(len(text) - 2):
            nxt[text[i:i + 2]].append(text[i + 2])
        self.next = dict(nxt)
        self.starts = [k for k in self.next if "\u4e00" <= k[0] <= "\u9fff" and "\u4e00" <= k[1] <= "\u9fff"]

    def paragraph(self, n: int) -> str:
        state = self.rng.choice(self.starts)
        out = [state]
        size = 2
        choice = self.rng.choice
        while size < n:
            options = self.next.get(state)
            c = choice(options) if options else "。"
            if not options:
                state = choice(self.starts)
                out.append("。" + state)
                size += 3
                continue
            out.append(c)
            size += 1
            state = state[1] + c
        return "".join(out).strip("，、；") + "。"


def body(rng: random.Random, i: int) -> str:
    name = "".join(rng.sample(SYLLABLES, 3)) + f"{i}"  # the index keeps every name unique
    return f"某某区人民政府{name}{rng.choice(UNITS)}"


def change_figures(text: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), text)


def render(b: str, year: int, parts: list[list[str]]) -> str:
    short = b.replace("某某区人民政府", "")
    lines = [b, f"关于{year}年度法治政府建设情况的报告", OPENING.format(y=year, b=short)]
    for heading, paras in zip(HEADINGS, parts):
        lines.append(heading.format(y=year, n=year + 1))
        lines += paras
    lines += [b, f"{year + 1}年3月{rng_day(year)}日"]
    return "\n".join(lines) + "\n"


def rng_day(year: int) -> int:
    return 1 + year % 27


def generate(n: int, dest: Path, seed: int = 1) -> dict[tuple[str, str], float]:
    """Write n reports to dest; the truth: (path, path) → share for every pair sharing paragraphs."""
    rng = random.Random(seed)
    chain = Chain(corpus_text(), rng)
    dest.mkdir(parents=True, exist_ok=True)
    docs: list[list[tuple[int, int, str]]] = []  # per report: (part, paragraph id, text)
    pid = itertools.count()
    n_copies = n // 10
    for _ in range(n - n_copies):
        paras = [(part, next(pid), chain.paragraph(rng.randint(120, 260)))
                 for part, k in enumerate((6, 2, 2, 3, 0)) for _ in range(k)]
        docs.append(paras)
    for _ in range(n_copies):
        src = docs[rng.randrange(n - n_copies)]
        frac = rng.choice((0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0))
        kept = rng.sample(src, max(1, round(frac * len(src))))
        fresh = [(part, next(pid), chain.paragraph(rng.randint(120, 260))) for part, _, _ in src
                 if rng.random() > frac]
        mixed = [(p, q, change_figures(t, rng)) for p, q, t in kept] + fresh
        rng.shuffle(mixed)
        docs.append(mixed)
    paths = []
    sizes: list[dict[int, int]] = []
    for i, paras in enumerate(docs):
        year = rng.choice((2022, 2023, 2024))
        parts: list[list[str]] = [[] for _ in HEADINGS]
        for part, _, text in paras:
            parts[part].append(text)
        parts[4] = ["无。"]
        path = dest / f"r{i:05d}.txt"
        path.write_text(render(body(rng, i), year, parts), encoding="utf-8")
        paths.append(str(path))
        sizes.append({q: len(t) for _, q, t in paras})
    owners: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sizes):
        for q in s:
            owners[q].append(i)
    truth: dict[tuple[str, str], float] = {}
    related = {tuple(sorted(p)) for own in owners.values() if len(own) > 1 for p in itertools.combinations(own, 2)}
    for i, j in related:
        common = sizes[i].keys() & sizes[j].keys()
        si = sum(sizes[i][q] for q in common) / sum(sizes[i].values())
        sj = sum(sizes[j][q] for q in common) / sum(sizes[j].values())
        truth[(paths[i], paths[j])] = max(si, sj)
    return truth


def stage(files: list[str], jobs: int) -> tuple[object, float, float, int]:
    """The batch as `check --similarity` runs it: `jobs` workers audit the reports and hand back
    each one's comparable text and signature with its card; then the comparison in this process:
    (result, seconds auditing and reading, seconds comparing, max RSS MB of this process and its workers)."""
    from auditor.cross import similarity
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.pool import batch
    from auditor.run.options import AuditOptions

    packs = load_builtin_packs()
    job = batch.Job(packs=packs, options=AuditOptions(pack="annual"), signatures=True)
    handed: dict[str, tuple[object, object]] = {}
    t0 = time.perf_counter()
    batch.run(files, job, jobs=jobs, texts=handed)
    t1 = time.perf_counter()
    result = similarity.find([t for t, _ in handed.values()], 0.4,  # type: ignore[misc]
                             signatures={p: s for p, (_, s) in handed.items() if s is not None})
    t2 = time.perf_counter()
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return result, t1 - t0, t2 - t1, rss // 1024


def cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def score(result: object, truth: dict[tuple[str, str], float]) -> dict[str, float]:
    flagged = {tuple(sorted((p.a, p.b))) for p in result.pairs}  # type: ignore[attr-defined]
    big = {k for k, v in truth.items() if v >= 0.5}
    found = big & flagged
    right = {k for k in flagged if k in truth}
    return {"pairs≥50%": len(big), "recall≥50%": len(found) / len(big) if big else 1.0,
            "flagged": len(flagged), "precision": len(right) / len(flagged) if flagged else 1.0,
            "false pairs (no shared paragraph)": len(flagged - set(truth))}


def cli(dest: Path) -> tuple[float, int, float]:
    """(wall seconds, max RSS MB, CPU seconds of the command and its workers)."""
    cmd = [sys.executable, "-m", "auditor", "check", str(dest), "--similarity", "-j", "2", "--no-cache",
           "--format", "json"]
    c0 = sum(cpu()[1:])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"auditor failed: {proc.stderr[-2000:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return took, rss, sum(cpu()[1:]) - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, action="append", help="reports (repeatable) [default: 1000 and 10000]")
    ap.add_argument("--cli", action="store_true", help="also time the whole command line")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="worker processes [default: 2]")
    args = ap.parse_args()
    for n in args.n or [1000, 10000]:
        with tempfile.TemporaryDirectory(prefix="auditor-sim-") as tmp:
            dest = Path(tmp) / "reports"
            t0 = time.perf_counter()
            truth = generate(n, dest)
            print(f"\n{n} reports generated in {time.perf_counter() - t0:.1f} s; {len(truth)} related pairs")
            files = sorted(str(p) for p in dest.glob("*.txt"))
            if args.cli:
                took, rss, used = cli(dest)
                print(f"  whole command (-j 2, audit + similarity): {took:.1f} s wall, {used:.1f} s CPU, "
                      f"max RSS {rss} MB")
            (m0, k0) = cpu()
            result, t_read, t_cmp, rss = stage(files, args.jobs)
            (m1, k1) = cpu()
            print(f"  similarity stage, -j {args.jobs}: audit+mask+sign (the batch) {t_read:.1f} s, LSH + exact {t_cmp:.1f} s wall; "
                  f"CPU: this process {m1 - m0:.1f} s, workers {k1 - k0:.1f} s; "
                  f"max RSS {rss} MB, LSH candidates {result.candidates}, compared exactly {result.exact}")  # type: ignore[attr-defined]
            for k, v in score(result, truth).items():
                print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
            del result


if __name__ == "__main__":
    main()
