"""The top of a saved page: which lines are website leftovers, and where the title is."""

from __future__ import annotations

from typing import Any

import pytest

from auditor.document.leading import is_leftover
from conftest import make_doc


@pytest.mark.parametrize("line", [
    "• 设为首页", "无障碍 简体| 繁体", "字号：大 中 小  视力保护色  打印  关闭", "【打印】 【字体:",
    "您当前所在位置:首页>政务公开>法治政府建设报告>乡镇街道", "7首页 > 政务公开 > 年度法治政府建设情况报告",
    "[ 索引号 ] 11500230008689762A/2026-00004 [ 发文字号 ]", "[ 成文日期 ] 2026-01-22 [ 发布日期 ] 2026-02-10",
    "| 索引号 | 11500108/2024-00012 | 发布机构 | 某某街道办事处 |", "| 成文日期： | 2024年02月26日 |",
    "日期:2022-12-23", "浏览:5072次 时间:2022-12-07 来源:本站", "清水县人民政府 2024年01月08日",
    "《某县2023年法治政府建设情况报告.docx》由会员分享，可在线阅读", "【提纲】一、工作情况。二、存在问题。",
    "【工作总结】", "第1页 共5页",
    # metadata tables printed with pipes, labels in any order, and their separator row
    "| 索引号 | 11500231MB1X12345A/2024-00018 | 主题分类 | 综合政务 |", "| --- | --- | --- | --- |",
    "| 主题分类 | 法治政府 | 索引号 | 115002/2024-00018 |", "|发文字号：||发布日期：|2024年02月28日|",
    "• 发布机构：某区卫生健康委员会", "索引号 11500231MB1X12345A/2024-00018 发布机构 某县司法局",
])
def test_leftovers(line: str) -> None:
    assert is_leftover(line)


@pytest.mark.parametrize("line", [
    "某县2023年法治政府建设情况报告", "2023年，某县坚持依法行政。", "一、主要举措和成效", "中共某市委 某市人民政府",
    "来源于群众的意见建议", "时间紧、任务重，我县统筹推进。",
    "| 序号 | 工作任务 | 责任单位 |",  # a table of the report's own, not page metadata
])
def test_not_leftovers(line: str) -> None:
    assert not is_leftover(line)


# text → (title line numbers, first preamble line number)
TITLES: dict[str, tuple[list[int], int | None]] = {
    # a column name and the site's name above a breadcrumb are leftovers; the page title and the
    # document's own title (another wording) are both the title
    "某市人民政府\n工作报告\n您所在的位置：政务公开 > 工作报告\n巫溪县某乡人民政府2022年法治政府建设年度报告\n日期：2022-12-23\n"
    "某乡2022年度法治政府建设年度报告\n2022年，某乡积极开展法治政府建设工作。\n一、主要举措和成效\n正文。": ([4, 6], 7),
    "标题：某区2023年度法治政府建设情况报告\n发布日期：2024-03-15\n2023年，某区坚持依法行政。\n一、主要举措和成效\n正文。": ([1], 3),
    "某县卫生健康局2025年法治政府\n建设年度报告\n2025年，我局深入贯彻习近平法治思想。\n一、主要举措和成效\n正文。": ([1, 2], 3),
    "大河乡人民政府\n关于法治政府建设的情况报告\n2025年，大河乡坚持依法行政。\n一、主要举措和成效\n正文。": ([1, 2], 3),
    "2025年某县法治政府建设情况\n2025年，某县坚持依法行政。\n一、主要举措和成效\n正文。": ([1], 2),
    "中共某某县委全面依法治县委员会办公室关于某某县2023年度法治政府\n建设情况的报告\n2023年，某县坚持依法行政。\n"
    "一、主要举措和成效\n正文。": ([1, 2], 3),
    # a pipe table of metadata (a title row among it) and then the title: the title is found
    "| 索引号 | 115002/2024-00018 | 主题分类 | 综合政务 |\n| --- | --- | --- | --- |\n"
    "| 标题 | 某县人民政府关于2023年度法治政府建设情况的报告 |\n| 发布机构 | 某县司法局 | 成文日期 | 2024-03-18 |\n"
    "某县人民政府关于2023年度法治政府建设情况的报告\n2023年，某县坚持依法行政。\n一、主要举措和成效\n正文。": ([5], 6),
    "| 发布机构 | 某县司法局 | 成文日期 | 2024-03-18 |\n| 发文字号 | | 发布日期 | 2024-03-22 |\n"
    "某县人民政府关于2023年度法治政府建设情况的报告\n2023年，某县坚持依法行政。\n一、主要举措和成效\n正文。": ([3], 4),
    # bulleted metadata, in another order, then the title
    "• 主题分类：政务公开\n• 标题：某区卫健委2023年度法治政府建设情况报告\n• 成文日期：2024年02月27日\n• 索引号：115001/2024-00031\n"
    "某区卫健委2023年度法治政府建设情况报告\n2023年，区卫健委坚持依法行政。\n一、主要举措和成效\n正文。": ([5], 6),
    "市委、市政府：\n2025年以来，我委紧扣法治政府建设总体目标。\n一、工作完成情况\n正文。": ([], 1),
}


