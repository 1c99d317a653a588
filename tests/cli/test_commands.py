"""auditor rules, explain, validate-rules and init."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, check_golden, invoke

from auditor.checks import CHECK_KINDS
from auditor.setup import config
from auditor.packs.ruleset import builtin_pack_files, load_builtin_packs
from auditor.packs.validate import load_registry


pytestmark = pytest.mark.usefixtures("isolated")
run = invoke


def all_rules() -> list[Any]:
    return [(p.id, r.id) for p in load_builtin_packs().values() for r in p.rules]


def test_rules_lists_every_pack_by_default(packs: Any) -> None:
    out = run("rules").stdout
    for pack in packs.values():
        assert f"{pack.id}  {pack.name}" in out
        for rule in pack.rules:
            assert re.search(rf"^  {rule.id}\s+{rule.severity.value}\s+{re.escape(rule.title)}$", out, re.MULTILINE)


def test_rules_of_one_pack(packs: Any) -> None:
    out = run("rules", "--pack", "annual").stdout
    assert "AR203" in out and not any(r.id in out for p in packs.values() if p.id != "annual" for r in p.rules)
    assert run("rules", "--pack", "nosuch").exit_code == 2


@pytest.mark.parametrize(("pack_id", "rule_id"), all_rules())
def test_explain_covers_every_rule_of_every_pack(packs: Any, pack_id: str, rule_id: str) -> None:
    rule = packs[pack_id].rule(rule_id)
    result = run("explain", rule_id.lower())
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(f"{rule.id}  {rule.title}")
    assert f"规则包：{pack_id}" in out and f"依据：{rule.reference.document}{rule.reference.article or ''}\n" in out
    assert f"为什么：{rule.rationale}" in out and f"如何修改：{rule.hint}" in out
    assert f"不满足时：{rule.message}" in out
    assert ("严重程度：错误" if rule.severity.value == "error" else "严重程度：警告") in out
    ref = rule.reference
    assert ref.source is not None  # every shipped rule cites the registry (tests/packs/test_sources.py)
    registry = load_registry()
    for c in ref.clauses:  # each clause's wording as the registry has it, quoted; else what it is about
        entry = registry[ref.source]["clauses"][c.id]
        assert entry["confirmed"] is True
        if "text" in entry:
            assert f"原文：“{entry['text']}”\n" in out
        else:
            assert f"内容（概述，非原文）：{entry['about']}\n" in out and f"“{entry['about']}”" not in out
    if ref.note:
        assert f"    说明：{ref.note}\n" in out
    if ref.practice:
        assert f"参考（地方做法，不是全国性规定；本省有规定的以本省为准）：{ref.practice.document}" in out
    # no internals: English severities, kind names, slugs
    assert not re.search(r"\b(error|warning)\b", out) and rule.kind not in out and rule.name not in out
    assert "合格示例 1：" in out and "不合格示例 1：" in out
    first = rule.examples["pass"][0]
    if isinstance(first, str):
        assert f"    {first.splitlines()[0]}" in out
    else:  # a sample Word file shipped with the pack
        assert f"示例文件 {first.name}" in out


def test_explain_unknown_rule_suggests() -> None:
    result = run("explain", "AR2O3")
    assert result.exit_code == 2 and "did you mean AR203" in result.stderr


def test_validate_rules_on_the_shipped_packs() -> None:
    files = builtin_pack_files()
    result = run("validate-rules", *files)
    assert result.exit_code == 0, result.stdout
    for f in files:
        assert f"✔ {f}: pack" in result.stdout
    assert "✘" not in result.stdout
    assert re.search(r"✔ AR203 fail\[1\]", result.stdout)


def test_validate_rules_schema_error_names_file_rule_and_key(tmp_path: Path) -> None:
    text = (ROOT / "rules/annual-report.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("kind: concrete_content", "kind: concrete", 1), encoding="utf-8")
    result = run("validate-rules", bad)
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(bad))}:\d+:11: rule AR203: key 'kind': unknown check kind 'concrete' "
                     r"\(did you mean 'concrete_content'\?\)", result.stdout)


def test_validate_rules_reports_every_mistake_at_once(tmp_path: Path) -> None:
    f = tmp_path / "my-pack.yaml"
    f.write_text("""\
pack: annual
name: 某省补充规则
rules:
  - id: SC101
    name: mentions-network
    kind: pattern_absnt
    severity: eror
    title: 写明数字法治一张网建设情况
    message: 未写明数字法治一张网建设情况
    hnit: 写明数字法治一张网建设情况。
    rationale: 本省实施办法要求。
    reference: {document: 《某省法治政府建设实施办法》}
    params: {patterns: ["数字法治一张网"]}
    examples:
      pass: ["一、主要举措和成效\\n建成数字法治一张网。"]
      fail: ["一、主要举措和成效\\n开展普法12场。"]
  - id: SC102
    name: counts-network
    kind: pattern_present
    severity: warning
    title: 多处写明
    message: 未多处写明
    hint: 多写几处。
    rationale: 本省要求。
    reference: {document: 《某省法治政府建设实施办法》}
    params: {patterns: ["(a+)+"], min_cont: 2}
    examples:
      pass: ["一、主要举措和成效\\n建成数字法治一张网。"]
      fail: ["一、主要举措和成效\\n开展普法12场。"]
