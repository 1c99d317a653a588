from __future__ import annotations

import copy
from auditor.models import replace
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from auditor.models import Scorecard, Status
from auditor.reporters import sarif

from .conftest import EMPTY_PATH, SEED_PATHS, WAIVER_REASON, by_path, render

SCHEMA_FILE = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256, "the vendored schema was changed (see data/README.md)"
    data: dict[str, Any] = json.loads(raw)
    return data


def validate(log: dict[str, Any], schema: dict[str, Any]) -> None:
    """Against the official schema: with the validator it declares (draft-04), and with Draft 7."""
    declared = jsonschema.validators.validator_for(schema)
    assert declared is jsonschema.Draft4Validator
    for cls in (declared, jsonschema.Draft7Validator):
        cls.check_schema(schema)
        errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def log_of(cards: list[Scorecard], ctx: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render("sarif", cards, ctx))
    return data


def test_valid_against_the_official_schema(cards: list[Scorecard], waived_cards: list[Scorecard], ctx: Any,
                                           schema: dict[str, Any]) -> None:
    for batch in (cards, waived_cards, cards[:1], [cards[-1]]):
        validate(log_of(batch, ctx), schema)
    validate(log_of(cards, None), schema)  # without pack metadata too


def test_the_schema_is_really_enforced(cards: list[Scorecard], ctx: Any, schema: dict[str, Any]) -> None:
    log = log_of(cards, ctx)
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(broken, schema)
    broken = copy.deepcopy(log)
    del broken["runs"][0]["tool"]["driver"]["name"]
    with pytest.raises(AssertionError):
        validate(broken, schema)


def test_a_rule_entry_per_rule_with_help(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    run = log_of(cards, ctx)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    annual = packs["annual"]
    assert [r["id"] for r in rules] == [r.id for r in annual.rules]
    ar303 = next(r for r in rules if r["id"] == "AR303")
    spec = annual.rule("AR303")
    assert ar303["name"] == spec.name
    assert ar303["shortDescription"]["text"] == spec.title
    assert ar303["fullDescription"]["text"] == spec.message
    assert spec.hint in ar303["help"]["text"] and f"依据：{spec.reference.cited}：“每年4月1日之前" in ar303["help"]["text"]
    assert "第二十四条" not in ar303["help"]["text"]  # the sentence is confirmed, its article number is not
    assert ar303["defaultConfiguration"]["level"] == "error"
    assert next(r for r in rules if r["id"] == "AR001")["defaultConfiguration"]["level"] == "warning"


def test_results_levels_and_locations(cards: list[Scorecard], ctx: Any) -> None:
    run = log_of(cards, ctx)["runs"][0]
    results = run["results"]
    expected = [(c.path, r.rule, r.status) for c in cards for r in c.results if r.status in (Status.FAIL, Status.WARN)]
    got = [(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], res["ruleId"],
            res["level"]) for res in results]
    assert got == [(p, rule, "error" if st is Status.FAIL else "warning") for p, rule, st in expected]
    rules = run["tool"]["driver"]["rules"]
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    c004 = [res for res in results if res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == SEED_PATHS[2]]
    ar301 = next(res for res in c004 if res["ruleId"] == "AR301")
    region = ar301["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 29 and region["snippet"]["text"].startswith("（三）创新普法宣传新形式")
    assert "文末没有落款" in ar301["message"]["text"]
    ar105 = next(res for res in c004 if res["ruleId"] == "AR105")  # an absence: no line to point at
    assert "region" not in ar105["locations"][0]["physicalLocation"]
    ar106 = next(res for res in c004 if res["ruleId"] == "AR106")  # two places: the second is related
    assert ar106["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 24


def test_error_card_is_a_tool_execution_notification(cards: list[Scorecard], ctx: Any) -> None:
    run = log_of(cards, ctx)["runs"][0]
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and EMPTY_PATH in note["message"]["text"] and "文件为空" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == EMPTY_PATH
    ok = log_of(cards[:3], ctx)["runs"][0]["invocations"][0]
    assert ok == {"executionSuccessful": True}


def test_waived_is_an_external_suppression(waived_cards: list[Scorecard], ctx: Any) -> None:
    results = log_of(waived_cards, ctx)["runs"][0]["results"]
    (waived,) = [r for r in results if "suppressions" in r]
    assert waived["ruleId"] == "AR105" and waived["level"] == "error"
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted", "justification": WAIVER_REASON}]
    assert by_path(waived_cards, SEED_PATHS[2]).verdict == "fail"  # AR301, AR302 still fail


def test_artifact_uris() -> None:
    assert sarif.artifact("./reports/a.txt") == {"uri": "reports/a.txt", "uriBaseId": "%SRCROOT%"}
    assert sarif.artifact("报告 2023.docx")["uri"] == "%E6%8A%A5%E5%91%8A%202023.docx"
    assert sarif.artifact("/srv/r/a b.pdf") == {"uri": "file:///srv/r/a%20b.pdf"}
    assert sarif.artifact("dir\\x.txt")["uri"] == "dir/x.txt"


def test_extracted_lines_of_binary_formats_are_not_file_regions(cards: list[Scorecard], ctx: Any,
                                                                schema: dict[str, Any]) -> None:
    docx = replace(cards[2], path="reports/报告.docx", fmt="docx")
    log = log_of([docx], ctx)
    validate(log, schema)
    ar301 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "AR301")
    loc = ar301["locations"][0]
    assert "region" not in loc["physicalLocation"]
    assert loc["properties"]["extractedLine"] == 29 and loc["message"]["text"].startswith("第29行：")
