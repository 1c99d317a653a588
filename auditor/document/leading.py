"""The top of a page saved as text: website leftovers before the report, and the report's title.

A page copied from a government site, a mirror or a document-sharing site starts with what the
site printed around the report: navigation (设为首页, 无障碍, 字号 大 中 小, 打印 关闭), a breadcrumb
(当前位置: 首页 > 政务公开 > …), a metadata table (索引号 / 发布机构 / 发布日期, sometimes printed twice),
a publisher-and-date stamp, a sharing blurb (《….docx》由会员分享…), an outline (【提纲】…). None of
it is the title, the preamble or report content. The report's title stands among or after these
lines, sometimes inside a metadata row (标题: …), split over two lines, or glued to the first
sentence (…情况报告2023年，我县…).
"""

from __future__ import annotations

import dataclasses
import re

from auditor.models import Line
from auditor.document.normalize import original_span
from auditor.document.patterns import SENTENCE_PUNCT, SUB_HEADING, TOP_HEADING, LazyPattern, is_chrome, parse_date

# How far down a page its leftovers may reach before the report starts.
_LEAD_WINDOW = 30

# Words of a site's navigation and reading tools; a short line made only of these is a leftover.
_NAV = LazyPattern(
    r"设为首页|加入收藏|收藏本站|无障碍(阅读|浏览)?|长者(版|模式)|关怀版|适老化|简体|繁体|繁體|English|"
    r"字号|字体|大\s*中\s*小|视力保护色|护眼模式|打印(本页)?|关闭(窗口|本页)?|分享到?|微信|微博|二维码|"
    r"返回(顶部|首页|列表)?|搜索|登录|注册|首页|网站地图|智能问答|我要纠错|收藏|默认|放大|缩小|朗读|语音播报|"
    r"扫一扫|手机版|移动版|信息公开|政务公开|浏览次数|点击数|阅读量|QQ空间|QQ|人人网|豆瓣|次"
)
# Labels of a page's metadata table; a line that starts with one (or holds two) is a leftover.
_META = (
    r"索引号|发文字号|文\s*号|主题分类|体裁分类|组配分类|服务对象|发布机构|发文机关|生成日期|成文日期|"
    r"发布日期|发布时间|更新时间|有效性|时效性|信息来源|文章来源|来源|日\s*期|时\s*间|作者|浏览(次数)?|"
    r"点击(数|量)?|阅读(次数|量)?|责任编辑|编辑|所属机构|公开方式|公开范围|公开时限|责任部门|信息分类|"
    r"文件编号|统一编号|主\s*题\s*词|访问量"
)
_META_START = LazyPattern(r"^(?:[\[【(]\s*(" + _META + r")\s*[\]】)]|(" + _META + r")\s*[:：])")
_META_ANY = LazyPattern(r"[\[【]\s*(" + _META + r")\s*[\]】]|(" + _META + r")\s*[:：]")
# A row of a metadata table printed with pipes (| 索引号 | … | 发布机构 | … |), a cell holding a label.
_CELL_SEP = re.compile(r"\s*[|｜]\s*")
_META_CELL = LazyPattern(r"(" + _META + r"|标\s*题|名\s*称|文件名称)\s*[:：]?")
_TITLE_CELL = LazyPattern(r"(标\s*题|名\s*称|文件名称|文章标题)\s*[:：]?")
# A label that names nothing but page metadata, then its value after a space: “索引号 1150…”.
_META_SPACED = LazyPattern(r"^(索引号|发文字号|主题分类|发布机构|发文机关|成文日期|发布日期)\s+\S")
# Where a metadata row names the document: “标题: 某县2023年法治政府建设情况报告”.
_TITLE_ROW = re.compile(r"^[\[【]?\s*(标\s*题|名\s*称|文件名称|文章标题)\s*[\]】]?\s*[:：]?\s*(?=\S)")
# A breadcrumb: segments joined by > » › or >>, usually starting from 首页 or a 位置 label.
_CRUMB_SEP = re.compile(r"\s*(>>|>|»|›|→|/)\s*")
_CRUMB_LABEL = LazyPattern(r"(当前|所在)?(的)?位置\s*[:：>]|^\S{0,3}首页\s*(>|»|›|→)")
# whether _CRUMB_LABEL occurs, by two searches `re` can skip through (the optional words before
# 位置 decide nothing; _CRUMB_LABEL starts with a group, so it was tried at every position)
_CRUMB_AT = (re.compile(r"位置\s*[:：>]"), re.compile(r"^\S{0,3}首页\s*(?:>|»|›|→)"))
# Document-sharing sites: the blurb around the file they host.
_SHARING_WORDS = (
    r"由会员分享|可在线阅读|免费(下载|阅读)|文档(格式|页数|大小|分类)|下载积分|上传(时间|人|者)|原创力文档|"
    r"道客巴巴|豆丁网?|百度文库|人人文库|淘豆网|文库网|\.(docx?|pdf|wps)》|版权申诉|举报|侵权|VIP|积分下载|"
    r"本文档|相关文档|更多相关|全文阅读|下载文档|文档下载|内容提供方|文档简介|下载提示|相关搜索|猜你喜欢|"
    r"热门文档|展开全文|阅读全文|立即下载|上传于|本文由.{0,16}上传"
)
_SHARING_PAGES = r"\d+\s*页\s*\d+\s*(下载|浏览|阅读)"
_SHARING = re.compile(_SHARING_WORDS + "|" + _SHARING_PAGES)
# whether _SHARING occurs: its branches that start with a literal (`re` skips to their first
# characters), then the one that starts with a number, spelled to start with a digit (together
# they made `re` try every position)
_SHARING_AT = (re.compile(_SHARING_WORDS), re.compile(r"\d\d*\s*页\s*\d+\s*(?:下载|浏览|阅读)"))
# An outline or note a site printed before the report: 【提纲】一、… / 提纲：…
_OUTLINE = LazyPattern(r"^\s*[【\[(]\s*(提纲|大纲|摘要提纲|内容提要)\s*[】\])]|^\s*(提纲|大纲)\s*[:：]")
# A tag alone on a line: 【工作总结】, [原创].
_TAG_ONLY = LazyPattern(r"^\s*[【\[]\s*[^】\]]{1,10}\s*[】\]]\s*$")
# A page counter of a document-sharing viewer: 第1页 / 共5页, 1/5页.
_PAGE_COUNTER = LazyPattern(r"^(第\s*\d+\s*页\s*[/,]?\s*)?共\s*\d+\s*页$|^\d+\s*/\s*\d+\s*页?$")
# What may end a title glued to the first sentence: the report words, then no closing quote.
_GLUED = re.compile(r"^(?P<title>[^,。;:!?《》“”]{6,60}?((报告|总结|述法)(?=\s*(20\d{2}|[二〇○]{4}|"
                    r"今年|本年|一年来|近年|去年|为|在|根据|按照|依据|现将|我|本人|[一二三四五六七八九十]、))|"
                    r"建设(工作)?情况(?=\s*20\d{2}\s*年)))")
