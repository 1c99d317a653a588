"""Report-type detection: title → preamble → headings, both ways, with the deciding line kept."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from auditor.document.search import _GLOBAL_FLAGS, first_and_count, needs_of, ruled_out
from auditor.document.signs import views, weigh, weigh_while
from auditor.run.detect import Refusal, _other_kind, decide, detect, other_kind, shipped_kinds
from auditor.run.engine import AuditOptions, audit_file, audit_text
from auditor.models import RawText, SourceLine
from auditor.reporters import ReportContext, get
from auditor.reporters.json_report import card_dict
from auditor.document.structure import build

from conftest import FIXTURES


def _doc(text: str) -> Any:
    return build(RawText(path="<t>", fmt="txt", lines=tuple(SourceLine(s) for s in text.splitlines())))


DUTY_BODY = "一、履职情况\n本人带头学法。\n二、存在的问题\n学法不够系统。\n三、下一步打算\n一是坚持学法。二是加强督办。"
ANNUAL_BODY = ("一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n培训不足。\n三、主要负责人履行推进法治建设第一责任人职责情况\n"
               "书记带头学法。\n四、2024年工作安排\n一是加强培训。二是深化普法。\n五、其他需要报告的情况\n无。")

# text → (pack, reason, 1-based line of the evidence)
CASES: dict[str, tuple[str, str, int]] = {
    "某县县委书记张三2023年度履行推进法治建设第一责任人职责情况的报告\n" + DUTY_BODY: ("duty", "title", 1),
    "某县县长2023年度述法报告\n" + DUTY_BODY: ("duty", "title", 1),
    "2023年，本人认真履职。现将本人履行推进法治建设第一责任人职责情况报告如下：\n" + DUTY_BODY: ("duty", "preamble", 1),
    "某县2023年法治政府建设情况报告\n" + ANNUAL_BODY: ("annual", "title", 1),
    "2023年，某县依法行政。现将2023年度法治政府建设情况报告如下：\n" + ANNUAL_BODY: ("annual", "preamble", 1),
    # both packs' signs in the title: the headings decide (five annual parts)
    "关于2023年度法治政府建设和主要负责人履行第一责任人职责情况的报告\n" + ANNUAL_BODY: ("annual", "title", 1),
    # both in the preamble, the headings tie: the narrower duty signs win (priority)
    "现将本人2023年度履行推进法治建设第一责任人职责、推进法治政府建设情况报告如下：\n一、履行推进法治建设第一责任人职责情况\n"
    "本人带头学法。\n二、存在的问题\n不够系统。\n三、下一步打算\n一是学法。二是督办。": ("duty", "preamble", 1),
    # no title, no preamble sign: the first person (本人) weighs most, with the headings
    "一、履职情况\n本人带头学法。\n二、存在的问题\n学法不够系统。": ("duty", "preamble", 2),
    "一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n培训不足。\n三、其他需要报告的情况\n无。": ("annual", "headings", 1),
    # headings both packs name alike, and no sign anywhere: the general pack
    "一、高度重视，加强组织领导\n开展普法12场。\n二、存在的问题\n培训不足。\n三、下一步工作计划\n一是加强培训。二是深化普法。":
        ("annual", "headings", 3),
}


@pytest.mark.parametrize("text", list(CASES), ids=[f"case{i}" for i in range(len(CASES))])
def test_detect(packs: Any, text: str) -> None:
    found = detect(_doc(text), packs)
    assert found is not None
    assert (found.pack.id, found.reason, found.evidence.no if found.evidence else None) == CASES[text]


@pytest.mark.parametrize(("text", "kind"), [
    ("关于做好2023年度法治政府建设年度报告工作的通知\n各单位：\n现将有关事项通知如下：\n一、报告内容\n略。", "notice"),
    ("某县2024年法治政府建设工作方案\n为推进法治政府建设，制定本方案。\n一、总体要求\n依法行政。", "plan"),
    ("某县党政主要负责人履行推进法治建设第一责任人职责规定\n第一条 为推进法治建设，制定本规定。", "regulation"),
    ("关于做好国庆节放假安排的通知\n各单位：\n现将有关事项通知如下。", "notice"),
], ids=["notice", "work-plan", "regulation", "holiday-notice"])
def test_other_kinds_are_refused_with_their_kind(packs: Any, text: str, kind: str) -> None:
    assert detect(_doc(text), packs) is None
    found = decide(_doc(text), packs)
    assert isinstance(found, Refusal) and found.kind == kind


def test_prose_is_neither() -> None:
    assert other_kind(_doc("今天天气很好。\n我们去公园散步。")) is None


def test_other_kind_names_the_title_line() -> None:
    found = other_kind(_doc("某县司法局\n关于报送2023年度述法报告的通知\n各乡镇："))
    assert found is not None and found.kind == "notice" and found.evidence is not None and found.evidence.no == 2
    assert other_kind(_doc("某县2023年法治政府建设工作总结和2024年工作要点\n一、主要工作\n略。")) is None


def test_detection_evidence_in_json_and_scorecard(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "duty" / "shufa_web.txt"), packs)
    data = card_dict(card)
    assert data["pack"] == "duty" and data["pack_evidence"] == {"line": 4, "text": "云溪县应急管理局局长赵强2023年度述法报告"}
    out = io.StringIO()
    get("text").write([card], out, ctx=ReportContext(packs=packs, color=False, width=100))
    assert "第一责任人职责履行情况报告（duty，据第4行）" in out.getvalue()


def test_mixed_batch_each_with_its_own_pack(packs: Any) -> None:
    names = ["duty/complete.txt", "duty/traditional.txt", "duty/annual_2025_web.txt", "seeds/000_ae009fae7ef3885b.txt"]
    got = [(c.pack, c.report_year) for c in (audit_file(str(FIXTURES / n), packs) for n in names)]
    assert got == [("duty", 2023), ("duty", 2024), ("annual", 2025), ("annual", 2023)]


def test_forced_pack_wins_over_detection(packs: Any) -> None:
    text = "某县2023年法治政府建设情况报告\n" + ANNUAL_BODY
    assert audit_text(text, packs).pack == "annual"
    assert audit_text(text, packs, AuditOptions(pack="duty")).pack == "duty"


@pytest.mark.parametrize(("text", "pack"), [
    # titles near another kind's words are still reports
    ("某县2023年法治政府建设工作情况及2024年工作安排\n2023年，某县坚持依法行政。\n一、主要工作\n开展普法12场。\n"
     "二、存在的问题\n培训不足。", "annual"),
    ("某县2023年法治政府建设工作总结和2024年工作要点\n2023年，某县坚持依法行政。\n一、主要工作\n开展普法12场。", "annual"),
    ("张某同志在2023年度述法会上的述法发言\n2023年以来，本人认真履行推进法治建设第一责任人职责。\n一、履职情况\n本人带头学法。",
     "duty"),
    ("某县2023年度开展法治政府建设情况\n2023年，某县坚持依法行政。\n一、主要工作\n开展普法12场。", "annual"),
    # a report that mentions plans, interpretations and meetings in its opening
    ("2023年，某镇深入推进法治政府建设，结合本镇实际，制定了《某镇法治政府建设实施方案》，重要政策同步开展政策解读。"
     "现将有关情况报告如下：\n一、主要举措\n开展普法12场。", "annual"),
], ids=["work-arrangement", "work-points", "shufa-speech", "kaizhan", "mentions"])
def test_reports_near_other_kinds_are_not_refused(packs: Any, text: str, pack: str) -> None:
    found = decide(_doc(text), packs)
    assert not isinstance(found, Refusal) and found is not None and found.pack.id == pack


def test_a_text_about_no_rule_of_law_work_is_no_report(packs: Any) -> None:
    """The year's work stated, parts, a reporting voice: still no report when it never speaks of 法治 or 依法."""
    text = ("2023年，某局围绕年度目标扎实开展各项工作。现将有关情况报告如下：\n一、主要工作情况\n完成项目建设12个。\n"
            "二、存在的问题\n资金不足。\n三、下一步工作安排\n加快项目进度。")
    found = decide(_doc(text), packs)
    assert isinstance(found, Refusal) and found.kind == "unknown" and found.evidence is None
    assert found.reason == "这不像法治政府建设报告或第一责任人职责履行情况报告：正文没有谈及法治建设或依法行政"
    # one mention of rule-of-law work is enough for the rest to count
    found = decide(_doc(text.replace("完成项目建设12个。", "完成项目建设12个，开展普法宣传3次。")), packs)
    assert not isinstance(found, Refusal) and found is not None and found.pack.id == "annual"


