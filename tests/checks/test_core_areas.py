"""AR209's kind: which core areas part 1 reports with a figure, by kind of body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.document.bodies import body_kind, kind_of_name
from auditor.errors import RuleFileError
from auditor.models import Met
from auditor.packs.areas import load_areas, shipped_areas

from conftest import FIXTURES, make_doc, run_kind

SCOPE = {"role": "achievements"}


def statuses(out: Any) -> dict[str, str]:
    return {a["name"]: a["status"] for a in out.data["areas"]}


def part1(head: str, body: str, tail: str = "") -> str:
    return f"{head}\n一、主要举措和成效\n{body}\n二、存在的问题\n培训不足。\n{tail}"


TOWN = "某某镇2023年度法治政府建设工作报告"
COUNTY = "某某县人民政府关于2023年度法治政府建设情况的报告"


@pytest.mark.parametrize(("name", "kind"), [
    ("重庆市南岸区人民政府龙门浩街道办事处", "township"),  # a 街道 under a district government
    ("常德市鼎城区周家店镇人民政府", "township"),
    ("某某县司法局", "department"),
    ("某县人民政府办公室", "department"),
    ("某区发展和改革委员会", "department"),
    ("某某区人民政府", "government"),
    ("中共某某县委", "government"),
    ("西洞庭管理区", "government"),
    ("张三", None),
])
def test_kind_of_name(name: str, kind: str | None) -> None:
    assert kind_of_name(name) == kind


@pytest.mark.parametrize(("text", "kind", "source"), [
    (part1("某某县司法局2023年法治政府建设情况报告", "开展普法12场。"), "department", "标题"),
    (part1("", "开展普法12场。", "无。\n某某县人民政府\n2024年3月1日").replace("二、存在的问题\n培训不足。\n",
                                                                       "二、其他需要报告的情况\n"),
     "government", "落款"),
    ("2023年,龙门浩街道坚持以习近平法治思想为指导。\n一、主要举措和成效\n开展普法12场。", "township", "开头"),
    ("2023年，我局认真贯彻落实法治政府建设部署。\n一、主要举措和成效\n开展普法12场。", "department", "开头"),
])
def test_body_kind_read_from_title_signature_or_opening(annual: Any, text: str, kind: str, source: str) -> None:
    found = body_kind(make_doc(text, annual))
    assert found is not None and (found.kind, found.source) == (kind, source)


def test_unknown_body_gets_the_government_list(annual: Any) -> None:
    out = run_kind("core_areas", "一、主要举措和成效\n开展普法活动65场。\n二、存在的问题\n培训不足。", {}, annual, scope=SCOPE)
    assert out.met is Met.UNMET and "未能从落款、标题或开头看出单位类别" in out.message
    assert out.data["body_kind"] == "government" and out.data["body_from"] is None
    assert "n/a" not in statuses(out).values()  # a government answers for every area


def test_seed_002_township_warns_naming_what_is_missing(annual: Any) -> None:
    text = (FIXTURES / "seeds/002_84eb398e434a8021.txt").read_text(encoding="utf-8")
    out = run_kind("core_areas", text, {}, annual, scope=SCOPE)
    assert out.met is Met.UNMET
    assert statuses(out) == {
        "行政复议": "n/a", "行政应诉": "missing", "负责人出庭应诉": "n/a", "规范性文件审核备案": "n/a",
        "重大行政决策合法性审查": "missing", "行政执法“三项制度”": "mentioned", "普法": "reported",
        "矛盾纠纷化解": "reported"}
    assert "据落款“常德市鼎城区周家店镇人民政府”" in out.message
    assert "没有写出数据的：行政应诉、重大行政决策合法性审查、行政执法“三项制度”（提到但没有数字）" in out.message
    assert "矛盾纠纷化解（矛盾纠纷205件）" in out.message  # the area, quoted with its figure
    figures = {a["name"]: a["figure"] for a in out.data["areas"]}
    assert figures["矛盾纠纷化解"] == "205件" and figures["普法"] == "5次"


def test_seed_004_reports_every_township_area(annual: Any) -> None:
    text = (FIXTURES / "seeds/004_c31362d728184ceb.txt").read_text(encoding="utf-8")
    out = run_kind("core_areas", text, {}, annual, scope=SCOPE)
    assert out.met is Met.MET, out.message
    assert {s for s in statuses(out).values()} == {"reported", "n/a"}
    areas = {a["name"]: a for a in out.data["areas"]}
    assert areas["行政应诉"]["figure"] == "1件" and "行政诉讼案1件" in areas["行政应诉"]["quote"]


def test_figure_must_be_near_its_words(annual: Any) -> None:
    far = "全面推进行政复议规范化建设，不断完善工作机制、强化队伍建设、提升办案质量、优化服务水平，全年召开会议12次。"
    near = "全年受理行政复议申请12件。"
    for body, status in ((far, "mentioned"), (near, "reported")):
        out = run_kind("core_areas", part1(COUNTY, body), {}, annual, scope=SCOPE)
        assert statuses(out)["行政复议"] == status


def test_figure_must_be_in_the_same_sentence(annual: Any) -> None:
    out = run_kind("core_areas", part1(COUNTY, "加强行政应诉工作。全年开展培训3次。"), {}, annual, scope=SCOPE)
    assert statuses(out)["行政应诉"] == "mentioned"


def test_none_is_a_figure(annual: Any) -> None:
    out = run_kind("core_areas", part1(COUNTY, "全年无行政复议案件，无败诉案件。"), {}, annual, scope=SCOPE)
    assert statuses(out)["行政复议"] == "reported"


def test_a_year_or_one_mechanism_is_no_figure(annual: Any) -> None:
    out = run_kind("core_areas", part1(COUNTY, "2023年建立一个行政复议工作机制。"), {}, annual, scope=SCOPE)
    assert statuses(out)["行政复议"] == "mentioned"


def test_department_answers_for_review_only_until_2023(annual: Any) -> None:
    body = "全年受理行政复议申请3件。开展普法活动12场。"
    for year, status in ((2023, "reported"), (2024, "n/a")):
        head = f"某某县市场监督管理局{year}年法治政府建设情况报告"
        out = run_kind("core_areas", part1(head, body), {}, annual, scope=SCOPE)
        assert out.data["body_kind"] == "department"
        assert statuses(out)["行政复议"] == status


def test_max_missing_tolerates_that_many(annual: Any) -> None:
    text = part1(TOWN, "办理行政诉讼案件2件。审查重大行政决策3件。评查行政执法案卷20卷，培训执法人员50人次。开展普法12场。")
    assert run_kind("core_areas", text, {}, annual, scope=SCOPE).met is Met.UNMET  # 调解 missing
    assert run_kind("core_areas", text, {"max_missing": 1}, annual, scope=SCOPE).met is Met.MET


def test_skipped_without_part_1(annual: Any) -> None:
    out = run_kind("core_areas", f"{COUNTY}\n一、存在的问题\n培训不足。", {}, annual, scope=SCOPE)
    assert out.met is Met.NOT_APPLICABLE


def test_a_province_file_replaces_the_areas(annual: Any, tmp_path: Path) -> None:
    f = tmp_path / "areas.yaml"
    f.write_text("areas:\n  - name: 公共法律服务\n    words: [法律援助]\n    bodies: [government, township]\n",
                 encoding="utf-8")
    out = run_kind("core_areas", part1(TOWN, "办理法律援助案件30件。"), {"areas_file": str(f)}, annual, scope=SCOPE)
    assert out.met is Met.MET and statuses(out) == {"公共法律服务": "reported"}


@pytest.mark.parametrize(("content", "says"), [
    ("areas:\n  - name: 普法\n    words: []\n    bodies: [government]\n", "should be non-empty"),
    ("areas:\n  - name: 普法\n    words: [普法]\n    bodies: [county]\n", "is not one of"),
    ("areas:\n  - name: 普法\n    words: [普法]\n    bodies: [government]\n  - name: 普法\n"
     "    words: [宣传]\n    bodies: [government]\n", "listed twice"),
    ("areas: [", "not valid YAML"),
])
def test_invalid_areas_file_is_a_rule_file_error(tmp_path: Path, content: str, says: str) -> None:
    f = tmp_path / "areas.yaml"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError, match=says):
        load_areas(str(f))


def test_shipped_file_is_valid() -> None:
    areas = shipped_areas()
    assert [a.name for a in areas.areas][:3] == ["行政复议", "行政应诉", "负责人出庭应诉"]
    township = [a.name for a in areas.areas if a.applies("township", 2024)]
    assert township == ["行政应诉", "重大行政决策合法性审查", "行政执法“三项制度”", "普法", "矛盾纠纷化解"]


def test_a_count_in_the_next_sentence_that_goes_on_with_the_subject(annual: Any) -> None:
    # a figure a sentence away, in Chinese numerals: the count goes on with the last sentence's subject
    goes_on = "认真做好行政复议工作。全年共受理十二件，审结十件。"
    other = "认真做好行政复议工作。全年开展培训3次。"
    for body, status in ((goes_on, "reported"), (other, "mentioned")):
        out = run_kind("core_areas", part1(COUNTY, body), {}, annual, scope=SCOPE)
        assert statuses(out)["行政复议"] == status, body
    out = run_kind("core_areas", part1(COUNTY, goes_on), {}, annual, scope=SCOPE)
    assert {a["name"]: a["figure"] for a in out.data["areas"]}["行政复议"] == "十二件"


def test_a_figure_before_the_word_counts_only_in_its_clause(annual: Any) -> None:
    # page-05 of the corpus: 4次 counts the meetings, not the 法治宣传 they studied
    other = "全年召开党工委专题会议4次,专题研究法治宣传、执法规范、矛盾化解等重点任务。"
    same = "全年开展12场法治宣传活动。"
    for body, status in ((other, "mentioned"), (same, "reported")):
        out = run_kind("core_areas", part1(TOWN, body), {}, annual, scope=SCOPE)
        assert statuses(out)["普法"] == status, body


def test_coordinating_is_no_mediation(annual: Any) -> None:
    # page-47 of the corpus: 协调解决 holds 调解 but is no mediation
    out = run_kind("core_areas", part1(COUNTY, "搭建政企常态化沟通平台。2024年,为企业协调解决各类问题需求68件次。"),
                   {}, annual, scope=SCOPE)
    assert statuses(out)["矛盾纠纷化解"] == "missing"


def test_a_text_cut_off_inside_part_1_calls_no_area_missing(annual: Any) -> None:
    # page-07 of the corpus: the page keeps only the beginning of part 1 (no later part, no signature)
    body = ("完善重大执法决定法制审核制度,全年完成重大法制审核案件36件,确保执法行为合法合规。\n"
            "整合人民调解、司法调解、行政调解资源,全年排查化解矛盾纠纷391件,化解率达96%。推进民主法治示范社")
    cut = run_kind("core_areas", f"{TOWN}\n一、主要举措和成效\n{body}", {}, annual, scope=SCOPE)
    assert cut.met is Met.NOT_APPLICABLE and "可能不完整" in cut.message
    assert "矛盾纠纷化解（矛盾纠纷391件）" in cut.message  # what it did find is still said
    whole = run_kind("core_areas", part1(TOWN, body), {}, annual, scope=SCOPE)  # part 2 follows: complete
    assert whole.met is Met.UNMET and "行政应诉" in whole.message
    signed = run_kind("core_areas", f"{TOWN}\n一、主要举措和成效\n{body}。\n某某镇人民政府\n2024年3月1日", {}, annual,
                      scope=SCOPE)
    assert signed.met is Met.UNMET


def test_a_closing_bracket_does_not_end_the_sentence(annual: Any) -> None:
    # page-49 of the corpus stops at “组织召开第二次府院联动联席(扩大)”: still mid-sentence
    text = (f"{COUNTY}\n一、主要举措和成效\n(一)加强组织领导,统筹法治政府建设。制定印发《息县2023年度法治政府建设工作要点》,"
            "稳步推进府院联动工作,组织召开第二次府院联动联席(扩大)")
    assert run_kind("core_areas", text, {}, annual, scope=SCOPE).met is Met.NOT_APPLICABLE


def test_word_occurrences_are_what_finditer_of_each_escaped_word_finds() -> None:
    """The str.find scan gives the hits the per-word regex gave, empty words and overlaps included."""
    import random
    import re as _re

    from auditor.checks.core_areas import _occurrences

    rnd = random.Random(23)
    alphabet = "aab法治法法治治.*"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        words = tuple("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3))) for _ in range(rnd.randint(0, 4)))
        expected = [(m.start(), m.start() + len(w)) for w in words for m in _re.finditer(_re.escape(w), text)]
        assert _occurrences(text, words) == expected, (text, words)


def _find_plainly(lines: Any, area: Any, others: Any, reach: int) -> Any:
    """What `_find` finds, each sentence read on its own (the code before issue 23's shortcuts)."""
    from auditor.checks import core_areas as ca

    first = None
    for ln in lines:
        text = ln.norm
        if not ca._any_word(area.words).search(text):
            continue
        sentences = [s.span() for s in ca._SENTENCE.finditer(text)]
        for i, (a, b) in enumerate(sentences):
            hits = ca._hits(text, a, b, area)
            if not hits:
                continue
            first = first or ca._Found(ln, hits[0], None)
            figs = ca._figures(text, a, b)
            best = min(((ca._gap(h, f) + (0 if f[0] >= h[1] else ca._BEFORE), h, f, t)
                        for h in hits for f, t in figs if ca._gap(h, f) <= reach
                        and (f[0] >= h[1] or not ca._CLAUSE.search(text[f[1]:h[0]]))), default=None)
            if best is None and i + 1 < len(sentences):
                c, d = sentences[i + 1]
                if not ca._hits(text, c, d, area) and not any(w in text[c:d] for w in others):
                    after = [(f, t) for f, t in ca._figures(text, c, d) if ca._GOES_ON.fullmatch(text[c:f[0]].strip())]
                    best = min(((f[0] - c, hits[-1], f, t) for f, t in after), default=None)
            if best is not None:
                _, h, f, t = best
                return ca._Found(ln, (min(h[0], f[0]), max(h[1], f[1])), t), first
    return None, first


def test_words_found_line_by_line_are_those_found_sentence_by_sentence(every_document: Any) -> None:
    """`_find` finds an area's words once a line and shares each line's sentences and figures
    among the areas: on every fixture, corpus and perf-corpus text (each part, and the whole
    text), for every area, and for an area whose words hold a sentence's end (read sentence by
    sentence), it finds what reading each sentence on its own finds."""
    from auditor.checks import core_areas as ca
    from auditor.packs.areas import Area

    data = shipped_areas()
    odd = Area("odd", ("调解。", "普法"), ("government",), not_words=("普法;宣传",))
    areas = [*data.areas, odd]
    assert not ca._plain_words(odd) and all(ca._plain_words(a) for a in data.areas)
    compared = reported = 0
    for name, doc in every_document:
        for lines in (doc.lines, *(p.body for p in doc.parts)):
            shared = ca._Lines()
            for area in areas:
                fast = ca._find(lines, area, area.others, data.reach, shared)
                assert fast == _find_plainly(lines, area, area.others, data.reach), (name, area.name)
                compared += 1
                reported += fast[0] is not None
    assert compared > 5000 and reported > 1000
