"""End to end through click: exit codes, formats, several files, bad input in a batch."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from auditor.cli import main

from conftest import FIXTURES, ROOT

SCHEMA = json.loads((ROOT / "auditor/schema/report.schema.json").read_text(encoding="utf-8"))
GOOD = str(FIXTURES / "reports/compliant.txt")
BAD = str(FIXTURES / "reports/plan_none.txt")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_passing_report_exits_0() -> None:
    code, out = run("check", "--no-color", "--width", "120", GOOD)
    assert code == 0
    # compliant.txt passes with one warning (AR209: no 应诉 or 调解 figures in part 1)
    assert "结论：合格" in out and "得分：98.8 / 100" in out and "AR203" in out


def test_failing_report_exits_1_and_explains() -> None:
    code, out = run("check", "--no-color", "--width", "160", BAD)
    assert code == 1
    assert "结论：不合格" in out
    assert "✘ 不合格" in out and "只写了“无。”" in out
    assert "修改建议：" in out and "依据：《法治政府建设与责任落实督察工作规定》" in out


def test_json_contract_validates() -> None:
    code, out = run("check", "--format", "json", GOOD, BAD, str(FIXTURES / "seeds"))
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"] == {"reports": 5, "passed": 2, "failed": 3, "errors": 0}
    first = doc["reports"][0]
    assert first["pack"] == "annual" and first["report_year"] == 2023 and first["verdict"] == "pass"
    assert [r["rule"] for r in first["results"]][:3] == ["AR001", "AR002", "AR101"]


def test_unreadable_input_exits_2_and_others_still_audited(tmp_path: Path) -> None:
    code, out = run("check", "--format", "json", GOOD, str(tmp_path / "nope.txt"), BAD)
    assert code == 2
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert [r["verdict"] for r in doc["reports"]] == ["pass", "error", "fail"]
    assert doc["reports"][1]["error"] == "文件不存在"


def test_several_files_get_a_summary_table() -> None:
    code, out = run("check", "--no-color", "--width", "160", GOOD, BAD)
    assert code == 1
    assert "汇总" in out and "共 2 份：合格 1，不合格 1，无法检查 0" in out


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--deadline", "4-1", GOOD], ["check", "--pack", "nosuch", GOOD],
    ["check", "--format", "nosuch", GOOD], ["nosuch"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2


def test_deadline_flag() -> None:
    assert run("check", "--deadline", "03-01", GOOD)[0] == 1


def test_deadline_flag_sets_submission_only() -> None:
    """A page dated 2024-03-08 and published 2024-03-12: late for a 03-01 submission deadline
    (AR303), yet published by 4月1日 (AR304), which binds every body whatever `--deadline` says."""
    code, out = run("check", "--format", "json", "--deadline", "03-01", str(FIXTURES / "formats/compliant.html"))
    got = {r["rule"]: r["status"] for r in json.loads(out)["reports"][0]["results"]}
    assert code == 1 and (got["AR303"], got["AR304"]) == ("fail", "pass")


def test_bad_rule_file_stops_the_run_with_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.packs.ruleset as ruleset

    (tmp_path / "bad.yaml").write_text("pack: bad\nname: 坏\nrules:\n  - id: AR999\n", encoding="utf-8")
    monkeypatch.setattr(ruleset, "BUILTIN_DIR", tmp_path)
    code, out = run("check", GOOD)
    assert code == 2
    assert "bad.yaml" in out and "AR999" in out


def test_never_writes_to_the_documents(tmp_path: Path) -> None:
    import hashlib
    import os

    files = sorted(p for d in ("seeds", "reports") for p in (FIXTURES / d).iterdir())
    before = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns) for p in files}
    run("check", "--format", "json", *map(str, files))
    after = {p: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns) for p in files}
    assert before == after