def test_thin_evidence_is_refused_saying_what_is_missing(packs: Any) -> None:
    """Rule-of-law prose, but no title or opening naming a report, no year's work stated, no parts."""
    text = "法治政府建设是全面依法治国的重点任务和主体工程。\n要坚持依法行政，推进法治政府建设，把法治思维贯穿始终。"
    found = decide(_doc(text), packs)
    assert isinstance(found, Refusal) and found.kind == "unknown"
    assert found.reason.endswith("标题或开头未写明报告类型；开头未陈述本单位一年来的工作；没有报告的部分结构（一、二、…）")
    card = audit_text(text, packs)
    assert card.verdict == "error" and card.error is not None and card.error.startswith("这不像法治政府建设报告")
    assert "--pack" in card.error


def test_an_organisation_reporting_its_year_is_no_person(packs: Any) -> None:
    """现将我街道… and 我委…第一责任人 are an organisation speaking, not a person's duty report."""
    text = ("2023年，我委认真落实《党政主要负责人履行推进法治建设第一责任人职责规定》，深入推进法治政府建设。"
            "现将我委2023年法治政府建设情况报告如下：\n一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n培训不足。")
    found = decide(_doc(text), packs)
    assert not isinstance(found, Refusal) and found is not None
    assert (found.pack.id, found.confidence, found.doubts) == ("annual", "high", ())