_REPORT_WORD = LazyPattern(r"报告|总结|汇报|述法|述职|情况$")
# The head noun ending the title of another kind of document (it is the title all the same).
_OTHER_TITLE = LazyPattern(r"(通知|通报|公告|通告|决定|决议|批复|请示|纪要|函|方案|要点|计划|规划|规定|条例|办法|细则|解读|讲话|发言|致辞|清单|指标|意见)(\([^()]{1,16}\))?$")
_BULLETS = " \t•·▪◆◇■□●○*-–—|｜"


def _bare(s: str) -> str:
    return s.strip().strip(_BULLETS).strip()


def _is_nav(s: str) -> bool:
    """Only navigation words, brackets and punctuation are left."""
    if len(s) > 40:
        return False
    rest = _NAV.sub("", s)
    rest = re.sub(r"[\s\[\]【】()|｜:：/>»›·•,，。-]", "", rest)
    return len(rest) <= 1 and rest != s


def _is_crumb(s: str) -> bool:
    if any(rx.search(s) for rx in _CRUMB_AT):  # _CRUMB_LABEL.search(s)
        return True
    if ">" not in s and "/" not in s and "»" not in s and "›" not in s and "→" not in s:
        return False  # no separator (each of _CRUMB_SEP's holds one of these): no breadcrumb
    segments = [x for x in _CRUMB_SEP.split(s) if x and not _CRUMB_SEP.fullmatch(x)]
    seps = len(_CRUMB_SEP.findall(s))
    return seps >= 2 and len(segments) >= 3 and all(len(x) <= 24 and not SENTENCE_PUNCT.search(x) for x in segments)