@pytest.mark.parametrize("text", list(TITLES), ids=[f"case{i}" for i in range(len(TITLES))])
def test_title_after_leftovers(annual: Any, text: str) -> None:
    doc = make_doc(text, annual)
    lines, first = TITLES[text]
    assert [ln.no for ln in doc.title] == lines
    assert (doc.preamble[0].no if doc.preamble else None) == first


def test_glued_title_is_split_and_quoted_as_written(annual: Any) -> None:
    doc = make_doc("某县 2025 年度法治政府建设情况报告2025 年，全县坚持依法行政，扎实推进法治政府建设。\n一、主要举措和成效\n正文。",
                   annual)
    assert [ln.text for ln in doc.title] == ["某县 2025 年度法治政府建设情况报告"]
    assert doc.preamble[0].text.startswith("2025 年，全县") and doc.preamble[0].no == 1
    assert doc.report_year == 2025
    doc = make_doc("某镇2023年法治政府建设情况2023年，某镇坚持依法行政，扎实推进法治政府建设工作。\n一、主要举措和成效\n正文。", annual)
    assert [ln.text for ln in doc.title] == ["某镇2023年法治政府建设情况"]


@pytest.mark.parametrize(("line", "meta"), [
    ("[ 成文日期 ] 2026-01-22 [ 发布日期 ] 2026-02-10", {"written": "2026-01-22", "published": "2026-02-10"}),
    # the table kept as pipe rows (a text extractor's output), and as bullets
    ("| 成文日期 | 2024-02-26 | 发布日期 | 2024-03-01 |", {"written": "2024-02-26", "published": "2024-03-01"}),
    ("| 成文日期： | 2024年02月26日 |", {"written": "2024-02-26"}),
    ("• 成文日期：2024年02月26日", {"written": "2024-02-26"}),
    ("日期:2022-12-23", {"published": "2022-12-23"}),
    ("浏览:5072次 时间:2022-12-07 来源:本站", {"published": "2022-12-07"}),
    ("上传人：文库达人 上传时间：2024-03-01", {}),  # a sharing site's upload is no publication
    ("更新时间:2021/03/29 11:30:01", {}),
])
def test_leading_dates(line: str, meta: dict[str, str]) -> None:
    from auditor.document.leading import leading_dates
    from auditor.document.normalize import normalize_line
    from auditor.models import Line

    assert leading_dates((Line(no=1, text=line, norm=normalize_line(line)),)) == meta


def test_page_metadata_fields() -> None:
    """The fields of the page's metadata, whatever form the table takes, labels in any order."""
    from auditor.document.leading import page_metadata
    from auditor.document.normalize import normalize_line
    from auditor.models import Line

    rows = ["| 主题分类 | 综合政务 | 索引号 | 115002/2024-00018 |", "| --- | --- | --- | --- |",
            "| 发文字号 | | 发布日期 | 2024-03-22 |", "• 成文日期：2024年03月18日", "• 标题：某县报告",
            "发布机构：某县司法局    浏览次数：12"]
    lines = tuple(Line(no=i, text=r, norm=normalize_line(r)) for i, r in enumerate(rows, 1))
    assert page_metadata(lines) == {"主题分类": "综合政务", "索引号": "115002/2024-00018", "发布日期": "2024-03-22",
                                    "成文日期": "2024年03月18日", "标题": "某县报告", "发布机构": "某县司法局",
                                    "浏览次数": "12"}


