from __future__ import annotations

from auditor.models import replace
import xml.etree.ElementTree as ET
from typing import Any

from auditor.models import Evidence, Scorecard, Status

from .conftest import EMPTY_PATH, SEED_PATHS, WAIVER_REASON, render


def parse(cards: list[Scorecard], ctx: Any = None) -> ET.Element:
    text = render("junit", cards, ctx)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(text.encode("utf-8"))


def test_one_suite_per_report_one_case_per_rule(cards: list[Scorecard], ctx: Any) -> None:
    root = parse(cards, ctx)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [*SEED_PATHS, EMPTY_PATH]
    for suite, card in zip(suites, cards):
        cases = suite.findall("testcase")
        if card.verdict == "error":
            continue
        assert [c.get("name") for c in cases] == [f"{r.rule} {r.title}" for r in card.results]
        assert {c.get("classname") for c in cases} == {"annual"}
        assert suite.get("tests") == str(len(card.results))
        assert suite.get("failures") == str(sum(r.status is Status.FAIL for r in card.results))
        assert suite.get("skipped") == str(sum(r.status is Status.SKIP for r in card.results))
        assert len(suite.findall("testcase/failure")) == int(suite.get("failures", "-1"))
        assert len(suite.findall("testcase/skipped")) == int(suite.get("skipped", "-1"))
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in suites))
    assert root.get("failures") == str(sum(r.status is Status.FAIL for c in cards for r in c.results))
    assert root.get("errors") == "1"


def test_failure_carries_evidence_hint_and_reference(cards: list[Scorecard], ctx: Any) -> None:
    suite = parse(cards, ctx).findall("testsuite")[2]
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props == {"pack": "annual", "verdict": "fail", "score": str(cards[2].score), "report_year": "2023",
                     "body": "沙坪坝区人民政府小龙坎街道办事处"}
    case = next(c for c in suite if c.get("name", "").startswith("AR301 "))
    failure = case.find("failure")
    assert failure is not None and failure.get("message", "").startswith("文末没有落款，文首第2行的")
    assert failure.get("type") == "error"
    text = failure.text or ""
    assert "第29行：（三）创新普法宣传新形式" in text and "修改建议：" in text and "依据：《党政机关公文处理工作条例》第九条" in text


def test_warn_passes_with_system_out_and_skip_is_skipped(cards: list[Scorecard], ctx: Any) -> None:
    suite = parse(cards, ctx).findall("testsuite")[1]
    warn = next(c for c in suite if c.get("name", "").startswith("AR201 "))
    assert warn.find("failure") is None and warn.find("skipped") is None
    out = warn.find("system-out")
    assert out is not None and (out.text or "").startswith("警告：")
    skip = next(c for c in suite if c.get("name", "").startswith("AR202 "))
    assert skip.find("skipped") is not None
    passed = next(c for c in suite if c.get("name", "").startswith("AR002 "))
    assert list(passed) == []


def test_error_card_is_a_suite_with_an_error(cards: list[Scorecard], ctx: Any) -> None:
    suite = parse(cards, ctx).findall("testsuite")[3]
    assert suite.get("errors") == "1" and suite.get("tests") == "1"
    error = suite.find("testcase/error")
    assert error is not None and error.get("message") == "文件为空"


def test_waived_is_skipped_with_the_reason(waived_cards: list[Scorecard], ctx: Any) -> None:
    suite = parse(waived_cards, ctx).findall("testsuite")[2]
    case = next(c for c in suite if c.get("name", "").startswith("AR105 "))
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == f"豁免：{WAIVER_REASON}"


def test_text_xml_cannot_carry_is_dropped(cards: list[Scorecard]) -> None:
    card = cards[2]
    bad = tuple(replace(r, message="a\x00b\x1b<c>&\"d\"", evidence=(Evidence(3, "x\x0cy"),))
                if r.status is Status.FAIL else r for r in card.results)
    root = parse([replace(card, results=bad, path="报告<1>&.txt")])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "报告<1>&.txt"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("message") == 'ab<c>&"d"' and "第3行：xy" in (failure.text or "")