def _meta_cells(s: str) -> list[str]:
    """The cells of a pipe-table row (| 索引号 | … |), [] when the line is no such row."""
    if "|" not in s and "｜" not in s:
        return []  # no cell separator
    cells = [c for c in _CELL_SEP.split(s.strip().strip("|｜")) if c]
    return cells if len(cells) >= 2 and len(_CELL_SEP.findall(s)) >= 1 else []


def _title_row_value(s: str) -> str | None:
    """The title a metadata row names (标题：… or | 标题 | … |), None when the line is no title row."""
    cells = _meta_cells(s)
    for i, c in enumerate(cells[:-1]):
        if _TITLE_CELL.fullmatch(c):
            return cells[i + 1]
    m = _TITLE_ROW.match(s)
    return s[m.end():].strip().strip("|｜").strip() if m else None


def _is_meta(s: str) -> bool:
    cells = _meta_cells(s)
    if cells and not any(_TITLE_CELL.fullmatch(c) for c in cells) and (
            _META_CELL.fullmatch(cells[0]) or sum(bool(_META_CELL.fullmatch(c)) for c in cells) >= 2):
        return True  # a table row of labels and values, in any order
    if _TITLE_ROW.match(s):
        return False
    if _META_START.match(s) or (len(s) <= 120 and _META_SPACED.match(s) and not SENTENCE_PUNCT.search(s)):
        return True
    if ":" not in s and "：" not in s and "]" not in s and "】" not in s:
        return False  # every match of _META_ANY ends with one of these (it is tried at every position)
    return len(_META_ANY.findall(s)) >= 2


def _is_stamp(s: str) -> bool:
    """A publisher and a date printed under a page title: “清水县人民政府 2024年01月08日”."""
    found = parse_date(s)
    if not found:
        return False
    _, m = found
    before, after = s[: m.start()].strip(), s[m.end():].strip()
    # a publisher's name names no report: “某县…情况报告 2024-03-20” is a link in a list
    return len(before) <= 30 and not SENTENCE_PUNCT.search(before) and len(after) <= 12 and not _REPORT_WORD.search(before)


def is_leftover(norm: str) -> bool:
    """A line a web page printed around a report (judged only at the top of the document)."""
    s = _bare(norm)
    if not s or is_chrome(norm):
        return True
    if TOP_HEADING.match(s) or SUB_HEADING.match(s):
        return False
    return (_is_nav(s) or _is_crumb(s) or _is_meta(s) or _is_stamp(s) or any(rx.search(s) for rx in _SHARING_AT)
            or bool(_OUTLINE.match(s)) or bool(_TAG_ONLY.match(s)) or bool(_PAGE_COUNTER.match(s)))


def _is_body(s: str) -> bool:
    """Where the report itself has begun: a heading, a salutation or a sentence."""
    return bool(TOP_HEADING.match(s) or SUB_HEADING.match(s) or s.endswith((":", "：")) or
                (len(s) > 60 and SENTENCE_PUNCT.search(s)) or re.search(r"[。;；]", s))


@dataclasses.dataclass(frozen=True)
class Leading:
    leftovers: tuple[Line, ...]
    content: list[Line]  # the lines that remain, glued titles split off
    letter: tuple[Line, ...] = ()  # a cover letter sent with the report, before its title


# A cover letter sent with the report in one file: its title names the report it transmits
# (关于报送2023年法治政府建设年度报告的函 / 的报告 / 的请示, 关于印发《…报告》的通知), then the
# addressee, a line or two of body (现将…报送你们，请审阅), 附件, the letter's issuer and date, and
# then the report itself. The letter is leading matter, not the report's title or preamble.
_LETTER_TITLE = re.compile(
    r"关于(报送|呈报|上报|呈送|报请|提交|送审|印发|转发|公布|公开|发布)(?P<what>.{2,80}?(报告|总结|述法|情况|材料))》?"
    r"(的|等)?(有关事项的|相关材料的)?(函|请示|报告|通知|呈批件|说明)$")
