"""Kind plan_answers: each shortcoming of part 2 meets a measure of part 4 by its subject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditor.errors import RuleFileError
from auditor.models import Met
from auditor.packs import plan_words

from conftest import run_kind

SCOPE = {"role": "shortcomings"}
P: dict[str, Any] = {}
HEAD = "一、主要举措和成效\n开展普法12场。\n二、存在的不足和原因\n"
PLAN = "\n三、2024年工作安排\n"


def _run(annual: Any, shortcomings: str, plan: str, params: dict[str, Any] = P) -> Any:
    return run_kind("plan_answers", HEAD + shortcomings + PLAN + plan, params, annual, scope=SCOPE)


def test_each_shortcoming_answered_by_its_subject(annual: Any) -> None:
    out = _run(annual, "一是行政执法不够规范。二是普法宣传形式单一。",
               "一是开展执法案卷评查，每季度一次。二是创新普法宣传形式，开展“宪法进万家”普法活动3场。")
    assert out.met is Met.MET
    assert "2条不足都有对应的举措" in out.message and "→第6行" in out.message


def test_an_unanswered_shortcoming_is_named_and_quoted_with_its_place(annual: Any) -> None:
    out = _run(annual, "（一）行政执法不够规范。\n（二）法治机构不健全。缺乏专业的人员。",
               "一是开展执法案卷评查，每季度一次。二是开展“宪法进万家”普法活动3场。")
    assert out.met is Met.UNMET
    assert "2条不足中有1条" in out.message and "第5行“法治机构不健全。”（法治机构）" in out.message
    assert [(e.line, e.text) for e in out.evidence] == [(5, "法治机构不健全。")]


def test_a_cause_is_part_of_its_shortcoming(annual: Any) -> None:
    # the measure answers the cause (学习 → 培训), and so the shortcoming
    out = _run(annual, "一是依法行政水平有待提高。原因：部分干部对法律知识学习不够深入。二是普法宣传形式单一。",
               "一是开展法律法规培训，全年4期。二是开展“宪法进万家”普法活动3场。")
    assert out.met is Met.MET


def test_awareness_needs_law_study_not_any_study(annual: Any) -> None:
    shortcoming = "（一）依法行政意识还不够强。一些单位思想认识不到位，执政为民理念淡薄。"
    vague = _run(annual, shortcoming, "（一）持续把法治工作纳入日常工作的议事日程，定期和不定期进行学习。")
    assert vague.met is Met.UNMET
    study = _run(annual, shortcoming, "（一）加强执法人员法治培训，全年组织轮训2期。")
    assert study.met is Met.MET


def test_a_bare_measure_is_no_answer_and_is_quoted(annual: Any) -> None:
    shortcomings = "一是行政执法不够规范。二是普法宣传形式单一。"
    plan = "一是继续加强行政执法工作。二是开展“宪法进万家”普法活动3场。"
    out = _run(annual, shortcomings, plan)
    assert out.met is Met.UNMET and "只有笼统表述第6行“继续加强行政执法工作。”" in out.message
    assert _run(annual, shortcomings, plan, {"concrete": False}).met is Met.MET


def test_blaming_the_public_is_answered_by_legal_education(annual: Any) -> None:
    out = _run(annual, "一是部分群众法治意识不够强，个别群众滥用信访权利，信访不信法。",
               "一是以社区法律之家为依托，为辖区群众提供法治宣传、法律咨询。")
    assert out.met is Met.MET


def test_outside_the_bodys_powers_needs_no_answer(annual: Any) -> None:
    out = _run(annual, "一是上位法滞后，部分事项缺少依据。二是普法宣传形式单一。", "一是开展“宪法进万家”普法活动3场。")
    assert out.met is Met.MET and "1条不在本单位职权内" in out.message


def test_shortcomings_without_a_known_subject(annual: Any) -> None:
    plan = "一是开展“宪法进万家”普法活动3场。"
    alone = _run(annual, "一是工作标准还不够高。", plan)
    assert alone.met is Met.NOT_APPLICABLE and "未能识别主题" in alone.message
    mixed = _run(annual, "一是工作标准还不够高。二是普法宣传形式单一。", plan)
    assert mixed.met is Met.MET and "1条未能识别主题" in mixed.message


@pytest.mark.parametrize("text", [
    HEAD + "一是行政执法不够规范。",  # no plan
    "一、主要举措和成效\n开展普法12场。" + PLAN + "一是开展执法人员轮训，全年2期。",  # no shortcomings
])
def test_skipped_when_either_part_is_missing(annual: Any, text: str) -> None:
    assert run_kind("plan_answers", text, P, annual, scope=SCOPE).met is Met.NOT_APPLICABLE


def test_shipped_words_files_validate() -> None:
    names = [s.name for s in plan_words.subjects()]
    for subject in ("行政执法", "教育培训", "普法宣传", "规范性文件", "行政决策", "行政复议和应诉", "法治机构",
                    "法治意识", "法治队伍", "监督"):
        assert subject in names
    assert plan_words.measures().quantity.search("全年轮训一次")


def test_a_bad_words_file_stops_the_run_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "subjects.yaml"
    bad.write_text("subjects:\n  - name: 执法\n    words: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        plan_words.subjects(str(bad))
    assert "subjects.0.words" in str(err.value)
    twice = tmp_path / "twice.yaml"
    twice.write_text("subjects:\n  - {name: 执法, words: [执法]}\n  - {name: 执法, words: [处罚]}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="listed twice"):
        plan_words.subjects(str(twice))


def test_a_words_file_is_validated_once_per_change_through_the_runs_store(tmp_path: Path) -> None:
    class Box:
        def __init__(self) -> None:
            self.data: dict[str, Any] = {}

        def get(self, key: str) -> dict[str, Any] | None:
            return self.data.get(key)

        def put(self, key: str, data: Any) -> None:
            self.data[key] = dict(data)

    box = Box()
    f = tmp_path / "subjects.yaml"
    f.write_text("subjects:\n  - {name: 执法, words: [执法]}\n", encoding="utf-8")
    assert plan_words.read(f, ("subjects",), lambda: box)["subjects"][0]["name"] == "执法"
    (key,) = box.data
    box.data[key] = {"subjects": [{"name": "从缓存读出", "words": ["执法"]}]}  # a later run reads the store
    assert plan_words.read(f, ("subjects",), lambda: box)["subjects"][0]["name"] == "从缓存读出"
    f.write_text("subjects:\n  - {name: 培训, words: [培训]}\n", encoding="utf-8")  # changed: validated again
    assert plan_words.read(f, ("subjects",), lambda: box)["subjects"][0]["name"] == "培训"


def test_causes_listed_apart_pair_with_their_problems(annual: Any) -> None:
    shortcomings = "（一）存在的不足\n1.依法行政水平有待提高。\n2.普法宣传形式单一。\n（二）原因分析\n1.干部法律知识学习不够。\n2.宣传手段单一。"
    out = _run(annual, shortcomings, "一是开展法律法规培训，全年4期。二是开展“宪法进万家”普法活动3场。")
    assert out.met is Met.MET and "2条不足都有对应的举措" in out.message


def test_a_broad_subject_gives_way_to_the_one_beside_it(annual: Any) -> None:
    # fixtures/duty/traditional.txt: the shortcoming is the 督導, not 依法行政; 學法 does not answer it
    shortcoming = "一是對部門依法行政的督導還不夠經常。"
    study = _run(annual, shortcoming, "一是堅持會前學法制度，全年會前學法不少於12次。")
    assert study.met is Met.UNMET and "（监督）" in study.message
    check = _run(annual, shortcoming, "一是完善法治督察機制，每半年開展一次專項督察。")
    assert check.met is Met.MET
    # alone, 依法行政 is still the subject (and 学法 answers it)
    alone = _run(annual, "一是依法行政水平有待提高。", "一是坚持会前学法制度，全年会前学法不少于12次。")
    assert alone.met is Met.MET


def test_the_publics_awareness_is_not_the_cadres(annual: Any) -> None:
    # fixtures/batch/copied/shuangfengqiao_2023.txt: the 意识 of “群众的法律意识” is the public's, so
    # 普法 answers it, and the finding pairs it with the 普法 measure, not with the cadres' 学法
    out = _run(annual, "一是法治宣传的覆盖面还不够广，农村地区群众的法律意识仍然较弱。",
               "（一）深入学习贯彻习近平法治思想。全年开展会前学法不少于12次。\n"
               "（二）创新普法宣传方式。针对企业、老年人、青少年等不同群体开展“菜单式”普法，建设社区法治文化阵地2个。")
    assert out.met is Met.MET and "→第7行“创新普法宣传方式。”" in out.message, out.message


def test_causes_listed_inline_are_not_shortcomings(annual: Any) -> None:
    # the two causes after “原因主要有：” pair with the two problems; they are not two more shortcomings
    out = _run(annual, "一是执法人员培训不足；二是普法宣传形式单一。产生这些问题的原因主要有：一是培训经费保障不足；二是宣传人员少。",
               "一是开展执法人员轮训，全年2期。二是开展“宪法进万家”普法活动3场。")
    assert out.met is Met.MET and "2条不足都有对应的举措" in out.message, out.message


def _subjects_plainly(text: str, known: Any) -> tuple[Any, ...]:
    """The subjects a text names, every word of every subject searched (as the code found them before
    issue 23), named by the one rule the check uses."""
    from auditor.checks.plan_answers import _spans, named_subjects

    return named_subjects([(s, spans) for s in known if (spans := _spans(text, s.words))])


def test_subjects_read_from_the_words_present_are_those_every_word_finds(every_document: Any) -> None:
    """`_read` looks only for the words its item's text holds (and in the statement only for those):
    on every item of every fixture, corpus and perf-corpus text's parts, the subjects are those
    searching every word finds."""
    from auditor.checks.plan_answers import Params, _read
    from auditor.document.items import split_items

    known = plan_words.subjects()
    compared = named = 0
    for name, doc in every_document:
        for part in doc.parts:
            for item in split_items(part.body):
                stated = _subjects_plainly(item.statement, known)
                about = stated + tuple(s for s in _subjects_plainly(item.text, known) if s not in stated)
                reading = _read(item, known, [], Params())
                assert (reading.subjects, reading.stated) == (about, len(stated)), (name, item.text[:40])
                compared += 1
                named += bool(about)
    assert compared > 1000 and named > 500
