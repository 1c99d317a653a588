"""A report page saved from a government website (formats.md §5).

Decode the bytes ourselves first: parsers given bytes silently truncate GBK pages labelled gb2312
(lxml) or replace GBK-only characters (selectolax). Then find the content with the selectors
government CMSs use (TRS, 开普云 UCAP, gov.cn) and turn <p>/<br>/<div>/<tr> into lines, dropping
site chrome. The page's 成文日期/发布日期 go into `meta` for the deadline rule. Unknown templates
fall back to trafilatura when installed (extra `html-fallback`), else to the densest text block.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any, TYPE_CHECKING

from auditor.errors import DocumentLoadError
from auditor.loaders.decode import decode_bytes
from auditor.models import RawText, SourceLine

SUFFIXES = (".html", ".htm", ".shtml")

SELECTORS = (
    "#zoom", "#Zoom", ".TRS_Editor", ".TRS_UEDITOR", "#UCAP-CONTENT", ".pages_content", "#fontzoom",
    ".zoom", ".article-content", ".article_content", ".articleContent", ".news_content",
    ".news-content", ".content_text", ".wzxq", ".xxgk_content", ".detail-content", ".view",
    ".article", "article", "#content", ".content", "main",
)
_DROP = ["script", "style", "noscript", "template", "iframe", "select", "input", "button",
         "textarea", "svg", "object", "embed", "nav", "map", "audio", "video", "canvas"]
_BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "tbody", "thead", "h1", "h2", "h3", "h4",
    "h5", "h6", "section", "article", "blockquote", "pre", "dd", "dt", "dl", "center", "header",
    "footer", "aside", "main", "form", "hr", "figure", "figcaption", "address", "caption",
}
_CELL = {"td", "th"}
_INLINE_CLIMB = {"p", "span", "font", "strong", "b", "em", "i", "u", "h1", "h2", "h3", "h4",
                 "h5", "h6", "center", "sup", "sub", "small", "big", "label", "-text"}
_META_LABELS = ("索引号", "发文字号", "成文日期", "发布日期", "发布机构", "主题分类", "公文种类", "发文机关", "有效性")
_CHROME = re.compile(
    r"^[【\[]?\s*(?:(?:您?当前(?:所在|的)*位置|索引号|发文字号|文号|发文机关|发布机构|成文日期|发布日期|发布时间|"
    r"生效日期|废止日期|有效性|主题分类|公文种类|体裁分类|信息来源|来源|浏览次数|阅读次数|点击数|访问量|字号|字体|"
    r"主办单位|主办|承办单位|承办|协办|技术支持|分享到|上一篇|下一篇)\s*[:：]|今天是|版权所有|分享到)"
)
# Lines made only of page-tool words: 【打印】【关闭】, 打印本页 | 关闭窗口, 返回顶部 …
_CHROME_WORDS = re.compile(
    r"^(?:[\s【】\[\]|｜/·]*(?:打印本页|打印|关闭窗口|关闭|返回顶部|网站地图|联系我们|相关链接|相关文章|扫一扫|收藏|分享))+[\s【】\[\]|｜]*$"
)
_CHROME_ANYWHERE = re.compile(r"ICP备|公网安备|网站标识码")  # never in a report's own text
_DATE = r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
_META_DATE = {
    "written": re.compile(r"(?:成文日期|成文时间|印发日期)\s*[:：]?\s*" + _DATE),
    "published": re.compile(r"(?:发布日期|发布时间|公开日期)\s*[:：]?\s*" + _DATE),
}
_PUB_META = ("PubDate", "pubdate", "firstpublishedtime", "publishdate", "article:published_time")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WS = re.compile(r"[ \t\r\n\f\v]+")


def extract(data: bytes, *, path: str) -> RawText:
    """Main text of a saved web page, one line per block, with the page title first."""
    text, encoding = _decode(data)
    from selectolax.lexbor import LexborHTMLParser  # lazy: only HTML input pays for it

    try:
        tree = LexborHTMLParser(text)
    except (ValueError, RuntimeError, TypeError) as exc:
        raise DocumentLoadError("网页无法解析（HTML 结构损坏）") from exc
    meta = _metadata(tree)
    head_title = tree.css_first("title")
    head = _norm(head_title.text()) if head_title is not None else ""
    tree.strip_tags(_DROP)
    for table in tree.css("table"):  # the 信息公开 metadata table (索引号/发布日期…)
        t = table.text()
        if sum(label in t for label in _META_LABELS) >= 2 and len(_CJK.findall(t)) < 300:
            table.decompose()
    title = _title(tree, head)
    lines = _content_lines(tree, text)
    lines = [ln for ln in lines if not _is_chrome(ln)]
    out = _with_title(lines, title)
    # each line is a block of the page as the browser shows it: 第N段 counts them
    out = [SourceLine(ln.text, where=f"第{i}段", style=ln.style) for i, ln in enumerate(out, 1)]
    return RawText(path=path, fmt="html", lines=tuple(out), encoding=encoding, meta=meta)


def _decode(data: bytes) -> tuple[str, str]:
    """decode_bytes, but a page with a few broken byte sequences (a truncated save, one bad
    character pasted into the CMS) is still read, with U+FFFD for the broken ones."""
    declared = _declared_charset(data[:4096])
    try:
        return decode_bytes(data, declared=declared)
    except DocumentLoadError:
        if data[:8192].count(b"\x00") > 16:
            raise  # binary (UTF-16 is caught by its BOM in decode_bytes): nothing to salvage
        for name in dict.fromkeys([_widen(declared), "utf-8", "gb18030"]):
            if name is None:
                continue
            try:
                text = data.decode(name, errors="replace")
            except LookupError:
                continue
            if text.count("\ufffd") <= max(3, len(text) // 200):
                return text, name
        raise


def _widen(name: str | None) -> str | None:
    if name is None:
        return None
    name = name.lower()
    return "gb18030" if name in {"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80"} else name


def _declared_charset(head: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", head, re.IGNORECASE)
    m = m or re.search(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)", head, re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip(" \u00a0\u3000")


def _metadata(tree: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    body = tree.body
    page = body.text(separator="\n") if body is not None else ""
    for key, rx in _META_DATE.items():
        for m in rx.finditer(page):
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                meta[key] = f"{y:04d}-{mo:02d}-{d:02d}"
                break
    if "published" not in meta:
        for name in _PUB_META:
            node = tree.css_first(f'meta[name="{name}"], meta[property="{name}"]')
            pm = re.match(_DATE, (node.attributes.get("content") or "") if node is not None else "")
            if pm and 1 <= int(pm.group(2)) <= 12 and 1 <= int(pm.group(3)) <= 31:
                meta["published"] = f"{int(pm.group(1)):04d}-{int(pm.group(2)):02d}-{int(pm.group(3)):02d}"
                break
    return meta


def _title(tree: Any, head: str) -> str | None:
    """<h1>, else a title-class element that the <title> confirms, else <title> minus the site."""
    for h1 in tree.css("h1"):
        t = _norm(h1.text())
        if _CJK.search(t):
            return t
    squeezed = re.sub(r"\s+", "", head)
    for node in tree.css('[class*="title"], [id*="title"], h2'):
        t = _norm(node.text())
        if len(t) >= 6 and _CJK.search(t) and re.sub(r"\s+", "", t) in squeezed:
            return t
    parts = [p.strip() for p in re.split(r"\s*(?:[_|｜－—]|\s-\s)\s*", head) if p.strip()]
    if len(parts) >= 2 and _CJK.search(parts[0]) and len(parts[0]) >= 6:
        return parts[0]
    return head if "报告" in head else None


def _content_lines(tree: Any, text: str) -> list[str]:
    for selector in SELECTORS:
        nodes = tree.css(selector)
        best = max(nodes, key=lambda n: len(_CJK.findall(n.text())), default=None)
        if best is not None and len(_CJK.findall(best.text())) >= 20:
            return list(_lines(best))
    try:  # optional extra "html-fallback": 200 ms to import, so only here
        trafilatura: Any = importlib.import_module("trafilatura")
    except ImportError:
        trafilatura = None
    if trafilatura is not None:
        found = trafilatura.extract(text, favor_recall=True, include_comments=False, include_tables=True)
        if found:
            return [_norm(ln) for ln in found.splitlines() if _norm(ln)]
    node = _densest(tree)
    return list(_lines(node)) if node is not None else []


def _lines(root: Any) -> Iterator[str]:
    """Text of a node with a line break at every block boundary (iterative: no recursion limit)."""
    buf: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if tag == "-text":
            buf.append(node.text(deep=False) or "")
            continue
        if tag in _BLOCK or not entering:
            if tag in _BLOCK:
                line = _norm("".join(buf))
                if line:
                    yield line
                buf = []
            if not entering:
                continue
        if tag in _CELL:
            buf.append(" ")
        style = (node.attributes.get("style") or "").replace(" ", "").lower() if tag != "-comment" else ""
        if "display:none" in style or tag == "-comment":
            continue
        stack.append((node, False))
        children = list(node.iter(include_text=True))
        stack.extend((child, True) for child in reversed(children))
    line = _norm("".join(buf))
    if line:
        yield line


def _densest(tree: Any) -> Any:
    """The block that directly holds the most Chinese characters outside links."""
    body = tree.body
    if body is None:
        return None
    score: dict[int, int] = {}
    nodes: dict[int, Any] = {}
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        n = len(_CJK.findall(node.text(deep=False) or ""))
        parent, linked = node.parent, False
        while parent is not None and parent.tag in _INLINE_CLIMB | {"a"}:
            linked = linked or parent.tag == "a"
            parent = parent.parent
        if n and not linked and parent is not None:
            score[parent.mem_id] = score.get(parent.mem_id, 0) + n
            nodes[parent.mem_id] = parent
    if not score:
        return body
    return nodes[max(score, key=lambda k: score[k])]


def _is_chrome(line: str) -> bool:
    return len(line) <= 120 and bool(_CHROME.match(line) or _CHROME_WORDS.match(line) or _CHROME_ANYWHERE.search(line))


def _with_title(lines: list[str], title: str | None) -> list[SourceLine]:
    out = [SourceLine(ln) for ln in lines]
    if not title:
        return out
    want = re.sub(r"\s+", "", title)
    joined = ""
    for k, ln in enumerate(lines[:3]):
        joined += re.sub(r"\s+", "", ln)
        if joined == want:  # the text already opens with the title (maybe over two lines)
            return [SourceLine(x.text, style="title") if i <= k else x for i, x in enumerate(out)]
        if not want.startswith(joined):
            break
    return [SourceLine(title, style="title"), *out]


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.html as _this

    _contract: Loader = _this
