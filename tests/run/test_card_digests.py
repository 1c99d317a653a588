"""Every card stays what it was (issue 23: speed work must not change a single result). Each
document of the fixtures (every format), the development corpus and a slice of the benchmarks'
perf corpus is audited, its card (as plain data, the path made relative) hashed, and the hashes
compared with tests/golden/card_digests.txt. A change that legitimately alters cards (a new rule,
a better detection) regenerates it with UPDATE_GOLDEN=1 and says which cards moved."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Mapping

from auditor.pool.codec import card_to_plain
from auditor.run.engine import AuditOptions, audit_file

from conftest import FIXTURES, ROOT, check_golden

SUFFIXES = {".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm"}
PERF_REPORTS = 12  # the generated perf corpus cycles over the seeds: a few cycles cover it


def _documents(tmp: Path) -> list[tuple[str, Path]]:
    docs = [(str(p.relative_to(ROOT)), p) for p in sorted(FIXTURES.rglob("*"))
            if p.is_file() and p.suffix.lower() in SUFFIXES]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_batch import make_text
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    make_text(tmp / "perf", PERF_REPORTS)
    docs += [(f"perf/{p.name}", p) for p in sorted((tmp / "perf").iterdir())]
    return docs


def _digest(card: Any, name: str) -> str:
    plain = card_to_plain(card)
    plain["path"] = name
    blob = json.dumps(plain, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def test_every_card_is_unchanged(packs: Mapping[str, Any], tmp_path: Path) -> None:
    lines = [f"{name} {_digest(audit_file(str(path), packs, AuditOptions()), name)}"
             for name, path in _documents(tmp_path)]
    assert len(lines) > 150
    check_golden(ROOT / "tests" / "golden" / "card_digests.txt", "\n".join(lines) + "\n")
