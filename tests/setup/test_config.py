"""Configuration: discovery (upward, --config, pyproject), schema errors naming file and key,
what each key does, and extra rule files merged into the packs."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURES, invoke

from auditor.setup import config
from auditor.errors import ConfigError

GOOD = FIXTURES / "reports/compliant.txt"
BAD = FIXTURES / "reports/plan_none.txt"  # fails AR203
WARNS = FIXTURES / "seeds/000_ae009fae7ef3885b.txt"  # warns AR001, AR106


pytestmark = pytest.mark.usefixtures("isolated")
run = invoke


def statuses(result: Result) -> dict[str, str]:
    return {r["rule"]: r["status"] for r in json.loads(result.stdout)["reports"][0]["results"]}


# --- discovery -------------------------------------------------------------------------------

def test_found_upward_from_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.yaml").write_text("disable: [AR203]\n", encoding="utf-8")
    (tmp_path / "a/b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a/b")
    result = run("check", "--format", "json", BAD)
    assert result.exit_code == 0 and "AR203" not in statuses(result)


def test_yaml_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\ndisable = ["AR001"]\n', encoding="utf-8")
    (tmp_path / ".auditor.yaml").write_text("disable: [AR203]\n", encoding="utf-8")
    found = config.find(str(tmp_path))
    assert found is not None and found[0].endswith(".auditor.yaml")


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.auditor]\ndisable = ["AR203"]\nmin_score = 50\n', encoding="utf-8")
    result = run("check", "--format", "json", BAD)
    assert result.exit_code == 0 and "AR203" not in statuses(result)


def test_pyproject_without_section_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.yaml").write_text("disable: [AR203]\n", encoding="utf-8")
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj/pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    found = config.find(str(tmp_path / "proj"))
    assert found is not None and found[0] == str(tmp_path / "auditor.yaml")


def test_pyproject_without_a_toml_parser_is_ignored_with_a_note(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\ndisable = ["AR203"]\n', encoding="utf-8")
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10 without tomli
    monkeypatch.setitem(sys.modules, "tomli", None)
    notes: list[str] = []
    assert config.find(str(tmp_path), notes) is None
    assert "needs Python 3.11+ or the 'tomli' package" in notes[0]


def test_explicit_config_wins_and_must_exist(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("disable: [AR001]\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("disable: [AR203]\n", encoding="utf-8")
    result = run("check", "--format", "json", "--config", "other.yaml", BAD)
    assert result.exit_code == 0 and "AR001" in statuses(result)
    missing = run("check", "--config", "nope.yaml", BAD)
    assert missing.exit_code == 2 and "nope.yaml: configuration file not found" in missing.stderr


def test_no_config_means_defaults(tmp_path: Path) -> None:
    assert config.find(str(tmp_path)) is None or not str(config.find(str(tmp_path))[0]).startswith(str(tmp_path))
    assert run("check", "--format", "json", BAD).exit_code == 1


# --- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "key", "says"), [
    ("deadline: 4-1\n", "deadline", "MM-DD"),
    ("disable: [ar1]\n", "disable.0", "not a rule id"),
    ("severity: {AR106: fatal}\n", "severity.AR106", "is not one of"),
    ("severity: {ar106: error}\n", "severity.ar106", "not a rule id"),
    ("waiver: []\n", "waiver", "did you mean 'waivers'"),
    ("fail_on: always\n", "fail_on", "is not one of"),
    ("min_score: 120\n", "min_score", "maximum"),
    ("waivers:\n  - {rule: AR203, path: x, approved_by: me}\n", "waivers.0.reason", "is required"),
    ("waivers:\n  - {rule: AR203, path: x, reason: '  ', approved_by: me}\n", "waivers.0.reason", "empty"),
    ("waivers:\n  - {rule: AR203, reason: r, approved_by: me}\n", "waivers.0", "exactly one of"),
    ("waivers:\n  - {rule: AR203, sha256: abc, reason: r, approved_by: me}\n", "waivers.0.sha256", "64 hex"),
    ("waivers:\n  - {rule: AR203, path: x, reason: r, approved_by: me, expires: '2025-13-01'}\n",
     "waivers.0.expires", "not a date"),
    ("disable: [AR999]\n", "disable.0", "unknown rule AR999"),
    ("pack: nosuch\n", "pack", "unknown pack"),
    ("waivers:\n  - {rule: AR999, path: x, reason: r, approved_by: me}\n", "waivers.0.rule", "unknown rule"),
])
def test_errors_name_file_and_key(tmp_path: Path, body: str, key: str, says: str) -> None:
    (tmp_path / "auditor.yaml").write_text(body, encoding="utf-8")
    result = run("check", GOOD)
    assert result.exit_code == 2
    assert f"{tmp_path / 'auditor.yaml'}: key '{key}':" in result.stderr
    assert says in result.stderr


def test_pyproject_errors_name_the_toml_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.auditor]\nfail_on = "never"\n', encoding="utf-8")
    result = run("check", GOOD)
    assert result.exit_code == 2 and "pyproject.toml: key 'tool.auditor.fail_on'" in result.stderr


def test_invalid_yaml_and_non_mapping(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("pack: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in run("check", GOOD).stderr
    (tmp_path / "auditor.yaml").write_text("- a\n- b\n", encoding="utf-8")
    assert "must be a mapping" in run("check", GOOD).stderr


def test_validated_config_is_cached_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "auditor.yaml"
    path.write_text("disable: [AR203]\n", encoding="utf-8")
    assert config.load(str(path)).disable == ("AR203",)
    monkeypatch.setattr(config, "validate", lambda *a, **k: pytest.fail("validated again"))
    assert config.load(str(path)).disable == ("AR203",)
    path.write_text("disable: [AR001]\n", encoding="utf-8")  # new content: validated again
    with pytest.raises(pytest.fail.Exception):
        config.load(str(path))


# --- what the keys do ----------------------------------------------------------------------

def test_disable_severity_pack_deadline(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text(
        'pack: annual\ndeadline: "03-01"\ndisable: [AR001]\nseverity: {AR106: error}\n', encoding="utf-8")
    result = run("check", "--format", "json", WARNS)
    st = statuses(result)
    assert "AR001" not in st and st["AR106"] == "fail"
    assert st["AR303"] == "fail"  # dated 2024-03-04: late for a 03-01 deadline
    # the command line wins over the config
    assert statuses(run("check", "--format", "json", "--deadline", "04-01", WARNS))["AR303"] == "pass"


def test_fail_policy_keys(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("fail_on: warning\n", encoding="utf-8")
    assert run("check", "--format", "json", WARNS).exit_code == 1
    assert run("check", "--format", "json", WARNS, "--fail-on", "error").exit_code == 0
    (tmp_path / "auditor.yaml").write_text("min_score: 99\n", encoding="utf-8")
    assert run("check", "--format", "json", WARNS).exit_code == 1
    assert run("check", "--format", "json", WARNS, "--min-score", "90").exit_code == 0


def test_include_and_exclude_are_relative_to_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "reports/old").mkdir(parents=True)
    shutil.copy(GOOD, tmp_path / "reports/a.txt")
    shutil.copy(BAD, tmp_path / "reports/old/b.txt")
    (tmp_path / "auditor.yaml").write_text('include: ["reports"]\nexclude: ["reports/old/**"]\n', encoding="utf-8")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    result = run("check", "--format", "json")
    assert [r["path"] for r in json.loads(result.stdout)["reports"]] == ["../reports/a.txt"]
    assert result.exit_code == 0


def test_no_paths_and_no_include_is_a_usage_error() -> None:
    result = run("check")
    assert result.exit_code == 2 and "no paths given" in result.stderr


# --- extra rule files ----------------------------------------------------------------------

RULE = """\
  - id: {id}
    name: mentions-review
    kind: pattern_present
    severity: error
    title: 写明合法性审查情况
    message: 未写明合法性审查情况
    hint: 写明重大行政决策、规范性文件的合法性审查情况。
    rationale: 本省实施办法要求报告合法性审查情况。
    reference: {{document: 《某省法治政府建设实施办法》, article: 第十条}}
    params: {{patterns: ["数字法治一张网"]}}
    examples:
      pass: ["一、主要举措和成效\\n建成数字法治一张网。"]
      fail: ["一、主要举措和成效\\n开展普法12场。"]
