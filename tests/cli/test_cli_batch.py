"""Batches through the command line: directories, globs, excludes, -v, -j, the summary matrix,
-o FORMAT:PATH, and the fail policy's exit codes."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, invoke

from auditor.cli import main

GOOD = FIXTURES / "reports/compliant.txt"  # passes, 100
BAD = FIXTURES / "reports/plan_none.txt"  # fails AR203
WARNS = FIXTURES / "seeds/000_ae009fae7ef3885b.txt"  # passes with warnings (AR001, AR106, AR208, AR209)


pytestmark = pytest.mark.usefixtures("isolated")
run = invoke


def tree(root: Path) -> Path:
    """reports/ with two reports at two depths, a draft, an unsupported file and a lock file."""
    (root / "reports/sub").mkdir(parents=True)
    (root / "reports/drafts").mkdir()
    shutil.copy(GOOD, root / "reports/a.txt")
    shutil.copy(BAD, root / "reports/sub/b.txt")
    shutil.copy(WARNS, root / "reports/drafts/c.txt")
    (root / "reports/notes.xyz").write_text("x", encoding="utf-8")
    (root / "reports/~$a.docx").write_bytes(b"lock")
    return root / "reports"


def paths_of(result: Result) -> list[str]:
    return [r["path"] for r in json.loads(result.stdout)["reports"]]


def test_directory_recurses_in_stable_order_and_skips_silently(tmp_path: Path) -> None:
    tree(tmp_path)
    result = run("check", "--format", "json", "reports")
    assert paths_of(result) == ["reports/a.txt", "reports/drafts/c.txt", "reports/sub/b.txt"]
    assert result.exit_code == 1
    assert "notes.xyz" not in result.stderr


def test_verbose_names_skipped_files(tmp_path: Path) -> None:
    tree(tmp_path)
    result = run("check", "--format", "json", "-v", "reports")
    assert "skipped: reports/notes.xyz (unsupported type)" in result.stderr
    assert "skipped: reports/~$a.docx (Word lock file)" in result.stderr


def test_unsupported_file_named_explicitly_is_an_error_card(tmp_path: Path) -> None:
    tree(tmp_path)
    result = run("check", "--format", "json", "reports/notes.xyz", "reports/a.txt")
    doc = json.loads(result.stdout)
    assert [r["verdict"] for r in doc["reports"]] == ["error", "pass"]
    assert "不支持的文件类型" in doc["reports"][0]["error"]
    assert result.exit_code == 2


def test_globs_and_paths_mix(tmp_path: Path) -> None:
    tree(tmp_path)
    result = run("check", "--format", "json", "reports/**/b.txt", "reports/a.txt", "reports/*.xyz")
    # argument order, each sorted; a glob that yields no report (only unsupported files) says so
    assert paths_of(result) == ["reports/sub/b.txt", "reports/a.txt", "reports/*.xyz"]
    assert json.loads(result.stdout)["reports"][2]["error"].startswith("匹配到的路径中没有可检查的报告文件")


def test_glob_matching_nothing_is_an_entry_not_a_silent_gap(tmp_path: Path) -> None:
    result = run("check", "--format", "json", "nothing/*.txt")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["reports"][0] == {**json.loads(result.stdout)["reports"][0],
                                                      "path": "nothing/*.txt", "error": "没有与之匹配的文件"}


def test_exclude_by_name_and_by_path(tmp_path: Path) -> None:
    tree(tmp_path)
    assert paths_of(run("check", "--format", "json", "reports", "--exclude", "drafts")) == [
        "reports/a.txt", "reports/sub/b.txt"]
    assert paths_of(run("check", "--format", "json", "reports", "--exclude", "reports/sub/*.txt")) == [
        "reports/a.txt", "reports/drafts/c.txt"]
    # excludes apply to files named explicitly too (a pre-commit hook passes every changed file)
    assert paths_of(run("check", "--format", "json", "reports/a.txt", "reports/sub/b.txt", "--exclude", "b.*")) == [
        "reports/a.txt"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_parallel_output_equals_serial(tmp_path: Path, fmt: str) -> None:
    files = sorted(p for d in ("reports", "seeds") for p in (FIXTURES / d).iterdir())
    files.append(FIXTURES / "formats/000.docx")
    base = ["check", "--format", fmt, "--no-color", "--width", "120", "--no-cache", *files]
    serial, parallel = run(*base, "-j", "1"), run(*base, "-j", "2")
    assert serial.exit_code == parallel.exit_code == 1
    assert parallel.stdout == serial.stdout


def test_a_crashing_worker_costs_one_file_not_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.pool import batch

    real = batch.analyse_fresh

    def crash_on_b(path: str, digest: str | None, job: batch.Job, **kw: bool) -> object:
        if path.endswith("b.txt"):
            os._exit(70)  # what a segfaulting native parser does to a worker
        return real(path, digest, job, **kw)

    monkeypatch.setattr(batch, "analyse_fresh", crash_on_b)  # inherited by forked workers
    if __import__("multiprocessing").get_start_method() != "fork":
        pytest.skip("needs fork to carry the monkeypatch into workers")
    tree(tmp_path)
    result = run("check", "--format", "json", "-j", "2", "--no-cache", "reports")
    doc = json.loads(result.stdout)
    assert [r["path"] for r in doc["reports"]] == ["reports/a.txt", "reports/drafts/c.txt", "reports/sub/b.txt"]
    assert [r["verdict"] for r in doc["reports"]] == ["pass", "pass", "error"]
    assert "进程异常退出" in doc["reports"][2]["error"]
    assert result.exit_code == 2


def test_summary_matrix_and_sort_by_score(tmp_path: Path) -> None:
    result = run("check", "--summary", "--no-color", "--width", "170", "--sort", "score", GOOD, BAD, WARNS,
                 tmp_path / "missing.txt")
    out = result.stdout
    assert "文件：" not in out  # no per-report scorecards with --summary
    assert "汇总：法治政府建设年度报告（annual）" in out and "通过率%" in out
    rows = [ln for ln in out.splitlines() if ln.startswith(str(FIXTURES))]
    assert [r.split()[0] for r in rows] == [str(BAD), str(WARNS), str(GOOD)]  # lowest score first
    assert "✘" in rows[0] and "⚠" in rows[1] and "✔" in rows[2]
    assert "无法检查" in out and "文件不存在" in out
    assert "共 4 份：合格 2，不合格 1，无法检查 1" in out


def test_narrow_console_lists_failing_rules_instead(tmp_path: Path) -> None:
    out = run("check", "--summary", "--no-color", "--width", "70", GOOD, BAD).stdout
    assert "未通过的规则" in out and "✘AR203" in out and "通过率：" in out


def test_several_outputs_in_one_run(tmp_path: Path) -> None:
    result = run("check", GOOD, BAD, "--no-color", "-o", "json:out/r.json", "-o", "xlsx:out/r.xlsx",
                 "-o", "text:out/r.txt")
    assert result.exit_code == 1
    assert "汇总" in result.stdout  # stdout keeps the text scorecards
    assert json.loads((tmp_path / "out/r.json").read_text(encoding="utf-8"))["summary"]["reports"] == 2
    assert zipfile.is_zipfile(tmp_path / "out/r.xlsx")  # written as bytes
    assert "结论：不合格" in (tmp_path / "out/r.txt").read_text(encoding="utf-8")


def test_binary_format_to_stdout_and_bad_output_spec(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(GOOD), "-o", "xlsx:-"])
    assert result.stdout_bytes[:2] == b"PK"
    assert run("check", GOOD, "-o", "nosuch:x").exit_code == 2
    assert run("check", GOOD, "-o", "json").exit_code == 2


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    tree(tmp_path)
    assert "审查中" not in run("check", "--format", "json", "reports").stderr


@pytest.mark.parametrize(("args", "code"), [
    ([GOOD], 0),
    ([BAD], 1),
    ([WARNS], 0),
    ([WARNS, "--fail-on", "warning"], 1),
    ([WARNS, "--min-score", "98"], 1),
    ([WARNS, "--min-score", "95"], 0),
    ([BAD, "--exit-zero"], 0),
    ([GOOD, "missing.txt", "--exit-zero"], 2),  # an input that cannot be audited is not waved through
    ([BAD, "--fail-on", "nosuch"], 2),
])
def test_exit_codes_of_the_fail_policy(args: list[str | Path], code: int) -> None:
    assert run("check", "--format", "json", *args).exit_code == code


def test_policy_failure_of_a_passing_report_is_explained(tmp_path: Path) -> None:
    result = run("check", "--format", "json", WARNS, "--min-score", "98")
    assert "fails the policy: score 95.3 < 98 (--min-score)" in result.stderr
