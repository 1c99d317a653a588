"""Waivers: applied (status waived, reason shown, verdict and score recomputed), expired (no
longer applies, and says so), unused (reported), and matched by path glob or content sha256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES

from auditor.setup import waivers
from auditor.cli import main
from auditor.run.engine import audit_file
from auditor.models import Status
from auditor.setup.waivers import Waiver

BAD = FIXTURES / "reports/plan_none.txt"  # fails AR203 only
GOOD = FIXTURES / "reports/compliant.txt"
TODAY = dt.date(2025, 1, 10)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def waiver(**kw: Any) -> Waiver:
    base: dict[str, Any] = {"rule": "AR203", "reason": "整改方案另行报送", "approved_by": "区司法局 张三",
                            "path": "*.txt", "source": "auditor.yaml", "key": "waivers.0"}
    return Waiver(**{**base, **kw})


def result_of(card: Any, rule: str) -> Any:
    return next(r for r in card.results if r.rule == rule)


def test_active_waiver_turns_a_failure_into_waived(packs: Any) -> None:
    card = audit_file(str(BAD), packs)
    assert card.verdict == "fail"
    (out,), notes = waivers.apply([card], [waiver(expires=dt.date(2025, 1, 10))], today=TODAY)
    r = result_of(out, "AR203")
    assert r.status is Status.WAIVED and r.hint is None
    assert r.message == "已豁免：整改方案另行报送（批准：区司法局 张三，有效期至2025-01-10）"
    # AR207 still warns (“无。” answers no shortcoming), and AR209 as on every draft
    assert out.verdict == "pass" and out.score == 97.7
    assert notes == []


def test_expired_waiver_no_longer_applies_and_says_so(packs: Any) -> None:
    card = audit_file(str(BAD), packs)
    (out,), notes = waivers.apply([card], [waiver(expires=dt.date(2025, 1, 9))], today=TODAY)
    r = result_of(out, "AR203")
    assert r.status is Status.FAIL and out.verdict == "fail"
    assert "豁免已于2025-01-09到期，不再适用：整改方案另行报送" in r.message
    assert notes == [(f"auditor.yaml: waivers.0: waiver of AR203 for *.txt expired on 2025-01-09 and no longer "
                      f"applies to {BAD}")]


def test_unused_waivers_are_reported(packs: Any) -> None:
    cards = [audit_file(str(GOOD), packs)]
    _, notes = waivers.apply(cards, [waiver(), waiver(path="other/*.docx", key="waivers.1")], today=TODAY)
    assert notes == [
        f"auditor.yaml: waivers.0: waiver of AR203 for *.txt is unused: the rule passes in {GOOD}",
        "auditor.yaml: waivers.1: waiver of AR203 for other/*.docx is unused: no audited report matched",
    ]


def test_sha256_follows_the_content_not_the_name(packs: Any) -> None:
    digest = hashlib.sha256(BAD.read_bytes()).hexdigest()
    card = audit_file(str(BAD), packs)
    from auditor.models import replace

    hashed = replace(card, path="renamed.txt", meta={**card.meta, "sha256": digest})
    (out,), _ = waivers.apply([hashed], [waiver(path=None, sha256=digest)], today=TODAY)
    assert result_of(out, "AR203").status is Status.WAIVED
    (out,), _ = waivers.apply([hashed], [waiver(path=None, sha256="0" * 64)], today=TODAY)
    assert result_of(out, "AR203").status is Status.FAIL


def test_path_globs_are_relative_to_the_config(tmp_path: Path) -> None:
    card_path = str(tmp_path / "reports/2023/a.txt")
    w = waiver(path="reports/**/a.txt", base=str(tmp_path))
    fake = type("C", (), {"path": card_path, "meta": {}})()
    assert w.matches(fake)
    assert not waiver(path="other/**/a.txt", base=str(tmp_path)).matches(fake)
    assert waiver(path="a.txt", base="/elsewhere").matches(fake)  # no "/": the name at any depth


def test_warnings_can_be_waived_and_errors_are_left_alone(packs: Any) -> None:
    warns = audit_file(str(FIXTURES / "seeds/000_ae009fae7ef3885b.txt"), packs)
    (out,), _ = waivers.apply([warns], [waiver(rule="AR106")], today=TODAY)
    assert result_of(out, "AR106").status is Status.WAIVED
    missing = audit_file("nope.txt", packs)
    assert waivers.apply([missing], [waiver(rule="AR106")], today=TODAY)[0] == [missing]


# --- end to end ------------------------------------------------------------------------------

def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_end_to_end_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    shutil.copy(BAD, tmp_path / "reports/bad.txt")
    shutil.copy(BAD, tmp_path / "reports/old.txt")
    digest = hashlib.sha256(BAD.read_bytes()).hexdigest()
    (tmp_path / "auditor.yaml").write_text(f"""\
waivers:
  - rule: AR203
    path: reports/bad.txt
    reason: 下一年度安排另行发文
    approved_by: 区委依法治区办
  - rule: AR203
    path: reports/old.txt
    reason: 旧的豁免
    approved_by: 李四
    expires: 2020-01-01
  - rule: AR105
    sha256: {digest}
    reason: 不需要
    approved_by: 王五
""", encoding="utf-8")
    result = run("check", "--format", "json", "reports")
    bad, old = json.loads(result.stdout)["reports"]
    ar203 = {r["path"]: next(x for x in r["results"] if x["rule"] == "AR203") for r in (bad, old)}
    assert ar203["reports/bad.txt"]["status"] == "waived"
    assert ar203["reports/bad.txt"]["message"] == "已豁免：下一年度安排另行发文（批准：区委依法治区办）"
    assert bad["verdict"] == "pass"
    assert ar203["reports/old.txt"]["status"] == "fail" and "到期，不再适用" in ar203["reports/old.txt"]["message"]
    assert result.exit_code == 1  # old.txt still fails
    assert "waivers.1: waiver of AR203 for reports/old.txt expired on 2020-01-01" in result.stderr
    assert "waivers.2: waiver of AR105 for sha256" in result.stderr and "the rule passes" in result.stderr


def test_text_output_shows_waived_with_the_reason(tmp_path: Path) -> None:
    shutil.copy(BAD, tmp_path / "bad.txt")
    (tmp_path / "auditor.yaml").write_text(
        "waivers:\n  - {rule: AR203, path: bad.txt, reason: 另行发文, approved_by: 张三}\n", encoding="utf-8")
    result = run("check", "--no-color", "--width", "120", "bad.txt")
    assert result.exit_code == 0
    assert "≈ 豁免" in result.stdout and "已豁免：另行发文（批准：张三）" in result.stdout
    assert "豁免 1" in result.stdout
