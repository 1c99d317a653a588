"""The own .docx reader: fixtures made with python-docx, and hand-written WordprocessingML."""

from __future__ import annotations

import re
import zipfile

import pytest

from auditor.loaders import docx, load
from auditor.loaders.numbering import format_number

from .conftest import (
    FORMATS,
    entries,
    ids,
    load_matching_source,
    make_docx,
    para,
)

DOCX = entries(".docx")


@pytest.mark.parametrize("entry", DOCX, ids=ids(DOCX))
def test_fixture_lines_equal_source(entry: dict[str, str]) -> None:
    load_matching_source(entry, "docx")


def _document_text(name: str) -> str:
    with zipfile.ZipFile(FORMATS / name) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_autonum_renders_word_numbering() -> None:
    xml = _document_text("004_autonum.docx")
    assert "一、推进" not in xml and "（一）坚持" not in xml  # the numbers really are not in the text
    lines = load(str(FORMATS / "004_autonum.docx")).lines
    heads = [ln for ln in lines if ln.style == "heading1"]
    assert [ln.text[:2] for ln in heads] == ["一、", "二、", "三、", "四、"]
    assert heads[0].text == "一、推进法治政府建设的主要举措和成效"
    subs = [ln.text[:3] for ln in lines if ln.style == "heading2"]
    assert subs[:6] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    # Under 二、 the (一) paragraphs are numbered directly (not by style) and restart at 一.
    assert lines[18].text.startswith("（一）夯实") and lines[18].style is None


def test_autonum_half_width_and_direct_level_two() -> None:
    lines = [ln.text for ln in load(str(FORMATS / "002_autonum.docx")).lines]
    assert "(四)法治机构不健全。缺乏专业的人员,一定程度上影响了依法行政工作的有效推进。" in lines
    assert lines[2] == "一、高度重视,加强组织领导,依法全面履行政府职能。"


def test_styles_mark_title_and_headings() -> None:
    lines = load(str(FORMATS / "002.docx")).lines
    assert lines[0].style == "title"
    assert lines[2].style == "heading1" and lines[2].text.startswith("一、")
    assert lines[1].style is None
    assert [ln.where for ln in lines[:3]] == ["第1段", "第2段", "第3段"]


def test_tables_are_read_with_cell_locations() -> None:
    lines = load(str(FORMATS / "000_table.docx")).lines
    cells = [ln for ln in lines if ln.where and ln.where.startswith("表1")]
    assert len(cells) > 10
    assert cells[0].where == "表1 第1行第1列" and cells[0].text.startswith("一、")
    assert lines[-1].where is not None and lines[-1].where.endswith("段")


def test_tracked_changes_comments_and_hyperlinks() -> None:
    xml = _document_text("000_revs.docx")
    assert "<w:ins " in xml and "<w:del " in xml and "<w:hyperlink " in xml
    text = "\n".join(ln.text for ln in load(str(FORMATS / "000_revs.docx")).lines)
    assert "已删除的旧表述" not in text and "本段已整段删除" not in text
    assert "批注" not in text
    # Text inside w:ins and the hyperlink is there: the whole-line comparison above checks it too.


def test_headers_and_footers_excluded() -> None:
    text = "\n".join(ln.text for ln in load(str(FORMATS / "002_hf.docx")).lines)
    assert "内部资料" not in text and "—" not in text


def test_runs_tabs_breaks_and_skipped_content() -> None:
    body = (
        "<w:p><w:r><w:t>法治</w:t></w:r><w:ins w:id='1' w:author='a'><w:r><w:t>政府</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='a'><w:r><w:delText>删掉</w:delText></w:r></w:del>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>建设</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:footnoteReference w:id='1'/></w:r></w:p>"
        "<w:p><w:r><w:t>重庆市某区人民政府</w:t><w:br/><w:t>2024年3月1日</w:t></w:r></w:p>"
        "<w:sdt><w:sdtPr><w:alias w:val='控件'/></w:sdtPr><w:sdtContent>" + para("内容控件里的段落") + "</w:sdtContent></w:sdt>"
        "<w:p><w:r><mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'>"
        "<mc:Choice Requires='wps'><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>正文</w:t><w:tab/><w:t>制表</w:t></w:r></w:p>"
        "<w:p/>"
    )
    lines = docx.extract(make_docx(body), path="x.docx").lines
    assert [ln.text for ln in lines] == ["法治政府建设", "重庆市某区人民政府", "2024年3月1日", "内容控件里的段落", "正文\t制表"]
    assert [ln.where for ln in lines] == ["第1段", "第2段", "第2段", "第3段", "第4段"]


def test_deleted_paragraph_mark_merges_with_next() -> None:
    body = (
        "<w:p><w:pPr><w:rPr><w:del w:id='1' w:author='a'/></w:rPr></w:pPr><w:r><w:t>前半</w:t></w:r></w:p>"
        + para("后半")
        + "<w:p><w:pPr><w:rPr><w:del w:id='2' w:author='a'/></w:rPr></w:pPr>"
        "<w:del w:id='3' w:author='a'><w:r><w:delText>整段删除</w:delText></w:r></w:del></w:p>"
        + para("下一段")
    )
    assert [ln.text for ln in docx.extract(make_docx(body), path="x").lines] == ["前半后半", "下一段"]