# text → doubts of a low confidence (empty: high)
CONFIDENCE = {
    # named by its title, parts there: high
    "某县2023年法治政府建设情况报告\n" + ANNUAL_BODY: (),
    # unnamed, but the year's work is stated and the parts are there: high
    "2023年，某县坚持依法行政，深入推进法治政府建设。\n" + ANNUAL_BODY: (),
    # unnamed, no year's work: low, saying so
    ANNUAL_BODY: ("标题或开头未写明报告类型", "开头未陈述本单位一年来的工作"),
    # unnamed, the year's work stated, no parts
    "2023年，某县坚持依法行政，深入推进法治政府建设，全年开展普法宣传12场，办理行政复议案件8件。":
        ("标题或开头未写明报告类型", "没有报告的部分结构（一、二、…）"),
    # named, but another kind shows strongly too (a report reprinted under news of it)
    "某县2023年法治政府建设情况报告\n近日，县政府公开了年度报告，全文如下：\n" + ANNUAL_BODY:
        ("也有新闻报道的迹象（第2行）",),
}


@pytest.mark.parametrize("text", list(CONFIDENCE), ids=[f"case{i}" for i in range(len(CONFIDENCE))])
def test_confidence_is_high_only_where_a_reader_would_not_hesitate(packs: Any, text: str) -> None:
    found = decide(_doc(text), packs)
    assert not isinstance(found, Refusal) and found is not None
    assert found.doubts == CONFIDENCE[text]
    assert found.confidence == ("low" if CONFIDENCE[text] else "high")


def test_a_lone_weak_sign_names_no_kind(packs: Any) -> None:
    """Thin evidence and only 会议强调 (a news sign weak alone): say what is missing, not “新闻报道”."""
    text = "法治政府建设是全面依法治国的重点任务。\n会议强调，要坚持依法行政，推进法治政府建设。"
    found = decide(_doc(text), packs)
    assert isinstance(found, Refusal) and found.kind == "unknown" and found.reason.startswith("这不像法治政府建设报告")


def _texts() -> list[Any]:
    paths = sorted((FIXTURES / "kinds").glob("*.txt")) + sorted((FIXTURES / "corpus" / "cases").glob("*.txt"))
    return [_doc(p.read_text(encoding="utf-8")) for p in paths]