# The letter's body transmits the report (or asks that it be reviewed) ...
_TRANSMITS = LazyPattern(r"(现|兹|特)(将|把).{0,80}(报送|呈报|报上|上报|呈送|印发|转发|提交|报来|送上|公布|公开)|"
                        r"(现|兹)(予以)?(印发|转发|报送|呈报|上报|呈送|公布)|"
                        r"请(予)?(审阅|审示|审议|审定|审核|查收|批示|阅示)|特此(报告|函告|报送|呈报|说明)|附后|随文")
# ... whereas a notice asking others to send their reports sets a time (请于3月1日前报送): no cover letter
_ASKS = LazyPattern(r"请(各|于|在|按|务必)|于\d{1,2}月\d{1,2}日(前|之前)|现将有关事项通知如下")
_ANNEX = LazyPattern(r"^附\s*件\s*\d*\s*[:：]?")
_LETTER_WINDOW = 12


def _letter_end(lines: list[Line]) -> int:
    """How many of `lines` (the top of the content, leftovers gone) are a cover letter, 0 if none.

    The letter is: issuer lines, its title, then salutation, body, 附件, issuer and date; it ends at
    its date (or, undated, after its body, 附件 and issuer lines). What follows must be the report
    (the letter alone, or a notice with its own parts, is no wrapper).
    """
    at = next((i for i, ln in enumerate(lines[:3]) if _LETTER_TITLE.search(_bare(ln.norm).replace("《", ""))), None)
    if at is None or any(len(_bare(ln.norm)) > 40 or re.search(r"[。;；]", ln.norm) for ln in lines[:at]):
        return 0
    transmits = False
    end = 0
    for i in range(at + 1, min(len(lines), at + 1 + _LETTER_WINDOW)):
        s = _bare(lines[i].norm)
        if TOP_HEADING.match(s) or _ASKS.search(s):
            return 0  # the report's parts inside the letter: a notice or a letter with its own content
        dated = parse_date(s)
        if dated and dated[1].start() <= 30 and not s[dated[1].end():].strip() and not SENTENCE_PUNCT.search(s):
            end = i + 1
            break
        if _TRANSMITS.search(s):
            transmits = True
            end = i + 1
        elif _ANNEX.match(s) or (s.endswith((":", "：")) and len(s) <= 40):
            end = i + 1
        elif transmits and len(s) <= 30 and not SENTENCE_PUNCT.search(s) and not _REPORT_WORD.search(s):
            end = i + 1  # the letter's issuer under its body
        elif transmits or len(s) > 200:
            break
    while end < len(lines) and re.fullmatch(r"附\s*件\s*\d*\s*[:：]?", _bare(lines[end].norm)):
        end += 1  # the 附件 label above the attachment
    if not transmits or sum(len(ln.norm.strip()) for ln in lines[end:]) < 60:
        return 0  # no report after it (a page saved as text may hold the whole report on one line)
    return end


def _split_glued(ln: Line) -> list[Line]:
    """A title glued to the first sentence becomes two lines with the same number."""
    s = ln.norm
    m = _GLUED.match(s.strip())
    if not m or len(s) - m.end() < 20 or SENTENCE_PUNCT.search(m.group("title")):
        return [ln]
    cut = len(s) - len(s.lstrip()) + m.end()
    at = cut if len(ln.text) == len(s) else original_span(ln.text, s, (0, cut))[1]
    return [ln._replace(text=ln.text[:at], norm=s[:cut]),
            ln._replace(text=ln.text[at:], norm=s[cut:])]


# an office held by a person who signs a personal (述法) report under its title
_ROLE = LazyPattern(r"书记|主任|县长|区长|市长|州长|镇长|乡长|局长|厅长|部长|处长|科长|所长|主席|委员|负责人|党组成员|院长|校长")
_NAME = LazyPattern(r"[\u4e00-\u9fff]{2,4}")


def _date_only(s: str) -> bool:
    s = s.strip().strip("()（）").strip()
    found = parse_date(s)
    return found is not None and found[1].start() == 0 and not s[found[1].end():].strip()


