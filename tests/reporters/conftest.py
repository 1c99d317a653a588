"""Scorecards for the reporter tests, made by really auditing the seed reports.

`cards`: the three seed reports (000 passes, 002 and 004 fail) plus an empty file that cannot be
checked (verdict "error"), with paths as a user would give them, relative to the repository.
Expectations are derived from the cards where they depend on the checks' current judgement
(verdicts, scores, which rules warn), so tuning a check does not break the format tests;
tests/test_fixtures.py is where the seeds' verdicts are pinned.
`waived_cards`: the same batch with one failed rule of 004 waived, as a waiver in the config
would do (the engine's waivers are built elsewhere; the reporters only read the status).
"""

from __future__ import annotations

from auditor.models import replace
import io
from pathlib import Path
from typing import Any, Mapping, Sequence

import pytest

from auditor.run.engine import audit_file
from auditor.models import Scorecard, Status
from auditor.reporters import ReportContext, get
from auditor.run.scoring import score, verdict

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("000_ae009fae7ef3885b.txt", "002_84eb398e434a8021.txt", "004_c31362d728184ceb.txt")
SEED_PATHS = tuple(f"fixtures/seeds/{name}" for name in SEEDS)
EMPTY_PATH = "reports/empty.txt"
WAIVER_REASON = "本区规定第五部分可省略（批准：区司法局）"


@pytest.fixture(scope="session")
def cards(packs: Mapping[str, Any], tmp_path_factory: pytest.TempPathFactory) -> list[Scorecard]:
    out = [replace(audit_file(str(ROOT / p), packs), path=p) for p in SEED_PATHS]
    empty = tmp_path_factory.mktemp("reports") / "empty.txt"
    empty.write_bytes(b"")
    out.append(replace(audit_file(str(empty), packs), path=EMPTY_PATH))
    assert out[-1].verdict == "error"
    return out


def waive(card: Scorecard, rule: str, reason: str = WAIVER_REASON) -> Scorecard:
    results = tuple(replace(r, status=Status.WAIVED, message=reason, hint=None)
                    if r.rule == rule else r for r in card.results)
    return replace(card, results=results, verdict=verdict(results), score=score(results))


@pytest.fixture(scope="session")
def waived_cards(cards: list[Scorecard]) -> list[Scorecard]:
    return [waive(c, "AR105") if c.path.startswith("fixtures/seeds/004") else c for c in cards]


@pytest.fixture(scope="session")
def ctx(packs: Mapping[str, Any]) -> ReportContext:
    return ReportContext(packs=packs)


def render(name: str, cards: Sequence[Scorecard], ctx: Any = None) -> Any:
    """A format's output as str (bytes for binary formats)."""
    module = get(name)
    buf: Any = io.BytesIO() if module.BINARY else io.StringIO()
    module.write(cards, buf, ctx=ctx)
    return buf.getvalue()


def verdicts(cards: Sequence[Scorecard]) -> list[str]:
    return [c.verdict for c in cards]


def summary(cards: Sequence[Scorecard]) -> str:
    n = {v: sum(c.verdict == v for c in cards) for v in ("pass", "fail", "error")}
    return f"共 {len(cards)} 份：合格 {n['pass']}，不合格 {n['fail']}，无法检查 {n['error']}"


def by_path(cards: Sequence[Scorecard], path: str) -> Scorecard:
    return next(c for c in cards if c.path == path)