def test_split_searches_tell_what_the_whole_patterns_tell(every_document: Any) -> None:
    """is_leftover asks whether _SHARING and _CRUMB_LABEL occur by searches `re` can skip through:
    on every line of every fixture, corpus and perf-corpus text (as written and normalized) and
    on lines made of their words, the answers are the whole patterns' answers."""
    from auditor.document import leading as ld

    lines = {s for _, doc in every_document for ln in doc.lines for s in (ln.text, ln.norm, ld._bare(ln.norm))}
    lines |= {"当前位置:首页>新闻", "您所在的位置>", "首页 > 政务公开", "网站首页»", "12页 3下载", "共5页 1浏览",
              "本文由张三上传", "《报告.docx》由会员分享", "位置", "位置：", "abc首页→", "abcd首页→"}
    found = 0
    for s in lines:
        sharing = bool(ld._SHARING.search(s))
        crumb = bool(ld._CRUMB_LABEL.search(s))
        assert any(rx.search(s) for rx in ld._SHARING_AT) == sharing, s
        assert any(rx.search(s) for rx in ld._CRUMB_AT) == crumb, s
        found += sharing + crumb
    assert found > 10


def test_character_gates_answer_as_the_patterns(every_document: Any) -> None:
    """_is_crumb, _meta_cells and _is_meta first ask whether the line holds a character every
    match needs (a separator, a pipe, a colon or closing bracket): on every line of every text
    and on lines made to have them, the answers are those of the patterns asked alone."""
    import re

    from auditor.document import leading as ld
    from auditor.document.patterns import SENTENCE_PUNCT

    def plain_crumb(s: str) -> bool:
        if ld._CRUMB_LABEL.search(s):
            return True
        segments = [x for x in ld._CRUMB_SEP.split(s) if x and not ld._CRUMB_SEP.fullmatch(x)]
        seps = len(ld._CRUMB_SEP.findall(s))
        return seps >= 2 and len(segments) >= 3 and all(len(x) <= 24 and not SENTENCE_PUNCT.search(x) for x in segments)

    def plain_cells(s: str) -> list[str]:
        cells = [c for c in ld._CELL_SEP.split(s.strip().strip("|｜")) if c]
        return cells if len(cells) >= 2 and len(ld._CELL_SEP.findall(s)) >= 1 else []

    lines = {s for _, doc in every_document for ln in doc.lines for s in (ln.text, ln.norm, ld._bare(ln.norm))}
    lines |= {"首页 > 政务公开 > 通知", "首页/政务公开/通知", "首页»政务»公开", "首页›政务›公开", "首页→政务→公开",
              "| 索引号 | 123 | 发布机构 | 某县 |", "索引号｜123｜发布机构｜某县", "【索引号】123【发布机构】某县",
              "索引号：123 发布机构：某县", "[来源] 某县 [作者] 张三", "见[来源]某县[作者]张三", "见【来源】某县【作者】张三", "a|b", "｜"}
    found = [0, 0, 0]
    for s in lines:
        crumb, cells = plain_crumb(s), plain_cells(s)
        meta_any = len(re.findall(ld._META_ANY.pattern, s)) >= 2
        assert ld._is_crumb(s) == crumb, s
        assert ld._meta_cells(s) == cells, s
        if not cells and not ld._TITLE_ROW.match(s) and not ld._META_START.match(s):
            assert ld._is_meta(s) == (meta_any or (len(s) <= 120 and bool(ld._META_SPACED.match(s))
                                                   and not SENTENCE_PUNCT.search(s))), s
        found = [found[0] + crumb, found[1] + bool(cells), found[2] + meta_any]
    assert min(found) >= 3, found