def test_weighing_stops_only_where_the_outcome_is_settled() -> None:
    """A not-a-report kind is weighed only while it can still matter (issue 23): on every kind
    and corpus text, the kind found is the one weighing every sign of every kind finds, whenever
    its weight reaches what the caller asks for; below it, nothing that reaches it is reported."""
    kinds = shipped_kinds()
    shown = 0
    for doc in _texts():
        v = views(doc)
        full = _other_kind(v, kinds)
        for least in (0.5, 4.0, 10.0, 30.0):
            pruned = _other_kind(v, kinds, lambda score, least=least: score >= least)
            if full is not None and full[0] >= least:
                assert pruned == full
                shown += 1
            else:
                assert pruned is None or pruned[0] < least
    assert shown > 20  # the texts do show other kinds


def test_weigh_while_gives_what_weigh_gives_or_stops() -> None:
    kinds = shipped_kinds()
    doc = _doc("某县2024年法治政府建设工作方案\n为推进法治政府建设，制定本方案。\n一、总体要求\n依法行政。")
    for kind in kinds.kinds:
        v = views(doc)
        assert weigh_while(kind.signs, v, kind.reach, lambda most: True) == weigh(kind.signs, v)
        assert weigh_while(kind.signs, v, kind.reach, lambda most: False) is None


def test_a_sign_ruled_out_by_its_literals_would_find_nothing(packs: Any) -> None:
    """Signs are compiled only when their literals do not rule them out (issue 23): ruling out
    from the patterns' text must never hide a match, and the text's analysis must be the one the
    compiled pattern has (same flags)."""
    kinds = shipped_kinds()
    signs = [s for k in kinds.kinds for s in k.signs] + list(kinds.about)
    signs += [s for p in packs.values() for s in p.detect_signs]
    for sign in signs:
        for source in sign.sources:
            assert _GLOBAL_FLAGS.match(source) or re.compile(source).flags == re.UNICODE, source
    ruled = 0
    for doc in _texts():
        v = views(doc)
        for sign in signs:
            lines = v.of(sign.where)
            needs = needs_of(sign.sources)
            if needs is not None and ruled_out(needs, lines):
                ruled += 1
                assert first_and_count(lines, sign.patterns, sign.max) == (None, 0), (sign, doc.lines[0].text)
    assert ruled > 1000  # most kinds' signs are ruled out in most texts


def test_decide_is_what_weighing_every_sign_of_every_kind_decides(packs: Any, every_document: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcuts of detection (issue 23) change no decision: on every fixture, corpus and perf
    corpus text, `decide` (each kind weighed only while it can matter, its cheap places first;
    the report year read only for the pack chosen) gives what weighing every sign of every kind
    and assigning both packs in full gives."""
    import auditor.run.detect as detect_module
    from auditor.document.roles import assign

    docs = [doc for _, doc in every_document]
    fast = [decide(doc, packs) for doc in docs]
    monkeypatch.setattr(detect_module, "weigh_while", lambda signs, v, r, worth: weigh(signs, v))
    shown = {"report": 0, "refused": 0}
    for doc, found in zip(docs, fast):
        full = decide(doc, packs)
        assert found == full, doc.lines[0].text if doc.lines else doc
        if isinstance(found, Refusal):
            shown["refused"] += 1
        elif found is not None:
            shown["report"] += 1
            assert found.document == assign(doc, found.pack.roles, found.pack.year)
            for pack in packs.values():  # the other pack's roles weigh as its full assignment gives them
                assert assign(doc, pack.roles, pack.year).parts == detect_module._weigh_pack(pack, views(doc), doc)[1]
    assert shown["report"] > 100 and shown["refused"] > 10, shown


def test_weigh_while_in_its_order_finds_what_weigh_finds(every_document: Any) -> None:
    """Each kind's signs are weighed cheap places first (title, opening, then headings, then the
    body), heaviest first within them: on every text, a weighing that goes on to the end gives
    what `weigh` gives, and one stopped could not have reached what it was asked for."""
    kinds = shipped_kinds()
    stopped = 0
    for _, doc in every_document:
        v = views(doc)
        for kind in kinds.kinds:
            full = weigh(kind.signs, v)
            assert weigh_while(kind.signs, v, kind.reach, lambda most: True) == full
            for least in (4.0, 10.0, 20.0):
                got = weigh_while(kind.signs, v, kind.reach, lambda most, least=least: most >= least)
                if full[0] >= least:
                    assert got == full
                else:
                    stopped += got is None
                    assert got is None or got == full
    assert stopped > 1000
