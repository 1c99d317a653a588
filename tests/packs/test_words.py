"""`words:` (plain words, matched literally after normalisation) wherever a kind takes patterns,
and the warning on a pattern holding a mark the normaliser rewrites."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, run_kind, write_pack

from auditor import checks
from auditor.checks.contract import (
    ParamType,
    compile_params,
    param_specs,
    params_schema,
)
from auditor.errors import RuleFileError
from auditor.packs.ruleset import load_pack

RULE = """
  - id: SC101
    name: causes
    kind: pattern_present
    severity: warning
    title: 写明原因
    message: 没有写明原因。
    hint: 写明原因。
    rationale: 只列问题不写原因，无从整改。
    reference: {{document: 某规定}}
    scope: {{role: shortcomings}}
    params:
      patterns: {patterns}
    examples:
      pass: ["一、存在的不足\\n执法不规范。原因：培训不足。"]
      fail: ["一、存在的不足\\n执法不规范。"]
"""
HEAD = ("pack: custom\nname: 自定义\nroles:\n"
        "  - {name: shortcomings, title: 存在的不足, headings: [不足]}\nrules:\n")


def _pack(tmp_path: Path, patterns: str, head: str = HEAD) -> Path:
    return write_pack(tmp_path, head + RULE.format(patterns=patterns))


def _present(text: str, params: dict[str, Any], annual: Any) -> str:
    return str(run_kind("pattern_present", text, params, annual).met.value)


# ---- words ----

def test_a_word_with_a_full_width_colon_matches_the_normalised_text(annual: Any) -> None:
    text = "一、主要举措和成效\n执法不规范。原因：培训不足。"
    assert _present(text, {"patterns": {"words": ["原因："]}}, annual) == "met"
    assert _present(text, {"patterns": ["原因："]}, annual) == "unmet"  # the pattern as typed never matches
    assert _present("一、主要举措和成效\n执法不规范。", {"patterns": {"words": ["原因："]}}, annual) == "unmet"


def test_words_are_literal_not_regular_expressions(annual: Any) -> None:
    params = {"patterns": {"words": ["1.5倍", "（草案）", "a|b"]}}
    assert _present("一、主要举措和成效\n增长1.5倍。", params, annual) == "met"
    assert _present("一、主要举措和成效\n增长105倍。", params, annual) == "unmet"  # '.' is a dot
    assert _present("一、主要举措和成效\n印发《办法(草案)》。", params, annual) == "met"  # （） folded like the text
    assert _present("一、主要举措和成效\n选a或b。", params, annual) == "unmet"  # '|' is a bar


def test_a_traditional_word_matches_the_simplified_text(annual: Any) -> None:
    assert _present("一、主要举措和成效\n开展执法监督检查。", {"patterns": {"words": ["執法監督"]}}, annual) == "met"


def test_words_and_patterns_together_and_one_expression_for_all_the_words() -> None:
    kind = checks.get("pattern_present")
    params = compile_params(kind, {"patterns": {"patterns": ["究其.{0,4}原因"], "words": ["原因", "根源", "法治", "法治政府"]}})
    assert len(params.patterns) == 2  # the words cost one search, however many there are
    words = params.patterns[1]
    assert words.search("建设法治政府").group(0) == "法治政府"  # longest first
    assert words.search("分析根源").group(0) == "根源"


def test_words_in_groups_and_in_one_pattern(annual: Any) -> None:
    text = "一、主要举措和成效\n组织学法活动，开展述法。"
    groups = {"groups": {"学法": {"words": ["学法"]}, "述法": ["述法"], "考核": {"words": ["考核"]}}, "min_groups": 2}
    assert run_kind("keyword_groups", text, groups, annual).met.value == "met"
    terms = {"terms": [{"pattern": {"words": ["法制政府", "法制國家"]}, "right": "法治政府", "source": "纲要",
                        "right_example": "建设法治政府。", "wrong_example": "建设法制政府。"}]}
    out = run_kind("fixed_terms", "一、主要举措和成效\n建设法制国家。", terms, annual)
    assert out.met.value == "unmet" and "法制国家" in out.message


def test_words_of_a_kind_that_reads_the_original_text_are_taken_as_written(annual: Any) -> None:
    """punctuation matches the original text, where ， and , differ: its words are not folded."""
    params = {"groups": {"叠用": {"words": ["，，"]}}}
    assert run_kind("punctuation", "一、主要举措和成效\n执法，，规范。", params, annual).met.value == "unmet"
    assert run_kind("punctuation", "一、主要举措和成效\n执法,,规范。", params, annual).met.value == "met"


def _kinds_with_patterns() -> list[tuple[str, str, ParamType]]:
    out = []

    def walk(kind: str, declared: type, prefix: str) -> None:
        for spec in param_specs(declared):
            if spec.type in (ParamType.PATTERNS, ParamType.GROUPS, ParamType.PATTERN):
                out.append((kind, prefix + spec.name, spec.type))
            elif spec.record is not None:
                walk(kind, spec.record, f"{prefix}{spec.name}.")

    for name in sorted(checks.CHECK_KINDS):
        walk(name, checks.get(name).params, "")
    return out


@pytest.mark.parametrize(("kind", "key", "ptype"), _kinds_with_patterns())
def test_every_parameter_taking_patterns_takes_words(kind: str, key: str, ptype: ParamType) -> None:
    """Declared once in the contract: whatever kind is added, its patterns take `words:`."""
    import jsonschema

    schema = params_schema(checks.get(kind))
    for part in key.split("."):
        schema = schema["properties"][part]
        if schema.get("type") == "array" and "items" in schema and "properties" in schema["items"]:
            schema = schema["items"]  # a list of records: into the record
    value: Any = {"words": ["原因"]}
    if ptype is ParamType.GROUPS:
        schema = schema["additionalProperties"]
    jsonschema.validate(value, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"word": ["原因"]}, schema)


def test_a_misspelt_words_key_or_a_wrong_value_is_an_error_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as bad:
        load_pack(_pack(tmp_path, "{word: [原因]}"))
    assert "unknown key 'word'" in str(bad.value) and "did you mean 'words'" in str(bad.value)
    assert bad.value.problems[0].key == "params.patterns.word" and bad.value.problems[0].rule == "SC101"
    with pytest.raises(RuleFileError, match="is not a list of regular expressions or .words") as bad:
        load_pack(_pack(tmp_path, "5"))
    with pytest.raises(RuleFileError, match="unknown key 'pattern'"):
        load_pack(_pack(tmp_path, "{words: [原因], pattern: [x]}"))
    with pytest.raises(RuleFileError, match="nests unbounded repeats") as bad:  # patterns beside words still checked
        load_pack(_pack(tmp_path, "{words: [原因], patterns: ['(a+)+$']}"))
    assert bad.value.problems[0].key == "params.patterns.patterns.0"


def test_words_that_look_like_bad_regular_expressions_are_fine(tmp_path: Path) -> None:
    pack = load_pack(_pack(tmp_path, "{words: ['原因(', '[草案', '*']}"))
    assert pack.rules[0].params.patterns[0].search("原因(一)")


# ---- the warning on full-width marks in a pattern ----

def test_a_full_width_mark_in_a_pattern_warns_naming_file_line_rule_and_key(tmp_path: Path) -> None:
    path = _pack(tmp_path, "['原因：', 根源]")
    (warning,) = load_pack(path).warnings  # loads: a warning, not an error
    assert warning.path == str(path) and warning.rule == "SC101" and warning.key == "params.patterns.0"
    line = 1 + path.read_text(encoding="utf-8").splitlines().index("      patterns: ['原因：', 根源]")
    assert (warning.line, warning.column) == (line, 18) and "'：' (U+FF1A, becomes ':')" in str(warning) and "words:" in str(warning)


def test_which_marks_warn_is_what_the_normaliser_rewrites() -> None:
    from auditor.packs.validate import fold_warning, folded_marks

    assert [m for m, _ in folded_marks("（一）：，；！？％０Ａ\u3000「」")] == list("（）：，；！？％０Ａ\u3000「」")
    assert folded_marks("原因、。“”《》〔〕【】……——～·") == [("～", "~")]  # kept by the normaliser (～ is full-width ASCII)
    assert fold_warning("原因[:：]") is not None and fold_warning("原因:") is None


def test_no_warning_for_words_nor_for_kinds_reading_the_original_text(tmp_path: Path) -> None:
    assert load_pack(_pack(tmp_path, "{words: ['原因：']}")).warnings == ()
    text = (HEAD + RULE.format(patterns="[原因]").replace("kind: pattern_present", "kind: punctuation")
            .replace("    scope: {role: shortcomings}\n", "").replace("patterns: [原因]", "groups: {全角: ['，，']}"))
    p = tmp_path / "p2.yaml"
    p.write_text(text, encoding="utf-8")
    assert load_pack(p).warnings == ()


def test_role_headings_warn_too_and_the_warning_survives_the_cache(tmp_path: Path) -> None:
    from auditor.packs.validate import WARNINGS
    from auditor.pool.cache import ValidatedStore

    path = _pack(tmp_path, "[原因]", HEAD.replace("headings: [不足]", "headings: ['不足：']"))
    store = ValidatedStore(tmp_path / "cache")
    first = load_pack(path, store=store).warnings
    assert [w.key for w in first] == ["roles.0.headings.0"] and first[0].rule is None
    import auditor.packs.validate

    def no_validation(*a: Any, **k: Any) -> Any:
        raise AssertionError("validated again")

    saved = auditor.packs.validate.validate_pack_data
    auditor.packs.validate.validate_pack_data = no_validation
    try:
        assert load_pack(path, store=store).warnings == first  # from the cache, still warned
    finally:
        auditor.packs.validate.validate_pack_data = saved
    assert WARNINGS == "_warnings"


def test_shipped_packs_have_no_warnings(packs: Any) -> None:
    assert {pid: [str(w) for w in p.warnings] for pid, p in packs.items() if p.warnings} == {}


def test_validate_rules_and_check_print_the_warning(tmp_path: Path, isolated: None) -> None:
    path = _pack(tmp_path, "['原因：', 原因]")
    out = invoke("validate-rules", path)
    assert out.exit_code == 0, out.output
    assert "schema ok (1 warning)" in out.output and "⚠ warning:" in out.output and "rule SC101" in out.output
    (tmp_path / "auditor.yaml").write_text(f"rule_files: [{path}]\n", encoding="utf-8")
    doc = tmp_path / "r.txt"
    doc.write_text("2024年法治政府建设年度报告\n一、主要举措和成效\n开展普法12场。\n", encoding="utf-8")
    for _ in range(2):  # the second run loads the validated pack from the cache: it still warns
        run = invoke("check", doc, "--format", "json")
        assert "auditor: warning:" in run.stderr and "key 'params.patterns.0'" in run.stderr


def test_a_wrong_group_value_is_named_by_its_group(tmp_path: Path) -> None:
    text = (HEAD + RULE.format(patterns="[原因]").replace("kind: pattern_present", "kind: keyword_groups")
            .replace("patterns: [原因]", "groups: {学法: {words: [学法]}, 述法: 5, 考核: {word: [考核]}}\n      min_groups: 1"))
    p = tmp_path / "g.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as bad:
        load_pack(p)
    said = {(x.key, x.message.split(" (")[0]) for x in bad.value.problems}
    assert ("params.groups.述法", "5 is not a list of regular expressions or {words: [plain words]}") in said
    assert ("params.groups.考核.word", "unknown key 'word'") in said
