from __future__ import annotations

from auditor.models import replace
from pathlib import Path
from typing import Any

import pytest

from auditor.models import Evidence, Scorecard, Status
from auditor.reporters import github

from .conftest import EMPTY_PATH, SEED_PATHS, WAIVER_REASON, render, summary


def test_escaping_follows_the_runner() -> None:
    assert github.escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github.command("error", "m", file="a,b.txt", line=None, title="t:1") == "::error file=a%2Cb.txt,title=t%3A1::m"
    assert github.command("notice", "x") == "::notice::x"


def test_annotations(cards: list[Scorecard], ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    lines = render("github", cards, ctx).splitlines()
    commands = [ln for ln in lines if ln.startswith("::")]
    n_fail = sum(r.status is Status.FAIL for c in cards for r in c.results)
    n_warn = sum(r.status is Status.WARN for c in cards for r in c.results)
    assert sum(ln.startswith("::error ") for ln in commands) == n_fail + 1  # + the unreadable report
    assert sum(ln.startswith("::warning ") for ln in commands) == n_warn
    ar301 = next(ln for ln in commands if "title=AR301 " in ln)
    assert ar301.startswith(f"::error file={SEED_PATHS[2]},line=29,title=AR301 文末有发文单位落款::文末没有落款，文首第2行的")
    assert "%0A修改建议：" in ar301 and "%0A依据：《党政机关公文处理工作条例》第九条" in ar301
    ar105 = next(ln for ln in commands if "title=AR105 " in ln and SEED_PATHS[2] in ln)  # an absence: no line
    assert ar105.startswith(f"::error file={SEED_PATHS[2]},title=AR105 ")
    assert f"::error file={EMPTY_PATH},title=无法检查::文件为空" in commands
    assert lines[-1] == summary(cards)


def test_document_text_cannot_inject_commands(cards: list[Scorecard]) -> None:
    card = cards[2]
    evil = tuple(replace(r, evidence=(Evidence(7, "x\n::error file=/etc/passwd::pwned\r\n"),))
                 if r.status is Status.FAIL else r for r in card.results)
    out = render("github", [replace(card, results=evil, path="a,b:c.txt")])
    assert not any("pwned" in ln and not ln.startswith("::error file=a%2Cb%3Ac.txt,") for ln in out.splitlines())
    assert "x%0A::error file=/etc/passwd::pwned%0D%0A" in out


def test_waived_is_a_notice(waived_cards: list[Scorecard], ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = render("github", waived_cards, ctx)
    (notice,) = [ln for ln in out.splitlines() if ln.startswith("::notice ")]
    assert "title=AR105 " in notice and notice.endswith(f"::已豁免：{WAIVER_REASON}")


def test_job_summary_is_appended(cards: list[Scorecard], ctx: Any, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    render("github", cards, ctx)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    assert "| 文件 | 结论 | 得分 | 不合格项 | 警告项 |" in text
    card = cards[2]
    fails = " ".join(r.rule for r in card.results if r.status is Status.FAIL)
    warns = " ".join(r.rule for r in card.results if r.status is Status.WARN)
    assert f"| fixtures/seeds/004\\_c31362d728184ceb.txt | ✘ 不合格 | {card.score:g} | {fails} | {warns} |" in text


def test_no_line_for_extracted_text(cards: list[Scorecard]) -> None:
    docx = replace(cards[2], path="reports/a.docx", fmt="docx")
    out = render("github", [docx])
    ar301 = next(ln for ln in out.splitlines() if "title=AR301 " in ln)
    assert ar301.startswith("::error file=reports/a.docx,title=AR301 ") and "%0A第29行：" in ar301


def test_unwritable_summary_is_a_warning(cards: list[Scorecard], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing-dir" / "summary.md"))
    out = render("github", cards)
    assert out.splitlines()[-1].startswith("::warning::cannot write the job summary")