def _signed_under_title(window: list[Line]) -> set[int]:
    """The lines of a signature under the title, the layout of a personal (述法) report: an office and
    a name (“西洞庭管理区党委副书记、管委会主任 叶春华”, or the office, then the name), then a date alone
    (“（2025年2月10日）”). Such a date is no page stamp, nor the name above it a site's name."""
    keep: set[int] = set()
    for i in range(1, len(window)):
        if not _date_only(_bare(window[i].norm)):
            continue
        above = [_bare(window[k].norm).replace(" ", "") for k in range(max(0, i - 2), i)]
        if above and _ROLE.search(above[-1]) and len(above[-1]) <= 40 and not SENTENCE_PUNCT.search(above[-1]):
            keep |= {i - 1, i}
        elif len(above) == 2 and _NAME.fullmatch(above[-1]) and _ROLE.search(above[0]) and len(above[0]) <= 40:
            keep |= {i - 2, i - 1, i}
    return keep


def split_leading(content: list[Line], chrome: set[int]) -> Leading:
    """Leftover lines at the top (returned apart, besides the `chrome` line numbers already known)
    and the rest of the content (`content` holds every non-blank line, chrome included).

    A short line above the last definite leftover is a leftover too (the site's name, a column
    name such as 工作报告), unless it reads as a report title: nothing of the report comes before
    the site's metadata.
    """
    window = content[:_LEAD_WINDOW]
    end = next((i for i, ln in enumerate(window) if _is_body(_bare(ln.norm)) and not is_leftover(ln.norm)), len(window))
    marks = [is_leftover(ln.norm) for ln in window[:end]]
    for i in range(end):  # a metadata row naming the title that is printed again below it: page metadata
        named = _title_row_value(_bare(window[i].norm))
        if named and any(_compact(ln.norm) == _compact(named) for ln in window[i + 1: end + 1]):
            marks[i] = True
    keep = _signed_under_title(window[:end])
    for i in keep:
        marks[i] = False
    last = max((i for i, m in enumerate(marks) if m), default=-1)
    drop = set()
    for i in range(end):
        s = _bare(window[i].norm)
        if i not in keep and (marks[i] or (i < last and len(s) <= 12 and not _looks_titled(s))):
            drop.add(i)
    leftovers = tuple(window[i] for i in sorted(drop) if window[i].no not in chrome)
    rest = [ln for i, ln in enumerate(content) if i not in drop and ln.no not in chrome]
    # the title may be glued to the first sentence: look at the first line that remains
    n_letter = _letter_end(rest)
    letter, rest = tuple(rest[:n_letter]), rest[n_letter:]
    if letter:  # the report under the letter may carry its own leading matter (an outline, a tag)
        more = 0
        while more < len(rest) - 1 and is_leftover(rest[more].norm):
            more += 1
        leftovers, rest = (*leftovers, *rest[:more]), rest[more:]
    if rest and not any(_looks_titled(_bare(ln.norm)) and len(ln.norm.strip()) <= 60 for ln in rest[:1]):
        rest = _split_glued(rest[0]) + rest[1:]
    return Leading(leftovers, rest, letter)


def _looks_titled(s: str) -> bool:
    """A line that could be (part of) a title: short, no sentence punctuation, names a report or a year."""
    s = _TITLE_ROW.sub("", s)
    return 6 <= len(s) <= 80 and not re.search(r"[。;；]", s) and bool(
        _REPORT_WORD.search(s) or re.search(r"20\d{2}\s*年|法治|依法", s))