def test_nested_table_counted_once() -> None:
    inner = "<w:tbl><w:tr><w:tc>" + para("内表") + "</w:tc></w:tr></w:tbl>"
    body = "<w:tbl><w:tr><w:tc>" + para("外表甲") + inner + "</w:tc><w:tc>" + para("外表乙") + "</w:tc></w:tr></w:tbl>"
    lines = docx.extract(make_docx(body), path="x").lines
    assert [(ln.text, ln.where) for ln in lines] == [
        ("外表甲", "表1 第1行第1列"), ("内表", "表2 第1行第1列"), ("外表乙", "表1 第1行第2列")]


NUMBERING = (
    "<w:abstractNum w:abstractNumId='1'>"
    "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='%1、'/></w:lvl>"
    "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='chineseCounting'/><w:lvlText w:val='（%2）'/></w:lvl>"
    "<w:lvl w:ilvl='2'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:lvlText w:val='%1.%2.%3'/><w:isLgl/></w:lvl>"
    "</w:abstractNum>"
    "<w:abstractNum w:abstractNumId='2'><w:lvl w:ilvl='0'><w:numFmt w:val='bullet'/><w:lvlText w:val='\uf06c'/></w:lvl></w:abstractNum>"
    "<w:num w:numId='1'><w:abstractNumId w:val='1'/></w:num>"
    "<w:num w:numId='2'><w:abstractNumId w:val='1'/><w:lvlOverride w:ilvl='0'><w:startOverride w:val='5'/></w:lvlOverride></w:num>"
    "<w:num w:numId='3'><w:abstractNumId w:val='2'/></w:num>"
)


def _num(num_id: int, ilvl: int | None = None) -> str:
    lvl = f"<w:ilvl w:val='{ilvl}'/>" if ilvl is not None else ""
    return f"<w:numPr>{lvl}<w:numId w:val='{num_id}'/></w:numPr>"


def test_numbering_counters_restart_and_formats() -> None:
    body = "".join([
        para("甲", _num(1, 0)), para("子", _num(1, 1)), para("丑", _num(1, 1)), para("细", _num(1, 2)),
        para("乙", _num(1, 0)), para("子", _num(1, 1)), para("无编号", _num(0, 0)),
        para("戊", _num(2, 0)), para("项目", _num(3, 0)), para("空", "<w:numPr><w:numId w:val='99'/></w:numPr>"),
    ])
    got = [ln.text for ln in docx.extract(make_docx(body, numbering=NUMBERING), path="x").lines]
    assert got == ["一、甲", "（一）子", "（二）丑", "1.2.1 细", "二、乙", "（一）子", "无编号", "五、戊", "项目", "空"]


def test_style_based_numbering_and_chinese_style_names() -> None:
    styles = (
        "<w:style w:type='paragraph' w:styleId='1'><w:name w:val='标题 1'/><w:pPr>" + _num(1, 0) + "</w:pPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='a5'><w:name w:val='正文二级'/><w:basedOn w:val='base2'/></w:style>"
        "<w:style w:type='paragraph' w:styleId='base2'><w:name w:val='x'/><w:pPr><w:outlineLvl w:val='1'/>"
        "<w:numPr><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='Title'><w:name w:val='Title'/></w:style>"
    )
    numbering = NUMBERING.replace("<w:lvl w:ilvl='1'><w:start w:val='1'/>", "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:pStyle w:val='base2'/>")
    body = (para("报告", "<w:pStyle w:val='Title'/>") + para("总体情况", "<w:pStyle w:val='1'/>")
            + para("具体举措", "<w:pStyle w:val='base2'/>") + para("继承样式", "<w:pStyle w:val='a5'/>"))
    lines = docx.extract(make_docx(body, numbering=numbering, styles=styles), path="x").lines
    assert [(ln.text, ln.style) for ln in lines] == [
        ("报告", "title"), ("一、总体情况", "heading1"), ("（一）具体举措", "heading2"), ("（二）继承样式", "heading2")]


@pytest.mark.parametrize(("n", "fmt", "want"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (21, "chineseCountingThousand", "二十一"), (105, "chineseCounting", "一百零五"), (3, "chineseLegalSimplified", "叁"),
    (10, "ideographDigital", "一〇"), (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"),
    (3, "decimalEnclosedParen", "⑶"), (4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (7, "decimalZero", "07"),
    (12, "decimalFullWidth", "１２"), (5, "none", ""), (5, "unknownFormat", "5"),
])
def test_format_number(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want


def test_where_counts_only_non_empty_paragraphs() -> None:
    body = para("一") + "<w:p/>" + para("  ") + para("二")
    assert [ln.where for ln in docx.extract(make_docx(body), path="x").lines] == ["第1段", "第2段"]


def test_strict_namespace_document() -> None:
    data = make_docx(para("严格模式文档")).replace(
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert [ln.text for ln in docx.extract(data, path="x").lines] == ["严格模式文档"]


def test_timing_is_a_few_ms() -> None:
    import time

    data = (FORMATS / "004_revs.docx").read_bytes()
    start = time.perf_counter()
    for _ in range(5):
        docx.extract(data, path="x")
    assert (time.perf_counter() - start) / 5 < 0.1  # measured ≈ 3 ms; a loose bound for slow CI
    assert re.match(r"第\d+段", docx.extract(data, path="x").lines[0].where or "")


def test_absurd_nesting_is_a_load_error() -> None:
    from auditor.errors import DocumentLoadError

    deep = "<w:p>" + "<w:smartTag>" * 5000 + "<w:r><w:t>深</w:t></w:r>" + "</w:smartTag>" * 5000 + "</w:p>"
    try:
        lines = docx.extract(make_docx(deep), path="x").lines
    except DocumentLoadError as exc:
        assert "嵌套过深" in str(exc)
    else:
        assert [ln.text for ln in lines] == ["深"]
