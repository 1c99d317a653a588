"""Copied text within a batch (`auditor check --similarity`, rule XR101).

Each report's comparable text (streams.py: names, dates, figures masked; headings and stock
formulas cut) is cut into overlapping shingles of K characters. A MinHash signature of the
shingle set estimates how much two reports share (Jaccard); LSH banding of the signatures
finds the pairs worth comparing without comparing all pairs. Only those candidate pairs are
compared exactly: a character of report A counts as shared with B when a shingle covering it
occurs in B, which gives the share of A found in B, the shared passages and their places.

Why not datasketch: its MinHash hashes every shingle in a Python loop (3.3 ms per report
measured here, 33 s of the 60 s budget for 10,000 reports) and its LSH needs scipy; the same
steps in vectorised numpy (rolling hash, 32-bit universal hashing, banding) take about 0.5 ms.
The figures: benchmarks/bench_similarity.py and the README's Speed section.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping, Sequence

from auditor.cross.streams import Stream, Text

K = 10  # shingle length in characters: longer than any common phrase, shorter than a clause
NUM_PERM = 128
BANDS, ROWS = 64, 2  # LSH: 64 bands of 2 rows (see benchmarks/bench_similarity.py for the choice)
MIN_ESTIMATE = 0.08  # a candidate whose signatures agree less than this is not compared exactly
_BLOCK = 512  # shingles hashed at a time by `signature`
MIN_CHARS = 80  # a report with less comparable text than this is not compared
MIN_PASSAGE = 30  # shared runs shorter than this count in the share but are not listed
MAX_PASSAGES = 8

_SEED = 20240401


@dataclass(frozen=True)
class Passage:
    """A run of text two reports share: its length and its lines in each."""

    chars: int
    a_lines: tuple[int, int]
    b_lines: tuple[int, int]
    a_text: str
    b_text: str
    a_part: str | None
    b_part: str | None
    a_where: str = ""  # where a person finds it: 第5页第1段 (docx, pdf, html), 第3-5行 (txt, md)
    b_where: str = ""


@dataclass(frozen=True)
class Pair:
    a: str  # path
    b: str
    share_a: float  # the share of a's comparable text found in b
    share_b: float
    passages: tuple[Passage, ...]

    @property
    def share(self) -> float:
        return max(self.share_a, self.share_b)

    def partner(self, path: str) -> tuple[str, float, float]:
        """(the other path, this report's share found there, the other's share found here)."""
        return (self.b, self.share_a, self.share_b) if path == self.a else (self.a, self.share_b, self.share_a)


@dataclass(frozen=True)
class Result:
    shares: dict[str, float]  # path → share of its text found in any other report of the batch
    pairs: tuple[Pair, ...]  # pairs at or above the threshold, highest share first
    candidates: int  # pairs the LSH proposed
    compared: int  # reports with enough text to compare
    exact: int = 0  # candidate pairs whose signatures agree enough to be compared exactly


def _np() -> Any:
    import numpy

    return numpy


def shingles(text: str, k: int = K) -> Any:
    """64-bit hashes of every k-character substring, in order (a polynomial rolling hash,
    vectorised: k passes over the code points)."""
    np = _np()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    p = np.uint64(1099511628211)
    for j in range(k):
        h = h * p + codes[j:j + n]
    # mix the bits (splitmix64 finaliser) so that the universal hashes below see random input
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    result = h
    return result


@lru_cache(maxsize=1)
def _perms() -> tuple[Any, Any]:
    """The NUM_PERM hash functions' multipliers and offsets (fixed seed: signatures computed in
    different worker processes agree)."""
    np = _np()
    rng = np.random.default_rng(_SEED)
    a = rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint32)
    return a[:, None], b[:, None]


def signature(hashes: Any, perms: tuple[Any, Any]) -> Any:
    """MinHash: for each of NUM_PERM hash functions, the least value over the shingle set.
    The functions are x → mix(a·x + b mod 2³²) with odd a: bijections of 32-bit values, in
    32-bit arithmetic, which numpy does 8× faster than 64-bit. The shingles are taken a block
    at a time (NUM_PERM × _BLOCK values, which stay in the processor's cache) and the least
    values kept: three times faster than one NUM_PERM × n array for a report, the same minima."""
    np = _np()
    u = np.unique(hashes)
    x = (u ^ (u >> np.uint64(32))).astype(np.uint32)
    a, b = perms
    sig = np.full(a.shape[0], np.iinfo(np.uint32).max, dtype=np.uint32)
    block = np.empty((a.shape[0], min(_BLOCK, len(x))), dtype=np.uint32)
    shifted = np.empty_like(block)
    for lo in range(0, len(x), _BLOCK):
        part = x[lo:lo + _BLOCK]
        v, s = block[:, :len(part)], shifted[:, :len(part)]
        np.multiply(part[None, :], a, out=v)
        v += b
        np.right_shift(v, np.uint32(16), out=s)
        v ^= s
        np.minimum(sig, v.min(axis=1), out=sig)
    return sig


def candidate_pairs(sigs: Sequence[Any]) -> set[tuple[int, int]]:
    """Index pairs that agree on all rows of at least one band."""
    out: set[tuple[int, int]] = set()
    if not sigs:
        return out
    np = _np()
    matrix = np.ascontiguousarray(np.stack(sigs))
    for band in range(BANDS):
        block = np.ascontiguousarray(matrix[:, band * ROWS:(band + 1) * ROWS])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * ROWS))).ravel()
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, key in enumerate(keys.tolist()):
            buckets[key].append(i)
        for members in buckets.values():
            if len(members) > 1:
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        out.add((members[x], members[y]))
    return out


def covered(ha: Any, hb: Any, n: int, k: int = K) -> Any:
    """For each of a's n characters: whether a shingle of a covering it also occurs in b."""
    np = _np()
    shared = np.isin(ha, hb, assume_unique=False)
    delta = np.zeros(n + 1, dtype=np.int32)
    starts = np.flatnonzero(shared)  # distinct positions: plain indexed adds (np.add.at is ~10x slower)
    delta[starts] += 1
    delta[starts + k] -= 1
    mask = np.cumsum(delta[:n]) > 0
    return mask


def _runs(mask: Any) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    np = _np()
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(edges[i]), int(edges[i + 1])) for i in range(0, len(edges), 2)]