def find_title(head: list[Line]) -> int:
    """How many of the lines before the first part (leftovers gone) form the title.

    The title is the first short line naming a report (报告/总结/述法/…情况), with the short name
    lines above it (issuer, joint issuers) and below it when they continue it (a title split
    over two lines: “…2025年法治政府” / “建设年度报告”), and any repeat of it. A line that
    ends a sentence or opens the report (现将…) is never the title.
    """
    styled = [i for i, ln in enumerate(head[:4]) if ln.style in ("title", "md1")]
    if styled:
        end = styled[-1] + 1
    else:
        end = start = 0  # the title's own lines are head[start:end]; above them, issuer lines
        for i, ln in enumerate(head[:5]):
            start = i
            s = _bare(_TITLE_ROW.sub("", ln.norm))
            if _is_body(s) or s.startswith("现将"):
                break
            if len(s) <= 80 and (_REPORT_WORD.search(s) or _OTHER_TITLE.search(s)) and not s.endswith(("。", ":")):
                end = i + 1
                break
            nxt = _bare(head[i + 1].norm) if i + 1 < len(head) else ""
            if (len(s) <= 60 and not SENTENCE_PUNCT.search(s) and nxt and len(nxt) <= 20
                    and not _is_body(nxt) and _REPORT_WORD.search(nxt) and not SENTENCE_PUNCT.search(nxt)):
                end = i + 2  # split over two lines: the second ends it
                break
        if not end:
            return 0
        if any(len(ln.norm.strip()) > 40 or SENTENCE_PUNCT.search(_TITLE_ROW.sub("", ln.norm)) for ln in head[:start]):
            return 0
    seen = {_compact(ln.norm) for ln in head[:end]}
    while end < len(head) and len(head[end].norm.strip()) <= 80 and not _is_body(head[end].norm.strip()) and (
            _compact(head[end].norm) in seen or _same_title(head[end].norm, head[:end])):
        end += 1  # the title printed twice, or the page's title and then the document's own
    return end


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", _TITLE_ROW.sub("", s))


def _same_title(s: str, title: list[Line]) -> bool:
    """Another wording of the title above it (page title, then the document's title)."""
    s = _compact(s)
    if not _REPORT_WORD.search(s) or not 8 <= len(s) <= 80:
        return False
    tail = s[-8:]
    return any(tail in _compact(ln.norm) for ln in title)


# A bare 日期 / 时间 is the page's date; 上传时间 (a sharing site) and 更新时间 are not publication.
_DATED_LABEL = LazyPattern(r"(成文日期|发布日期|发布时间|(?<![\u4e00-\u9fff])日\s*期|(?<![\u4e00-\u9fff])时\s*间)"
                          r"\s*[\]】)]?\s*[:：]?\s*[|｜]?\s*")


def leading_dates(leftovers: tuple[Line, ...]) -> dict[str, str]:
    """成文日期 / 发布日期 (or a bare 日期 / 时间 of the page) among the leading leftovers, as ISO dates:
    page metadata like an HTML page's, even inside a table row holding several labels."""
    found: dict[str, str] = {}
    for ln in leftovers:
        for m in _DATED_LABEL.finditer(ln.norm):
            parsed = parse_date(ln.norm[m.end(): m.end() + 24])
            if not parsed or parsed[1].start() != 0:
                continue
            y, mo, d = parsed[0]
            key = "written" if m.group(1) == "成文日期" else "published"
            found.setdefault(key, f"{y:04d}-{mo:02d}-{d:02d}")
    return found


_LABEL_VALUE = LazyPattern(r"(?:^|(?<=\s))[\[【]?\s*(?P<label>" + _META + r"|标\s*题)\s*[\]】]?\s*[:：]\s*(?P<value>\S(?:.*?\S)?)?"
                          r"(?=\s+[\[【]?\s*(?:" + _META + r"|标\s*题)\s*[\]】]?\s*[:：]|\s*$)")


def page_metadata(leftovers: tuple[Line, ...]) -> dict[str, str]:
    """The page's metadata fields among the leading leftovers, label → value as printed (the first
    of each label): table rows (| 索引号 | … | 发布机构 | … |), bulleted (• 索引号：…) or plain rows
    (发布机构：…  发布日期：…), labels in any order. Labels keep their wording (成文日期, 发布机构 …)."""
    found: dict[str, str] = {}
    for ln in leftovers:
        s = _bare(ln.norm)
        cells = _meta_cells(s)
        if cells:
            for label, value in zip(cells, cells[1:]):
                key = re.sub(r"\s+|[:：]$", "", label)
                if (_META_CELL.fullmatch(label) or _TITLE_CELL.fullmatch(label)) and not _META_CELL.fullmatch(value):
                    found.setdefault(key, value)
            continue
        for m in _LABEL_VALUE.finditer(s):
            if m.group("value"):
                found.setdefault(re.sub(r"\s+", "", m.group("label")), m.group("value"))
    return found
