from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from auditor.run import engine
from auditor.run.engine import UNKNOWN_TYPE, AuditOptions, audit_file, audit_text, time_budget

from conftest import FIXTURES


def test_unreadable_inputs_become_error_cards(packs: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    cases = {
        str(tmp_path / "missing.txt"): "文件不存在",
        str(tmp_path): "目录",
        str(empty): "文件为空",
    }
    for path, words in cases.items():
        card = audit_file(path, packs)
        assert card.verdict == "error" and words in (card.error or ""), (path, card.error)
        assert card.score is None and card.results == ()


def test_a_document_of_no_known_type_is_an_error(packs: Any) -> None:
    card = audit_text("今天天气很好。\n我们去公园散步。", packs)
    assert card.verdict == "error" and card.error == UNKNOWN_TYPE


def test_a_document_of_another_kind_is_refused_naming_it(packs: Any) -> None:
    card = audit_text("关于做好国庆节放假安排的通知\n各单位：\n现将有关事项通知如下。", packs)
    assert card.verdict == "error" and card.error is not None
    assert card.error.startswith("这是通知") and "第1行" in card.error and "--pack" in card.error


def test_forced_pack_audits_anyway(packs: Any) -> None:
    card = audit_text("关于做好国庆节放假安排的通知\n各单位：\n现将有关事项通知如下。", packs, AuditOptions(pack="annual"))
    assert card.verdict == "fail" and card.pack == "annual"


def test_a_crashing_check_is_isolated(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a: object, **k: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(engine, "analyse_raw", boom)
    card = audit_file(str(FIXTURES / "reports/compliant.txt"), packs)
    assert card.verdict == "error" and "内部错误" in (card.error or "") and "ZeroDivisionError" in (card.error or "")


def test_time_budget_turns_a_hang_into_an_error(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*a: object, **k: object) -> None:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(engine, "analyse_raw", slow)
    start = time.monotonic()
    card = audit_file(str(FIXTURES / "reports/compliant.txt"), packs, AuditOptions(time_budget=0.3))
    assert time.monotonic() - start < 5
    assert card.verdict == "error" and "超时" in (card.error or "")


def test_time_budget_restores_the_previous_handler() -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    with time_budget(5):
        pass
    assert signal.getsignal(signal.SIGALRM) == before


def test_size_cap(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "reports/compliant.txt"), packs, AuditOptions(max_bytes=100))
    assert card.verdict == "error" and "文件过大" in (card.error or "")


def test_disabled_rules_and_severity_overrides(packs: Any) -> None:
    path = str(FIXTURES / "reports/no_part5.txt")
    card = audit_file(path, packs, AuditOptions(disabled=frozenset({"AR105"})))
    assert "AR105" not in {r.rule for r in card.results} and card.verdict == "pass"
    card = audit_file(path, packs, AuditOptions(severity={"AR105": "warning"}))
    assert next(r for r in card.results if r.rule == "AR105").status.value == "warn"
    assert card.verdict == "pass"


def test_deadline_option(packs: Any) -> None:
    path = str(FIXTURES / "reports/compliant.txt")  # dated 2024年3月8日
    card = audit_file(path, packs, AuditOptions(deadline="03-01"))
    assert next(r for r in card.results if r.rule == "AR303").status.value == "fail"


def test_evidence_is_never_repeated_within_a_finding() -> None:
    from auditor.models import Evidence, RuleResult, Severity, Status
    from auditor.reporters import _common
    from auditor.run.engine import _unique

    a, b = Evidence(3, "开展普法活动12场"), Evidence(5, "覆盖1.2万人次")
    assert _unique((a, b, Evidence(3, "开展普法活动12场", where="第1页"), a)) == (a, b)
    r = RuleResult(rule="AR000", name="x", title="t", severity=Severity.WARNING, status=Status.WARN, message="m",
                   evidence=(a, b, a, a, b))
    assert _common.evidence_lines(r) == ["第3行：开展普法活动12场", "第5行：覆盖1.2万人次"]


def test_evidence_quotes_no_line_twice_where_excerpts_overlap() -> None:
    """Issue 12: a check's matches a few characters apart on one line (each with its window of
    context) become one excerpt; an excerpt of the same line that does not overlap stays."""
    from auditor.document.structure import build
    from auditor.models import Evidence, RawText, SourceLine

    line = "甲" * 50 + "共排查矛盾纠纷205件，调解成功205件，成功率达100%。" + "乙" * 50 + "另一句话在这里。"
    doc = build(RawText("x.docx", "docx", (SourceLine("标题"), SourceLine(line, where="第5页第1段"))))
    no = doc.lines[1].no
    first, second = line.index("共排查"), line.index("调解成功")
    far = line.index("另一句")
    evidence = (Evidence(no, "…" + line[first - 5:first + 20] + "…", "第5页第1段"),
                Evidence(1, "标题"),
                Evidence(no, "…" + line[second - 5:second + 25] + "…", "第5页第1段"),
                Evidence(no, "…" + line[far - 2:], "第5页第1段"))
    merged = engine._merged(evidence, doc)
    assert [e.line for e in merged] == [no, 1, no]
    assert merged[0] == Evidence(no, "…" + line[first - 5:second + 25] + "…", "第5页第1段")
    assert merged[2] == evidence[3]  # no overlap with the others: kept as it was


def test_seed_findings_do_not_repeat_evidence(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "seeds" / "002_84eb398e434a8021.txt"), packs)
    for res in card.results:
        for i, a in enumerate(res.evidence):
            for b in res.evidence[i + 1:]:
                if a.line is not None and a.line == b.line:
                    core_a, core_b = a.text.strip("…"), b.text.strip("…")
                    assert core_a not in core_b and core_b not in core_a, (res.rule, a, b)
                    assert core_a[-10:] not in core_b and core_b[:10] not in core_a, (res.rule, a, b)
