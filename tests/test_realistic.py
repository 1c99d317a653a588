"""Shapes real reports take that must not change a verdict (regulation.md §3)."""

from __future__ import annotations

from typing import Any

from auditor.run.engine import audit_text

BODY = """一、2023年推进法治政府建设的主要举措和成效
（一）加强组织领导。召开专题会议4次，开展普法活动12场，办理行政复议案件3件。办理行政诉讼案件2件，负责人出庭应诉2件。审核规范性文件5件。重大行政决策合法性审查4件。评查行政执法案卷30卷，培训执法人员120人次。调解矛盾纠纷40件。
二、2023年推进法治政府建设存在的不足和原因
一是执法队伍专业化程度不高。原因是培训不够系统。
三、2023年度党政主要负责人履行推进法治建设第一责任人职责情况
书记带头学法，听取法治工作汇报3次，开展年度述法。
四、2024年推进法治政府建设的主要安排
一是加强执法培训，全年轮训一次。二是深化普法宣传，开展宪法宣传周活动。
五、其他需要报告的情况
无。
"""
TITLE = "某某区司法局2023年法治政府建设情况报告\n"
SIG = "某某区司法局\n2024年3月4日\n"


def statuses(card: Any) -> dict[str, str]:
    return {r.rule: r.status.value for r in card.results if r.status.value != "pass"}


def test_baseline_passes(packs: Any) -> None:
    card = audit_text(TITLE + BODY + SIG, packs)
    assert card.verdict == "pass" and statuses(card) == {"AR304": "skip"}


def test_note_under_the_signature_does_not_hide_it(packs: Any) -> None:
    card = audit_text(TITLE + BODY + SIG + "（此件公开发布）\n（联系人：张三，电话：12345678）\n", packs)
    assert statuses(card) == {"AR304": "skip"}


def test_body_and_date_on_one_line(packs: Any) -> None:
    card = audit_text(TITLE + BODY + "某某区司法局　　2024年3月4日\n", packs)
    assert statuses(card) == {"AR304": "skip"}


def test_part_five_heading_with_body_on_one_line(packs: Any) -> None:
    text = TITLE + BODY.replace("五、其他需要报告的情况\n无。\n", "五、其他需要报告的情况。无。\n") + SIG
    assert statuses(audit_text(text, packs)) == {"AR304": "skip"}


def test_thematic_headings_with_misleading_words(packs: Any) -> None:
    # 补齐短板 / 明确工作目标 are thematic achievements headings, not shortcomings or plan parts
    rest = BODY.split("\n", 2)[2]
    for old, new in (("五、", "七、"), ("四、", "六、"), ("三、", "五、"), ("二、", "四、")):
        rest = rest.replace(old, new)
    text = (TITLE + "一、补齐短板弱项，提升执法质效\n开展执法检查20次，办案3件，培训50人次。\n"
            "二、明确工作目标，压实法治责任\n制定要点1份。\n三、聚焦问题导向，化解矛盾纠纷\n调解纠纷8件。\n" + rest + SIG)
    card = audit_text(text, packs)
    got = statuses(card)
    assert got.get("AR101") == "warn" and "AR102" not in got and "AR104" not in got


def test_signature_with_office_and_name_lines(packs: Any) -> None:
    card = audit_text(TITLE + BODY + "中共某某区委　某某区人民政府\n2024年3月4日\n", packs)
    assert statuses(card) == {"AR304": "skip"}


def test_plan_dated_headings(packs: Any) -> None:
    for heading in ["四、下一步工作打算", "四、2024年工作思路", "四、下一年度工作安排", "四、2024年法治政府建设工作重点"]:
        text = TITLE + BODY.replace("四、2024年推进法治政府建设的主要安排", heading) + SIG
        assert statuses(audit_text(text, packs)) == {"AR304": "skip"}, heading


def test_achievement_heading_naming_last_year_is_not_a_plan(packs: Any) -> None:
    text = TITLE + BODY.replace("一、2023年推进法治政府建设的主要举措和成效", "一、2023年法治政府建设重点任务完成情况") + SIG
    assert statuses(audit_text(text, packs)) == {"AR304": "skip"}


def test_heading_variants_of_real_reports(packs: Any) -> None:
    variants = {
        "一、2023年推进法治政府建设的主要举措和成效": ["一、2023年工作回顾", "一、2023年法治政府建设主要成绩"],
        "二、2023年推进法治政府建设存在的不足和原因": ["二、存在的困难和问题"],
        "四、2024年推进法治政府建设的主要安排": ["四、下步工作打算", "四、下一阶段工作安排", "四、2024年工作展望"],
        "五、其他需要报告的情况": ["五、其他需要说明的情况"],
    }
    for original, replacements in variants.items():
        for heading in replacements:
            text = TITLE + BODY.replace(original, heading) + SIG
            assert statuses(audit_text(text, packs)) == {"AR304": "skip"}, heading
