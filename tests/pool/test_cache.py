"""The batch cache: a second run is served from it (with identical output), and anything a
result depends on (content, rules, options, code) makes a miss; --no-cache never touches it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, invoke

from auditor.run import engine
from auditor.pool import batch, cache
from auditor import loaders
from auditor.run.engine import AuditOptions


pytestmark = pytest.mark.usefixtures("isolated")
run = invoke


def batch_dir(tmp_path: Path) -> Path:
    d = tmp_path / "batch"
    d.mkdir()
    for name in ("compliant.txt", "plan_none.txt", "no_signature.txt"):
        shutil.copy(FIXTURES / "reports" / name, d / name)
    shutil.copy(FIXTURES / "formats/000.docx", d / "r.docx")
    return d


def forbid_auditing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a: Any, **k: Any) -> Any:
        raise AssertionError("audited again instead of using the cache")

    monkeypatch.setattr(engine, "analyse_raw", boom)
    monkeypatch.setattr(loaders, "load", boom)


def test_second_run_is_served_from_the_cache_with_identical_output(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    d = batch_dir(tmp_path)
    first = run("check", "--format", "json", "-j", "1", d)
    forbid_auditing(monkeypatch)
    second = run("check", "--format", "json", "-j", "1", d)
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 1
    text = run("check", "--no-color", "--width", "120", "-j", "1", d)
    assert "汇总" in text.stdout


def test_hits_are_counted(packs: Any, tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    files = sorted(str(p) for p in d.iterdir())
    options = AuditOptions()
    stats = [batch.Stats(), batch.Stats()]
    for s in stats:
        job = batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options))
        batch.run(files, job, jobs=1, stats=s)
    assert (stats[0].cache_hits, stats[1].cache_hits) == (0, 4)


def test_a_renamed_copy_hits_and_keeps_its_own_path(packs: Any, tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    options = AuditOptions()
    job = batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options))
    card, hit = batch.audit_one(str(d / "plan_none.txt"), job)
    shutil.copy(d / "plan_none.txt", d / "renamed.txt")
    again, hit2 = batch.audit_one(str(d / "renamed.txt"), job)
    assert (hit, hit2) == (False, True)
    assert again.path == str(d / "renamed.txt") and again.results == card.results


@pytest.mark.parametrize("change", ["content", "deadline", "disable", "pack"])
def test_what_a_result_depends_on_makes_a_miss(packs: Any, tmp_path: Path, change: str) -> None:
    d = batch_dir(tmp_path)
    f = str(d / "compliant.txt")
    options = AuditOptions()
    job = batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options))
    batch.audit_one(f, job)
    job.cache.flush()
    if change == "content":
        Path(f).write_text(Path(f).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        options = {"deadline": AuditOptions(deadline="03-01"), "disable": AuditOptions(disabled=frozenset({"AR001"})),
                   "pack": AuditOptions(pack="annual")}[change]
    _, hit = batch.audit_one(f, batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options)))
    assert not hit


def test_rule_changes_miss_results_but_reuse_extracted_text(packs: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    d = batch_dir(tmp_path)
    f = str(d / "r.docx")
    job = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()))
    first, _ = batch.audit_one(f, job)
    job.cache.flush()
    monkeypatch.setattr(loaders, "load", lambda *a, **k: pytest.fail("extracted the docx again"))
    options = AuditOptions(disabled=frozenset({"AR001"}))
    c = cache.open_cache(packs, options)
    card, hit = batch.audit_one(f, batch.Job(packs=packs, options=options, cache=c))
    assert not hit and c.text_hits == 1
    assert [r for r in first.results if r.rule != "AR001"] == list(card.results)


def test_code_changes_change_the_key(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.code_fingerprint()
    monkeypatch.setattr(cache, "__version__", "999")
    assert cache.code_fingerprint() != before


def test_data_files_change_the_key(packs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A result also depends on rules/data/ (AR206's dated events) and the kinds file: editing
    one must not serve results computed with the old data."""
    from auditor.packs import kinds

    rules = tmp_path / "rules"
    shutil.copytree(Path(kinds.kinds_file()).parents[1] / "kinds", rules / "kinds")
    shutil.copytree(Path(kinds.kinds_file()).parents[1] / "data", rules / "data")
    monkeypatch.setattr(kinds, "kinds_file", lambda: rules / "kinds" / "not-reports.yaml")
    options = AuditOptions()
    before = cache.salt(packs, options, "code")
    events = rules / "data" / "events.json"
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache.salt(packs, options, "code") != before


def test_damaged_entries_are_misses(packs: Any, tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    f = str(d / "compliant.txt")
    job = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()))
    good, _ = batch.audit_one(f, job)
    job.cache.flush()
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    for damage in ('{"path": 1', '{"path": "x", "verdict": "pass"}', "[]", "null"):  # cut short; wrong shapes
        with db:
            assert db.execute("UPDATE results SET card=?", (damage,)).rowcount == 1
        card, hit = batch.audit_one(f, job)
        assert not hit and card == good
        job.cache.flush()  # the miss is rewritten
        again, hit = batch.audit_one(f, job)
        assert hit and again == good
    db.close()


