"""Rule files are validated strictly; errors name the file, the rule and the key; valid packs are cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PACK_HEAD, PLAN_RULE, write_pack

from auditor.errors import RuleFileError
from auditor.packs.ruleset import builtin_pack_files, load_pack

HEAD = PACK_HEAD + "rules:\n"


def test_good_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path, HEAD + PLAN_RULE))
    assert pack.id == "custom" and pack.rules[0].id == "XX001"


@pytest.mark.parametrize(("change", "rule", "key"), [
    (("severity: error", "severity: fatal"), "XX001", "severity"),
    (("kind: part_present", "kind: no_such_kind"), "XX001", "kind"),
    (("params: {role: plan}", "params: {role: plan, bogus: 1}"), "XX001", "params.bogus"),
    (("params: {role: plan}", "params: {}"), "XX001", "params.role"),
    (("    hint: 增加工作计划\n", ""), "XX001", "hint"),
    (("    rationale: 来年做什么要写明\n", ""), "XX001", "rationale"),
    (("name: has-plan", "name: has-plan\n    colour: red"), "XX001", "colour"),
])
def test_errors_name_file_rule_and_key(tmp_path: Path, change: tuple[str, str], rule: str, key: str) -> None:
    path = write_pack(tmp_path, HEAD + PLAN_RULE.replace(*change))
    with pytest.raises(RuleFileError) as info:
        load_pack(path)
    err = info.value
    assert err.path == str(path) and err.rule == rule
    assert err.key == key
    assert str(path) in str(err)


def test_bad_regex_and_catastrophic_regex_rejected(tmp_path: Path) -> None:
    bad = PLAN_RULE.replace("kind: part_present", "kind: pattern_absent").replace(
        "params: {role: plan}", "params: {patterns: ['(a+)+$']}")
    with pytest.raises(RuleFileError, match="nests unbounded repeats") as info:
        load_pack(write_pack(tmp_path, HEAD + bad))
    assert info.value.key == "params.patterns.0"
    broken = bad.replace("(a+)+$", "(unclosed")
    with pytest.raises(RuleFileError, match="invalid regular expression"):
        load_pack(write_pack(tmp_path, HEAD + broken))


def test_duplicate_ids_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="duplicate rule id"):
        load_pack(write_pack(tmp_path, HEAD + PLAN_RULE + PLAN_RULE))
    with pytest.raises(RuleFileError, match="not valid YAML"):
        load_pack(write_pack(tmp_path, "pack: [unclosed"))
    with pytest.raises(RuleFileError, match="cannot read"):
        load_pack(tmp_path / "missing.yaml")


def test_validated_pack_is_cached_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    from auditor.pool.cache import validated_store

    store = validated_store()
    path = write_pack(tmp_path, HEAD + PLAN_RULE)
    first = load_pack(path, store=store)
    assert not list((tmp_path / "cache").glob("*.tmp")) and list((tmp_path / "cache").glob("pack-*.json"))
    import auditor.packs.validate

    def _no_validation(*a: object, **k: object) -> None:
        raise AssertionError("validated again although the file did not change")

    monkeypatch.setattr(auditor.packs.validate, "validate_pack_data", _no_validation)
    second = load_pack(path, store=store)
    assert second.rules == first.rules
    path.write_text(HEAD + PLAN_RULE.replace("有工作计划", "有计划"), encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        load_pack(path, store=store)  # a changed file is validated again


def test_shipped_packs_validate() -> None:
    for f in builtin_pack_files():
        assert load_pack(f).rules


SCOPED = PLAN_RULE.replace("kind: part_present", "kind: pattern_present").replace(
    "params: {role: plan}", "scope: {role: plan}\n    params: {patterns: [一是]}")


@pytest.mark.parametrize(("change", "key", "message"), [
    (("scope: {role: plan}", "scope: {role: nowhere}"), "scope.role", "unknown role 'nowhere'"),
    (("scope: {role: plan}", "scope: {role: plan, missing: maybe}"), "scope.missing", "maybe"),
    (("kind: pattern_present", "kind: signature"), "scope", "takes no scope"),
])
def test_scope_is_checked(tmp_path: Path, change: tuple[str, str], key: str, message: str) -> None:
    text = SCOPED.replace(*change)
    if "signature" in text:
        text = text.replace("params: {patterns: [一是]}", "params: {element: body}")
    with pytest.raises(RuleFileError, match=message) as info:
        load_pack(write_pack(tmp_path, HEAD + text))
    assert info.value.key == key


def test_scope_required_by_concrete_content(tmp_path: Path) -> None:
    text = PLAN_RULE.replace("kind: part_present", "kind: concrete_content").replace("params: {role: plan}", "params: {}")
    with pytest.raises(RuleFileError, match="needs 'scope") as info:
        load_pack(write_pack(tmp_path, HEAD + text))
    assert info.value.key == "scope"


def test_scope_loads_and_params_have_defaults(tmp_path: Path) -> None:
    from auditor.checks.contract import Missing, ScopeSpec

    rule = load_pack(write_pack(tmp_path, HEAD + SCOPED)).rules[0]
    assert rule.scope == ScopeSpec("plan", Missing.SKIP)
    assert rule.params.min_count == 1 and rule.params.patterns[0].pattern == "一是"


def test_params_schema_comes_from_the_declaration() -> None:
    from auditor import checks
    from auditor.checks.contract import params_schema

    schema = params_schema(checks.get("keyword_groups"))
    assert schema["required"] == ["groups", "min_groups"]
    as_list, as_words = schema["properties"]["groups"]["additionalProperties"]["anyOf"]  # a list, or {words, patterns}
    assert as_list["items"]["type"] == "string" and as_words["properties"]["words"]["items"]["type"] == "string"
    assert schema["properties"]["min_quantified"] == {"type": "integer", "minimum": 0, "default": 0}


TERM_RULE = PLAN_RULE.replace("kind: part_present", "kind: fixed_terms").replace(
    "params: {role: plan}",
    "params: {terms: [{pattern: 法制政府, right: 法治政府, source: 纲要, right_example: 法治政府, wrong_example: 法制政府}]}")


def test_records_in_params_are_typed_compiled_and_checked(tmp_path: Path) -> None:
    """A list of objects (a term list): each entry a NamedTuple, its pattern compiled at load."""
    rule = load_pack(write_pack(tmp_path, HEAD + TERM_RULE)).rules[0]
    (term,) = rule.params.terms
    assert term.pattern.pattern == "法制政府" and term.right == "法治政府"
    with pytest.raises(RuleFileError) as info:  # a key unknown inside an entry
        load_pack(write_pack(tmp_path, HEAD + TERM_RULE.replace("source: 纲要", "source: 纲要, colour: red")))
    assert info.value.key.startswith("params.terms.0")
    with pytest.raises(RuleFileError, match="nests unbounded repeats") as bad:  # patterns at any depth
        load_pack(write_pack(tmp_path, HEAD + TERM_RULE.replace("pattern: 法制政府", "pattern: '(a+)+$'")))
    assert bad.value.key == "params.terms.0.pattern"


def test_nested_params_schema() -> None:
    from auditor import checks
    from auditor.checks.contract import params_schema

    schema = params_schema(checks.get("docx_layout"))
    margins = schema["properties"]["margins"]
    assert margins["additionalProperties"] is False
    assert margins["properties"]["top"] == {"type": "number", "exclusiveMinimum": 0}
    assert schema["properties"]["fonts"]["required"] == ["title", "body"]
    terms = params_schema(checks.get("fixed_terms"))["properties"]["terms"]
    assert terms["type"] == "array" and terms["minItems"] == 1
    assert terms["items"]["properties"]["pattern"]["anyOf"][0] == {"type": "string", "minLength": 1}


def test_short_titles_are_column_heads_checked_for_length_and_clashes(tmp_path: Path) -> None:
    with_short = PLAN_RULE.replace("    title: 有工作计划\n", "    title: 有工作计划\n    short: 计划\n")
    pack = load_pack(write_pack(tmp_path, HEAD + with_short))
    assert pack.rules[0].short == "计划" and pack.rules[0].head == "计划"
    assert load_pack(write_pack(tmp_path, HEAD + PLAN_RULE)).rules[0].head == "有工作计划"  # none: the title
    with pytest.raises(RuleFileError) as info:
        load_pack(write_pack(tmp_path, HEAD + with_short.replace("short: 计划", "short: 下一年度计划")))
    assert info.value.rule == "XX001" and "short" in str(info.value)
    twice = with_short + with_short.replace("XX001", "XX002").replace("has-plan", "has-plan-2")
    with pytest.raises(RuleFileError, match="short title '计划' is also that of XX001") as info:
        load_pack(write_pack(tmp_path, HEAD + twice))
    assert info.value.rule == "XX002"


def test_shipped_short_titles_are_unique_per_pack() -> None:
    for path in builtin_pack_files():
        pack = load_pack(path)
        shorts = [r.short for r in pack.rules if r.short]
        assert len(shorts) == len(set(shorts)), path
    annual = next(load_pack(p) for p in builtin_pack_files() if load_pack(p).id == "annual")
    heads = {r.id: r.head for r in annual.rules}
    assert [heads[f"AR10{i}"] for i in range(1, 7)] == ["一", "二", "三", "四", "五", "顺序"]
    assert (heads["AR301"], heads["AR302"], heads["AR303"], heads["AR401"]) == ("落款", "日期", "时限", "占位符")
