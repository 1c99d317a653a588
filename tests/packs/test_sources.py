"""The source registry (rules/data/sources.yaml): its schema, every shipped reference resolving
to it, strict errors for references that do not, and quotation marks only around confirmed
wording."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import PACK_HEAD, PLAN_RULE, write_pack

from auditor.errors import RuleFileError
from auditor.packs import sources
from auditor.packs.ruleset import build_pack, builtin_dir, builtin_pack_files, load_pack
from auditor.packs.validate import load_registry, validate_pack_data
from auditor.cross import crossrules

REGISTRY = builtin_dir() / "data" / "sources.yaml"
RULE = PLAN_RULE.replace("reference: {document: 某规定}", "reference: REF")
HEAD = PACK_HEAD


def _pack(tmp_path: Path, ref: str, extra: str = "") -> Path:
    return write_pack(tmp_path, HEAD + extra + "rules:\n" + RULE.replace("REF", ref))


def _raw_rules() -> list[tuple[str, dict[str, Any]]]:
    """(file, rule) for every rule of every shipped pack and of the cross-report rules, as written."""
    files = [*builtin_pack_files(), builtin_dir() / "batch" / "cross-report.yaml"]
    return [(f.name, r) for f in files for r in yaml.safe_load(f.read_text(encoding="utf-8"))["rules"]]


def test_registry_matches_its_schema() -> None:
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    assert sources.schema_validator_errors(data) == []
    loaded = load_registry(REGISTRY)
    assert {"dc2019", "fzzr2016", "gwtl2012", "gbt9704", "gbt15834", "gbt15835", "sd-shufa"} <= set(loaded)
    # the particulars that are confirmed
    assert loaded["dc2019"]["number"] == "厅字〔2019〕28号"
    assert loaded["gwtl2012"]["number"] == "中办发〔2012〕14号"


@pytest.mark.parametrize(("change", "message"), [
    (("        confirmed_by: 同 part-1\n", "", 1), "missing required key 'confirmed_by'"),
    (("    kind: national\n", "    kind: binding\n", 1), "'binding' is not one of"),
    (("      art6:\n        about:", "      art6:\n        text: 某句话\n        about:", 1), "should not be valid"),
    (("    issuer: 中共中央办公厅、国务院办公厅\n", "    issuer: 中共中央办公厅、国务院办公厅\n    colour: red\n", 1),
     "unknown key 'colour'"),
])
def test_registry_errors_name_file_source_and_key(tmp_path: Path, change: tuple[str, str, int], message: str) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text(REGISTRY.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_registry(bad)
    text = str(info.value)
    assert str(bad) in text and message in text
    assert info.value.problems[0].line is not None  # the YAML line of the mistake


def test_unconfirmed_clause_has_no_wording_and_no_number() -> None:
    """What could not be confirmed is kept for the record, but never with words to quote or a
    number to cite (the schema refuses both)."""
    for sid, src in load_registry(REGISTRY).items():
        for cid, clause in src.get("clauses", {}).items():
            if not clause["confirmed"]:
                assert "text" not in clause and "article" not in clause, (sid, cid)
            else:
                assert clause["confirmed_by"], (sid, cid)


def test_every_shipped_reference_names_a_source() -> None:
    """The old form {document: 《…》} is still read (a province's own pack), but every shipped rule
    cites the registry. A rule added with the old form fails here with the fix spelled out."""
    registry = load_registry(REGISTRY)
    for name, rule in _raw_rules():
        ref = rule["reference"]
        assert "source" in ref, (
            f"{name}: rule {rule['id']}: key 'reference' uses the old form {ref!r}; write "
            f"reference: {{source: <id>, clause: <id or [ids], only confirmed ones>, note: <our words, no quotation marks>}} "
            f"with a source of rules/data/sources.yaml ({', '.join(sorted(registry))}); add the document there first "
            "if it is missing (wording only where confirmed)")
        resolved, problems = sources.resolve(ref, registry)
        assert problems == [], f"{name}: rule {rule['id']}: {problems}"


def test_every_reference_resolves_in_the_loaded_packs(packs: Any) -> None:
    registry = load_registry(REGISTRY)
    for pack in packs.values():
        for rule in pack.rules:
            ref = rule.reference
            src = registry[ref.source]
            assert ref.document == src["title"]
            for c in ref.clauses:
                entry = src["clauses"][c.id]
                assert entry["confirmed"] and c.text == entry.get("text") and c.article == entry.get("article")
            # the article in 依据 is exactly the confirmed numbers of the cited clauses
            assert (ref.article or "") == "、".join(c.article for c in ref.clauses if c.article)
    for rule in crossrules.load():
        assert rule.citation.source in registry and rule.reference == rule.citation.cited


@pytest.mark.parametrize(("ref", "key", "message"), [
    ("{source: nosuch}", "reference.source", "unknown source 'nosuch'"),
    ("{source: dc2091}", "reference.source", "did you mean 'dc2019'"),
    ("{source: dc2019, clause: part-9}", "reference.clause", "has no clause 'part-9'"),
    ("{source: dc2019, clause: [part-1, order-of-parts]}", "reference.clause.1", "is not confirmed"),
    ("{source: fzzr2016, clause: art6}", "reference.clause", "cite the document by name only"),
    ("{source: sd-shufa}", "reference.source", "cite it under 'practice:'"),
    ("{source: fzzr2016, practice: {source: sd-shufa, clause: three-parts}}", "reference.practice.clause",
     "is not confirmed"),
    ("{source: dc2019, article: 第二十四条}", "reference.article", "unknown key 'article'"),
])
def test_reference_that_does_not_resolve_is_an_error(tmp_path: Path, ref: str, key: str, message: str) -> None:
    path = _pack(tmp_path, ref)
    with pytest.raises(RuleFileError, match=re.escape(message)) as info:
        load_pack(path)
    err = info.value
    assert err.path == str(path) and err.rule == "XX001" and err.key == key


def test_confirmed_clauses_resolve_with_their_wording(tmp_path: Path) -> None:
    pack = load_pack(_pack(tmp_path, "{source: fzzr2016, clause: [art3, art4], note: 说明文字}"))
    ref = pack.rules[0].reference
    assert ref.cited == "《党政主要负责人履行推进法治建设第一责任人职责规定》第三条、第四条"
    assert [c.text for c in ref.clauses] == ["……带头尊法学法守法用法……",
                                             "……对法治建设重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办……"]
    assert ref.note == "说明文字"
    # a confirmed sentence whose article number is not: cited by the document's name only
    pub = load_pack(_pack(tmp_path, "{source: dc2019, clause: publication}")).rules[0].reference
    assert pub.cited == "《法治政府建设与责任落实督察工作规定》" and pub.clauses[0].text.startswith("每年4月1日之前")


def test_old_form_still_loads(tmp_path: Path) -> None:
    ref = load_pack(_pack(tmp_path, "{document: 《某省规定》, article: 第三条, text: 原话}")).rules[0].reference
    assert ref.cited == "《某省规定》第三条" and ref.text == "原话" and ref.source is None


def test_a_pack_adds_its_own_sources(tmp_path: Path) -> None:
    own = ("sources:\n  js-fz2023:\n    title: 《江苏省某规定》\n    kind: provincial\n    clauses:\n"
           "      art10:\n        article: 第十条\n        about: 报告的内容\n        text: 某某原话\n"
           "        confirmed: true\n        confirmed_by: https://example.gov.cn/x.html\n")
    ref = load_pack(_pack(tmp_path, "{source: js-fz2023, clause: art10}", own)).rules[0].reference
    assert ref.cited == "《江苏省某规定》第十条" and ref.clauses[0].text == "某某原话"
    # an id the registry has is refused; so is a bad entry
    with pytest.raises(RuleFileError, match="already in the registry") as info:
        load_pack(_pack(tmp_path, "{source: dc2019}", own.replace("js-fz2023", "dc2019")))
    assert info.value.key == "sources.dc2019"
    with pytest.raises(RuleFileError, match="missing required key 'confirmed_by'"):
        load_pack(_pack(tmp_path, "{source: js-fz2023}", own.replace("        confirmed_by: https://example.gov.cn/x.html\n", "")))


def test_registry_edit_invalidates_the_pack_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs are cached with their citations resolved: the cache key holds the registry's digest,
    so an edit of the registry is seen at once (and an ordinary run never parses the registry)."""
    from auditor.packs.store import ValidatedStore

    rules_dir = tmp_path / "rules"
    (rules_dir / "data").mkdir(parents=True)
    (rules_dir / "data" / "sources.yaml").write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr("auditor.packs.ruleset.BUILTIN_DIR", rules_dir)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    store = ValidatedStore(tmp_path / "cache")
    pack_file = _pack(tmp_path, "{source: dc2019, clause: part-4}")
    first = load_pack(pack_file, store=store)
    assert first.rules[0].reference.clauses[0].text == "下一年度推进法治政府建设的主要安排"
    calls: list[Any] = []
    monkeypatch.setattr("auditor.packs.validate.validate_pack_data",
                        lambda *a, **k: calls.append(a) or validate_pack_data(*a, **k))
    assert load_pack(pack_file, store=store) == first and calls == []  # from the cache
    edited = REGISTRY.read_text(encoding="utf-8").replace("text: 下一年度推进法治政府建设的主要安排",
                                                          "text: 下一年度推进法治政府建设的主要安排（改）")
    (rules_dir / "data" / "sources.yaml").write_text(edited, encoding="utf-8")
    again = load_pack(pack_file, store=store)
    assert len(calls) == 1 and again.rules[0].reference.clauses[0].text.endswith("（改）")


_QUOTED = re.compile(r"“([^”]{6,})”")


def test_quotation_marks_only_around_confirmed_wording(packs: Any) -> None:
    """A reference's note is our words: no quotation marks in it. explain quotes only registry
    wording of confirmed clauses; DR205/DR206's former paraphrase of the 2016 规定 and the Shandong
    news summary are nowhere in quotation marks."""
    from auditor.cli.commands import citation_lines

    registry = load_registry(REGISTRY)
    wording = {c["text"] for s in registry.values() for c in s.get("clauses", {}).values() if c.get("text")}
    for name, rule in _raw_rules():
        ref = rule["reference"]
        for note in (ref.get("note"), (ref.get("practice") or {}).get("note")):
            assert not note or "“" not in note, (name, rule["id"], note)
    for pack in packs.values():
        for rule in pack.rules:
            for line in citation_lines(rule.reference):
                if "原文：" in line:
                    assert line.split("原文：", 1)[1].strip()[1:-1] in wording, (rule.id, line)
            shown = "\n".join([rule.rationale, rule.hint, *citation_lines(rule.reference)])
            for phrase in ("年终述职内容应当包括履行推进法治建设第一责任人职责情况",
                           "重点报告第一责任人职责履行情况、存在的问题不足以及下一步改进举措"):
                assert f"“{phrase}" not in shown, rule.id


@pytest.mark.parametrize(("rule_id", "cited"), [
    ("AR303", "《法治政府建设与责任落实督察工作规定》"),  # the publication sentence: its article is unconfirmed
    ("AR304", "《法治政府建设与责任落实督察工作规定》"),
    ("AR202", "《党政主要负责人履行推进法治建设第一责任人职责规定》第三条、第四条"),  # 第五条 is the party principal's
    ("DR202", "《党政主要负责人履行推进法治建设第一责任人职责规定》第三条、第四条"),
    ("DR101", "《党政主要负责人履行推进法治建设第一责任人职责规定》第三条、第四条；参考：山东省述法试点工作方案（据新闻报道的概述）"),
    ("GW101", "GB/T 9704-2012《党政机关公文格式》"),  # not 7.3.5.1 (sealed documents)
    ("GW102", "GB/T 9704-2012《党政机关公文格式》7.3.3"),
    ("GW103", "《党政机关公文处理工作条例》第九条（七）"),  # not GB/T 9704 7.3.1 (the title's typesetting)
    ("GW201", "GB/T 15834-2011《标点符号用法》"),  # 4.5.3.5 is about quoted and titled items in a series
    ("GW301", "《党政机关公文处理工作条例》"),  # not 第十九条（五）
    ("GW401", "GB/T 9704-2012《党政机关公文格式》5.1、5.2.1、5.2.2、5.2.3、7.3.3"),  # paper 5.1, 22×28 5.2.3
])
def test_corrected_citations(packs: Any, rule_id: str, cited: str) -> None:
    rule = next(r for p in packs.values() for r in p.rules if r.id == rule_id)
    assert rule.reference.cited == cited


def test_no_outdated_day_name_in_the_gongwen_examples(packs: Any) -> None:
    """全国法制宣传日 has been 国家宪法日 (12月4日) since 2014: no passing example calls it right."""
    gw301 = packs["gongwen"].rule("GW301")
    texts = [*gw301.examples["pass"], *(t.right_example for t in gw301.params.terms)]
    assert not any("全国法制宣传日" in t for t in texts)


def test_resolved_data_is_what_build_reads(tmp_path: Path) -> None:
    """Validation stores the resolved citation (plain data, JSON-ready) that build_pack reads."""
    path = _pack(tmp_path, "{source: gwtl2012, clause: art9}")
    data = validate_pack_data(path.read_bytes(), str(path))
    ref = data["rules"][0]["reference"]
    assert ref["document"] == "《党政机关公文处理工作条例》" and ref["article"] == "第九条"
    assert build_pack(data, source=str(path)).rules[0].reference.cited == "《党政机关公文处理工作条例》第九条"


def test_validate_rules_checks_the_registry(tmp_path: Path) -> None:
    from conftest import invoke

    ok = invoke("validate-rules", str(REGISTRY))
    assert ok.exit_code == 0 and "source registry, 7 sources, schema ok" in ok.stdout
    bad = tmp_path / "sources.yaml"
    bad.write_text(REGISTRY.read_text(encoding="utf-8").replace("    kind: standard\n", "    kind: norm\n", 1),
                   encoding="utf-8")
    out = invoke("validate-rules", str(bad))
    assert out.exit_code == 2 and "key 'sources.gbt9704.kind'" in out.stdout and "'norm' is not one of" in out.stdout


def test_explain_of_a_cross_report_rule_quotes_the_registry() -> None:
    from conftest import invoke

    registry = load_registry(REGISTRY)
    out = invoke("explain", "XR202").stdout
    assert "依据：《法治政府建设与责任落实督察工作规定》\n" in out
    for cid in ("part-4", "part-1"):
        assert f"    原文：“{registry['dc2019']['clauses'][cid]['text']}”\n" in out
    assert "    说明：" in out and "本工具的经验规则" in out