def test_a_damaged_database_file_is_replaced(packs: Any, tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    f = str(d / "compliant.txt")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache/results.sqlite3").write_bytes(b"this is not a database" * 100)
    job = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()))
    good, hit = batch.audit_one(f, job)
    job.cache.flush()
    assert not hit and good.verdict != "error"
    job2 = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()))
    assert batch.audit_one(f, job2) == (good, True)


def test_two_concurrent_runs_share_the_cache(tmp_path: Path) -> None:
    """Two processes write the same database at once: both finish, and a third run is all hits."""
    import subprocess
    import sys

    d = batch_dir(tmp_path)
    for i in range(30):
        shutil.copy(FIXTURES / "reports" / "compliant.txt", d / f"copy{i}.txt")
        with open(d / f"copy{i}.txt", "a", encoding="utf-8") as fh:
            fh.write(f"\n附{i}")
    cmd = [sys.executable, "-m", "auditor", "check", "--format", "json", "-j", "2", str(d)]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in runs]
    assert all(p.returncode == 1 for p in runs), [o[1][-500:] for o in outs]
    assert outs[0][0] == outs[1][0]
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    assert db.execute("SELECT count(*) FROM results").fetchone() == (34,)  # both runs' cards, once each
    db.close()
    third = subprocess.run(cmd, capture_output=True, timeout=300)
    assert third.stdout == outs[0][0]


def test_errors_are_not_cached(packs: Any, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello world, no Chinese here", encoding="utf-8")
    job = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()))
    assert batch.audit_one(str(bad), job)[0].verdict == "error"
    job.cache.flush()
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    assert db.execute("SELECT count(*) FROM results").fetchone() == (0,)
    db.close()


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = batch_dir(tmp_path)
    run("check", "--format", "json", "--no-cache", d)
    assert not (tmp_path / "cache/results.sqlite3").exists()
    assert list((tmp_path / "cache").glob("pack-*.json"))  # validated packs are cached all the same
    run("check", "--format", "json", d)
    assert (tmp_path / "cache/results.sqlite3").exists()
    calls = tmp_path / "calls.log"  # documents are audited in worker processes: count them in a file
    real = engine.analyse_raw

    def counted(raw: Any, *a: Any, **k: Any) -> Any:
        with open(calls, "a", encoding="utf-8") as fh:
            fh.write(raw.path + "\n")
        return real(raw, *a, **k)

    monkeypatch.setattr(engine, "analyse_raw", counted)
    run("check", "--format", "json", "--no-cache", "-j", "1", d)
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 4


def test_a_single_file_run_does_not_use_the_cache(tmp_path: Path) -> None:
    run("check", "--format", "json", FIXTURES / "reports/compliant.txt")
    assert not (tmp_path / "cache/results.sqlite3").exists()


def test_cached_run_in_parallel_equals_serial(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    serial = run("check", "--format", "json", "-j", "1", "--no-cache", d).stdout
    run("check", "--format", "json", "-j", "2", d)
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    assert db.execute("SELECT count(*) FROM results").fetchone() == (4,)  # every worker committed its share
    db.close()
    assert run("check", "--format", "json", "-j", "2", d).stdout == serial
    assert json.loads(serial)["summary"]["reports"] == 4


def test_old_generations_are_pruned(packs: Any, tmp_path: Path) -> None:
    f = str(batch_dir(tmp_path) / "compliant.txt")
    for i in range(cache.KEEP + 3):
        options = AuditOptions(deadline=f"03-{i + 1:02d}")
        job = batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options))
        batch.audit_one(f, job)
        job.cache.flush()
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    salts = {s for (s,) in db.execute("SELECT DISTINCT salt FROM results")}
    db.close()
    assert len(salts) == cache.KEEP and job.cache.salt in salts


def test_many_cards_are_read_together_and_damage_is_still_a_miss(packs: Any, tmp_path: Path) -> None:
    """`cards` (what a batch uses) finds what `card` finds, for many digests in one query."""
    d = batch_dir(tmp_path)
    files = sorted(str(p) for p in d.iterdir())
    options = AuditOptions()
    job = batch.Job(packs=packs, options=options, cache=cache.open_cache(packs, options))
    first = batch.run(files, job, jobs=1)
    job.cache.flush()
    digests = [cache.file_digest(f) for f in files]
    c = cache.open_cache(packs, options)
    assert c is not None
    found = c.cards([*digests, digests[0], "0" * 64])  # a repeat, and one never cached
    assert set(found) == set(digests) and (c.hits, c.misses) == (len(digests) + 1, 1)
    assert [batch._stamp(found[dg], f, dg) for dg, f in zip(digests, files)] == first
    db = sqlite3.connect(tmp_path / "cache/results.sqlite3")
    with db:
        db.execute("UPDATE results SET card='{\"path\": 1' WHERE digest=?", (digests[1],))
    db.close()
    again = cache.open_cache(packs, options).cards(digests)  # type: ignore[union-attr]
    assert set(again) == set(digests) - {digests[1]}