""", encoding="utf-8")
    result = run("validate-rules", f)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"✘ {f}: 6 errors:"
    assert lines[1:] == [
        f"  {f}:4:5: rule SC101: key 'hint': missing required key 'hint' (is 'hnit' a misspelling of it?)",
        f"  {f}:6:11: rule SC101: key 'kind': unknown check kind 'pattern_absnt' (did you mean 'pattern_absent'?); "
        f"valid kinds: {', '.join(sorted(CHECK_KINDS))}",
        f"  {f}:7:15: rule SC101: key 'severity': 'eror' is not one of: error, warning (did you mean 'error'?)",
        f"  {f}:10:5: rule SC101: key 'hnit': unknown key 'hnit' (did you mean 'hint'?)",
        f"  {f}:26:25: rule SC102: key 'params.patterns.0': regular expression '(a+)+' nests unbounded repeats "
        "(like (a+)+), which can hang on some texts; rewrite it without a repeat inside a repeat",
        f"  {f}:26:35: rule SC102: key 'params.min_cont': unknown key 'min_cont' (did you mean 'min_count'?)",
    ]


def test_validate_rules_yaml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "broken.yaml"
    f.write_text("pack: annual\nname: x\nrules:\n  - id: [unclosed\n", encoding="utf-8")
    result = run("validate-rules", f)
    assert result.exit_code == 2 and re.search(rf"✘ {re.escape(str(f))}:5:1: not valid YAML", result.stdout)


def test_validate_rules_runs_examples_and_reports_each(tmp_path: Path) -> None:
    f = tmp_path / "province.yaml"
    f.write_text("""\
pack: annual
name: 某省补充规则
rules:
  - id: SC101
    name: mentions-network
    kind: pattern_present
    severity: warning
    title: 写明数字法治一张网建设情况
    message: 未写明数字法治一张网建设情况
    hint: 写明数字法治一张网建设情况。
    rationale: 本省实施办法要求建设数字法治一张网。
    reference: {document: 《某省法治政府建设实施办法》}
    params: {patterns: ["数字法治一张网"]}
    examples:
      pass: ["一、主要举措和成效\\n建成数字法治一张网。"]
      fail: ["一、主要举措和成效\\n开展普法12场。", "一、主要举措和成效\\n建成数字法治一张网。"]
""", encoding="utf-8")
    result = run("validate-rules", f)
    assert result.exit_code == 1
    assert f"✘ {f}: pack annual, 1 rule, schema ok; 2 of 3 examples as promised" in result.stdout
    assert "  ✔ SC101 pass[1]" in result.stdout and "  ✔ SC101 fail[1]" in result.stdout
    assert "  ✘ SC101 fail[2]: expected fail, got pass" in result.stdout
    quiet = run("validate-rules", "-q", f).stdout
    assert "pass[1]" not in quiet and "fail[2]" in quiet


def test_init_writes_a_starter_that_validates(tmp_path: Path) -> None:
    result = run("init")
    assert result.exit_code == 0
    assert result.stdout == "已生成 auditor.yaml：文件中逐项注释了每个设置；`auditor rules` 列出全部规则编号\n"
    text = (tmp_path / "auditor.yaml").read_text(encoding="utf-8")
    assert text.startswith("# auditor 配置文件")
    assert config.load(str(tmp_path / "auditor.yaml")).pack == "auto"
    # every commented-out example setting, switched on, is valid too
    on = re.sub(r"^# (?=\s*(?:[a-z_]+:|- |[A-Z]+\d{3}:))", "", text, flags=re.MULTILINE)
    assert "waivers:" in on.splitlines() and "disable: [AR106]" in on.splitlines()
    data = config.validate(__import__("yaml").safe_load(on), "starter")
    assert set(data) == {"pack", "with", "deadline", "disable", "severity", "rule_files", "include", "exclude",
                         "fail_on", "min_score", "waivers"}


def test_init_does_not_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("pack: annual\n", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 2 and "已存在；要覆盖它请加 --force" in result.stderr
    assert (tmp_path / "auditor.yaml").read_text(encoding="utf-8") == "pack: annual\n"
    assert run("init", "--force").exit_code == 0
    assert run("init", "--path", "sub.yaml").exit_code == 0 and (tmp_path / "sub.yaml").exists()


def test_validate_rules_on_a_copy_of_a_shipped_pack(tmp_path: Path) -> None:
    # the shipped file read from elsewhere (an installed package, a checkout) is that pack, not
    # an extension of it that would define each rule twice
    import shutil

    shutil.copy(ROOT / "rules" / "annual-report.yaml", tmp_path / "annual-report.yaml")
    result = run("validate-rules", tmp_path / "annual-report.yaml")
    assert result.exit_code == 0, result.output
@pytest.mark.parametrize("rule_id", ["AR203", "AR303", "DR102"])
def test_explain_golden(rule_id: str) -> None:
    """What `explain` prints, pinned (UPDATE_GOLDEN=1 rewrites): AR203 (a phrase of the
    regulation), AR303 (a confirmed sentence whose article number is not), DR102 (a national basis
    plus local practice as 参考, known only from a news summary: not quoted)."""
    out = run("explain", rule_id).stdout
    check_golden(ROOT / "tests" / "golden" / "explain" / f"{rule_id}.txt", out)
    assert "不满足时：" in out and "为什么：" in out and "如何修改：" in out