"""


def province(tmp_path: Path, head: str = "pack: annual\nname: 某省补充规则\n", rid: str = "SC101") -> None:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules/province.yaml").write_text(head + "rules:\n" + RULE.format(id=rid), encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("rule_files: [rules/province.yaml]\n", encoding="utf-8")


def test_rule_file_with_an_existing_pack_id_adds_rules_to_it(tmp_path: Path) -> None:
    province(tmp_path)
    result = run("check", "--format", "json", GOOD)
    st = statuses(result)
    assert st["SC101"] == "fail" and st["AR203"] == "pass"  # the shipped rules still run
    assert result.exit_code == 1
    assert "SC101" in run("rules", "--pack", "annual").stdout


def test_rule_file_with_a_new_pack_id_adds_a_report_type(tmp_path: Path) -> None:
    province(tmp_path, head="pack: province\nname: 某省报告\n")
    result = run("check", "--format", "json", "--pack", "province", GOOD)
    report = json.loads(result.stdout)["reports"][0]
    assert report["pack"] == "province" and [r["rule"] for r in report["results"]] == ["SC101"]


def test_rule_file_may_not_redefine_a_shipped_rule(tmp_path: Path) -> None:
    province(tmp_path, rid="AR203")
    result = run("check", GOOD)
    assert result.exit_code == 2 and "rule AR203: already defined in pack 'annual'" in result.stderr


def test_rule_file_adding_to_a_pack_keeps_its_roles(tmp_path: Path) -> None:
    province(tmp_path, head="pack: annual\nname: x\nroles:\n  - {name: plan, title: 安排, headings: [安排]}\n")
    result = run("check", GOOD)
    assert result.exit_code == 2 and "remove 'roles', 'year' and 'detect'" in result.stderr


def test_invalid_rule_file_names_file_rule_and_key(tmp_path: Path) -> None:
    province(tmp_path)
    path = tmp_path / "rules/province.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("severity: error", "severity: fatal"), encoding="utf-8")
    result = run("check", GOOD)
    assert result.exit_code == 2
    assert "province.yaml:7:15: rule SC101: key 'severity': 'fatal' is not one of: error, warning" in result.stderr


def test_config_errors_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        config.validate({"nosuch": 1}, "x.yaml")