def _longest_stretch(positions: Any) -> tuple[int, int]:
    """The longest stretch of nearly consecutive positions (gaps under K): where in b a passage
    of a lies, ignoring stray shingles that also occur elsewhere in b."""
    np = _np()
    breaks = np.flatnonzero(np.diff(positions) > K)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(positions) - 1]))
    best = int(np.argmax(positions[ends] - positions[starts]))
    return int(positions[starts[best]]), int(positions[ends[best]])


def _by_part(s: Stream, lo: int, hi: int) -> list[tuple[int, int]]:
    """A run cut where it crosses from one part of the report into the next."""
    out, start = [], lo
    first = bisect_right(s.starts, lo) - 1
    part = s.part_of.get(s.nos[first])
    for k in range(first + 1, len(s.starts)):
        i = s.starts[k]
        if i >= hi:
            break
        here = s.part_of.get(s.nos[k])
        if here != part:
            out.append((start, i))
            start, part = i, here
    out.append((start, hi))
    return out


def place(s: Stream, lo: int, hi: int) -> str:
    """Where lines lo..hi are in the reader's terms: the loader's 第5页第1段 (至 第6页第2段),
    else the lines of the file (txt, md): 第3行, 第3-5行."""
    first, last = s.where_of.get(lo), s.where_of.get(hi)
    if first:
        return first if not last or last == first else f"{first}至{last}"
    return f"第{lo}行" if lo == hi else f"第{lo}-{hi}行"


def excerpt(s: Stream, lo: int, hi: int, limit: int = 120) -> str:
    """The original text of lines lo..hi, cut to `limit` characters."""
    text = "".join(s.lines.get(n, "") for n in range(lo, hi + 1) if n in s.lines)
    return text if len(text) <= limit else text[:limit] + "…"


