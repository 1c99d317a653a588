"""Saved government web pages: decode first, content by selector, chrome out, dates into meta."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from auditor.loaders import html, load

from .conftest import FORMATS, entries, ids, load_matching_source

HTMLS = entries(".html")
CHROME = ["索引号", "当前位置", "分享到", "浏览次数", "版权所有", "ICP备", "公网安备", "今天是", "网站地图",
          "相关链接", "请输入关键字", "用户登录", "发布机构", "主题分类", "字体", "document.write"]


@pytest.mark.parametrize("entry", HTMLS, ids=ids(HTMLS))
def test_fixture_lines_equal_report(entry: dict[str, str]) -> None:
    raw = load_matching_source(entry, "html")
    text = "\n".join(ln.text for ln in raw.lines)
    assert [c for c in CHROME if c in text] == []


def test_title_from_h1_is_prepended_once() -> None:
    lines = load(str(FORMATS / "002.html")).lines
    assert (lines[0].text, lines[0].style) == ("周家店镇2023年度法治政府建设工作报告", "title")
    assert [ln.text for ln in lines].count(lines[0].text) == 1


def test_two_line_title_already_in_text_is_marked_not_repeated() -> None:
    lines = load(str(FORMATS / "004_gbk.html")).lines  # title from <td class="title">
    assert [(ln.text, ln.style) for ln in lines[:3]] == [
        ("沙坪坝区人民政府小龙坎街道办事处", "title"), ("2023年法治政府建设情况报告", "title"), (lines[2].text, None)]


def test_page_without_title_gets_none() -> None:
    lines = load(str(FORMATS / "000_gbk.html")).lines
    assert all(ln.style is None for ln in lines)


@pytest.mark.parametrize(("name", "want"), [
    ("000.html", {"written": "2024-03-04", "published": "2024-03-08"}),
    ("000_gbk.html", {"written": "2024-03-04", "published": "2024-03-08"}),  # 2024年03月04日 form
    ("004.html", {"published": "2024-03-15"}),
    ("004_generic.html", {}),
])
def test_dates_in_meta(name: str, want: dict[str, str]) -> None:
    assert dict(load(str(FORMATS / name)).meta) == want


def test_gbk_labelled_gb2312_is_read_as_gb18030() -> None:
    raw = load(str(FORMATS / "002_gbk.html"))
    assert raw.encoding == "gb18030"
    page = '<html><head><meta charset="gb2312"></head><body><div id="zoom"><p>朱镕基同志，陶喆，王堃参加法治政府建设会议。</p></div></body></html>'
    lines = html.extract(page.encode("gbk"), path="x.html").lines
    assert lines[0].text == "朱镕基同志，陶喆，王堃参加法治政府建设会议。"


def test_unlabelled_gbk_and_pub_date_meta_tag() -> None:
    page = ('<html><head><meta name="PubDate" content="2024-03-20 10:00"></head><body>'
            '<div class="TRS_Editor">依法行政工作报告正文第一段。<br>第二段，继续推进法治政府建设。</div></body></html>')
    raw = html.extract(page.encode("gbk"), path="x.html")
    assert [ln.text for ln in raw.lines] == ["依法行政工作报告正文第一段。", "第二段，继续推进法治政府建设。"]
    assert raw.meta == {"published": "2024-03-20"}


def test_blocks_cells_hidden_and_scripts() -> None:
    page = ('<div id="zoom"><p>第一段<b>加粗</b>文字</p><div>第二段</div><table><tr><td>项目</td><td>数量</td></tr>'
            '<tr><td>培训</td><td>12次</td></tr></table><p style="display: none">隐藏的文字</p>'
            '<script>var x="脚本文字";</script><p>&nbsp;&nbsp;首行缩进的段落。</p><!-- 注释文字 --></div>')
    got = [ln.text for ln in html.extract(page.encode(), path="x.html").lines]
    assert got == ["第一段加粗文字", "第二段", "项目 数量", "培训 12次", "首行缩进的段落。"]


def test_title_from_head_minus_site_name() -> None:
    page = ("<html><head><title>某镇2023年法治政府建设情况报告_某某县人民政府</title></head><body>"
            "<div class='content'><p>今年以来，我镇深入推进依法行政工作。</p></div></body></html>")
    lines = html.extract(page.encode(), path="x.html").lines
    assert (lines[0].text, lines[0].style) == ("某镇2023年法治政府建设情况报告", "title")


def test_trafilatura_fallback_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("trafilatura")
    fake.extract = lambda text, **kw: "第一段由后备抽取器给出。\n\n第二段。"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "trafilatura", fake)
    page = "<html><body><div class='unknown'><p>页面正文在一个未知模板里，没有已知的选择器。</p></div></body></html>"
    got = [ln.text for ln in html.extract(page.encode(), path="x.html").lines]
    assert got == ["第一段由后备抽取器给出。", "第二段。"]


def test_densest_block_without_trafilatura(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import raises ImportError
    page = ("<html><body><div class='menu'><a>首页</a><a>政务公开栏目导航很长很长的链接文字</a></div>"
            "<div class='x'><p>正文第一段，讲法治政府建设。</p><p>正文第二段，讲依法行政。</p></div>"
            "<div class='foot'>版权所有：某某县人民政府</div></body></html>")
    got = [ln.text for ln in html.extract(page.encode(), path="x.html").lines]
    assert got == ["正文第一段，讲法治政府建设。", "正文第二段，讲依法行政。"]


def test_deep_nesting_does_not_recurse(tmp_path: Path) -> None:
    page = "<div id='zoom'>" + "<div>" * 5000 + "深层嵌套的法治政府建设文字" + "</div>" * 5000 + "</div>"
    path = tmp_path / "deep.html"
    path.write_text(page, encoding="utf-8")
    assert [ln.text for ln in load(str(path)).lines] == ["深层嵌套的法治政府建设文字"]


def test_a_few_broken_bytes_do_not_lose_the_page() -> None:
    page = "<html><head><meta charset='utf-8'></head><body><div id='zoom'><p>法治政府建设报告正文。</p><p>第二段。</p></div></body></html>"
    data = page.encode("utf-8").replace("第二段".encode(), "第二段".encode()[:-1])  # a character cut in half
    got = [ln.text for ln in html.extract(data, path="x.html").lines]
    assert got[0] == "法治政府建设报告正文。" and got[1].startswith("第二")


@pytest.mark.parametrize(("line", "chrome"), [
    ("【打印】 【关闭】", True), ("打印本页 | 关闭窗口", True), ("上一篇：关于印发某某办法的通知", True),
    ("今天是2024年3月8日 星期五", True), ("渝ICP备2021011583号", True), ("【字体：大 中 小】", True),
    ("打印机等办公设备采购严格执行政府采购程序。", False), ("关闭违法违规企业3家。", False),
    ("加强版权保护，维护版权所有人合法权益。", False), ("来源于群众的意见建议全部办结。", False),
])
def test_chrome_lines(line: str, chrome: bool) -> None:
    assert html._is_chrome(line) is chrome
