"""What a new user meets first on the command line: stdin, binary output on a terminal, --help."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import main

from conftest import FIXTURES

pytestmark = pytest.mark.usefixtures("isolated")
GOOD = FIXTURES / "reports/compliant.txt"


def run(*args: str, stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_dash_reads_a_text_report_from_stdin() -> None:
    result = run("check", "--format", "json", "-", stdin=GOOD.read_bytes())
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["reports"][0]
    assert report["path"] == "<stdin>" and report["verdict"] == "pass" and report["report_year"] == 2023


def test_stdin_filename_names_the_report_and_chooses_the_format() -> None:
    docx = FIXTURES / "formats/compliant.docx"
    result = run("check", "--no-color", "--stdin-filename", "drafts/草稿.docx", "-", stdin=docx.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("文件：drafts/草稿.docx\n") and "结论：合格" in result.stdout


def test_stdin_among_files_keeps_its_place() -> None:
    bad = str(FIXTURES / "reports/plan_none.txt")
    result = run("check", "--format", "json", bad, "-", str(GOOD), stdin=GOOD.read_bytes())
    assert [r["path"] for r in json.loads(result.stdout)["reports"]] == [bad, "<stdin>", str(GOOD)]


def test_empty_stdin_is_an_unreadable_report() -> None:
    result = run("check", "--format", "json", "-", stdin=b"")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["reports"][0]["error"] == "文件为空"


def test_stdin_twice_is_a_usage_error() -> None:
    assert run("check", "-", "-", stdin=b"x").exit_code == 2


def test_xlsx_is_refused_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import auditor.cli.check

    monkeypatch.setattr(auditor.cli.check, "_stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(main, ["check", "--format", "xlsx", str(GOOD)])
    assert result.exit_code == 2 and "-o xlsx:PATH" in result.output
    assert CliRunner().invoke(main, ["check", "-o", "xlsx:-", str(GOOD)]).exit_code == 2
    ok = CliRunner().invoke(main, ["check", "--no-color", "-o", f"xlsx:{tmp_path / 'r.xlsx'}", str(GOOD)])
    assert ok.exit_code == 0 and (tmp_path / "r.xlsx").read_bytes().startswith(b"PK")


def test_xlsx_to_a_pipe_is_written() -> None:
    result = CliRunner().invoke(main, ["check", "--format", "xlsx", str(GOOD)])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"PK")


def test_help_lists_every_pack_and_the_exit_codes(packs: Any) -> None:
    for command in (["check", "--help"], ["--help"]):
        out = " ".join(run(*command).stdout.split())  # click wraps the help text
        assert "Exit status:" in out and "0 every report passes" in out and "1 at least one report fails" in out
        assert "2 usage error" in out
    check_help = " ".join(run("check", "--help").stdout.split())
    pack_help = check_help[check_help.index("--pack"):check_help.index("--with")]
    with_help = check_help[check_help.index("--with"):check_help.index("--deadline")]
    for pack in packs.values():
        assert f"{pack.id} ({pack.name})" in (with_help if pack.addon else pack_help)
    assert "--stdin-filename" in check_help