def compare(a: Stream, b: Stream, ha: Any = None, hb: Any = None) -> tuple[Pair, Any, Any]:
    """The exact comparison of two reports: (pair, a's covered mask, b's covered mask)."""
    np = _np()
    ha = shingles(a.text) if ha is None else ha
    hb = shingles(b.text) if hb is None else hb
    ma, mb = covered(ha, hb, len(a)), covered(hb, ha, len(b))
    passages = []
    for lo, hi in (piece for run in _runs(ma) for piece in _by_part(a, *run)):
        if hi - lo < MIN_PASSAGE:
            continue
        run = ha[lo:max(lo + 1, hi - K + 1)]
        where_b = np.flatnonzero(np.isin(hb, run))
        if not len(where_b):
            continue
        b_lo, b_hi = _longest_stretch(where_b)
        b_hi = min(b_hi + K - 1, len(b) - 1)
        a_lines = (a.line_of(lo), a.line_of(hi - 1))
        b_lines = (b.line_of(b_lo), b.line_of(b_hi))
        passages.append(Passage(
            chars=hi - lo, a_lines=a_lines, b_lines=b_lines, a_text=excerpt(a, *a_lines), b_text=excerpt(b, *b_lines),
            a_part=a.part_of.get(a_lines[0]), b_part=b.part_of.get(b_lines[0]),
            a_where=place(a, *a_lines), b_where=place(b, *b_lines)))
    passages.sort(key=lambda p: -p.chars)
    pair = Pair(a=a.path, b=b.path, share_a=round(float(ma.mean()), 3) if len(a) else 0.0,
                share_b=round(float(mb.mean()), 3) if len(b) else 0.0, passages=tuple(passages[:MAX_PASSAGES]))
    return pair, ma, mb


def signature_of(s: Stream) -> Any:
    """The MinHash signature of a report's comparable text (None when too short to compare)."""
    if len(s) < MIN_CHARS:
        return None
    return signature(shingles(s.text), _perms())


def find(texts: Iterable[Text], threshold: float, *, signatures: Mapping[str, Any] | None = None) -> Result:
    """Pairs sharing at least `threshold` of either report's text, and each report's share.
    `signatures` (path → signature) may come from the worker processes that read the reports;
    a sealed text is opened, and its shingle hashes computed again, only for a report in a
    candidate pair."""
    streams = [s for s in texts if len(s) >= MIN_CHARS]
    given = signatures or {}
    sigs = [given[s.path] if s.path in given else signature_of(s.open()) for s in streams]
    cands = candidate_pairs(sigs)
    todo = _plausible(sigs, sorted(cands))
    hashes: dict[int, Any] = {}
    opened: dict[int, Stream] = {}

    def stream(i: int) -> Stream:
        if i not in opened:
            opened[i] = streams[i].open()
        return opened[i]

    def hashed(i: int) -> Any:
        if i not in hashes:
            hashes[i] = shingles(stream(i).text)
        return hashes[i]

    union: dict[int, Any] = {}
    pairs = []
    for i, j in todo:
        pair, mi, mj = compare(stream(i), stream(j), hashed(i), hashed(j))
        union[i] = mi if i not in union else union[i] | mi
        union[j] = mj if j not in union else union[j] | mj
        if pair.share >= threshold:
            pairs.append(pair)
    shares = {s.path: round(float(union[i].mean()), 3) if i in union else 0.0 for i, s in enumerate(streams)}
    pairs.sort(key=lambda p: (-p.share, p.a, p.b))
    return Result(shares=shares, pairs=tuple(pairs), candidates=len(cands), compared=len(streams), exact=len(todo))


def _plausible(sigs: Sequence[Any], cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The candidates whose signatures agree on at least MIN_ESTIMATE of their values (the
    MinHash estimate of Jaccard similarity). Bands of two rows catch pairs sharing half their
    text almost surely, but also let through one unrelated pair in a thousand; this drops
    those before the exact comparison. A pair sharing half of a report three times its
    partner's size (Jaccard 0.14) still passes with 98 % probability."""
    if not cands:
        return []
    np = _np()
    matrix = np.stack(sigs)
    idx = np.array(cands)
    keep = np.empty(len(cands), dtype=bool)
    for lo in range(0, len(cands), 65536):  # bounded memory for huge batches
        part = idx[lo:lo + 65536]
        keep[lo:lo + 65536] = (matrix[part[:, 0]] == matrix[part[:, 1]]).mean(axis=1) >= MIN_ESTIMATE
    return [cands[k] for k in np.flatnonzero(keep)]
