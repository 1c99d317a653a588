"""Kind `docx_layout`: a Word draft's layout against GB/T 9704 (only .docx; other formats skip).

params: `page` {width, height} and `margins` {top, left} and `text_area` {width, height} in mm,
`tolerance_mm`; `fonts`: per paragraph kind (title, body, heading1 … heading4) {label, size in
points, names: the font and its equivalents}; `heading_patterns` (kind → patterns on the
paragraph's text); `line_spacing` {min, max} in points (fixed); `lines_per_page` and
`chars_per_line` {value, tolerance}; `page_number` {label, size, names, patterns on the footer's
text with the page field as {PAGE}}.
Deviations are grouped (one per kind of paragraph and format found), each with its paragraphs.
Passes: a draft laid out to GB/T 9704 (fixtures/gongwen/gbt9704.docx). Fails: body in 宋体 小四,
margins of 25.4 mm, no page number.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple, Sequence

from auditor.checks.contract import ORIGINAL, CheckKind, Context, Groups, Kind, Names, Patterns, Schema, Scoping, Target
from auditor.models import Document, Evidence, Layout, Met, Outcome, ParagraphLayout, TextFormat

_MM = Schema(exclusiveMinimum=0)


class Size(NamedTuple):
    width: Annotated[float, _MM]
    height: Annotated[float, _MM]


class Margins(NamedTuple):
    top: Annotated[float | None, _MM] = None
    left: Annotated[float | None, _MM] = None


class Font(NamedTuple):
    label: str  # 3号仿宋
    size: Annotated[float, _MM]  # points
    names: Annotated[Names, Schema(minItems=1)]  # the font and its equivalents


class Fonts(NamedTuple):
    title: Font
    body: Font
    heading1: Font | None = None
    heading2: Font | None = None
    heading3: Font | None = None
    heading4: Font | None = None


class Spacing(NamedTuple):
    min: Annotated[float, _MM]
    max: Annotated[float, _MM]


class Around(NamedTuple):
    value: Annotated[float, _MM]
    tolerance: Annotated[float, Schema(minimum=0)]


class PageNumber(NamedTuple):
    label: str
    size: Annotated[float, _MM]
    names: Names
    patterns: Annotated[Patterns, ORIGINAL]  # on the footer's text, the page field shown as {PAGE}


class Params(NamedTuple):
    page: Size
    margins: Margins
    text_area: Size
    fonts: Fonts
    # heading1 … heading4 → patterns on a paragraph's text
    heading_patterns: Annotated[Groups, Schema(propertyNames={"enum": ["heading1", "heading2", "heading3", "heading4"]}),
                                ORIGINAL]
    tolerance_mm: Annotated[float, Schema(minimum=0)] = 1.0
    line_spacing: Spacing | None = None
    lines_per_page: Around | None = None
    chars_per_line: Around | None = None
    page_number: PageNumber | None = None
    shown: Annotated[int, Schema(minimum=1, maximum=50)] = 5


_PT_PER_MM = 72 / 25.4
#: Word's Chinese font size names (字号), in points
_SIZE_NAMES = {42: "初号", 36: "小初", 26: "一号", 24: "小一", 22: "二号", 18: "小二", 16: "三号", 15: "小三",
               14: "四号", 12: "小四", 10.5: "五号", 9: "小五", 7.5: "六号"}
_KIND_ZH = {"title": "标题", "body": "正文", "heading1": "一级标题", "heading2": "二级标题",
            "heading3": "三级标题", "heading4": "四级标题"}


def size_name(size: float | None) -> str:
    if size is None:
        return "未设字号"
    return _SIZE_NAMES.get(size, f"{size:g}磅")


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    layout = doc.layout
    if doc.fmt != "docx" or layout is None:
        return Outcome(Met.NOT_APPLICABLE, "只检查 Word（.docx）文稿的版式")
    shown = params.shown
    first_line: dict[str | None, int] = {}
    for ln in doc.lines:
        first_line.setdefault(ln.where, ln.no)
    problems: list[tuple[str, str | None]] = []  # (message, the first paragraph it concerns)
    problems += [(m, None) for m in _page(layout, params)]
    problems += _fonts(doc, layout, params, shown)
    problems += _spacing(layout, params, shown)
    problems += [(m, None) for m in _page_number(layout, params)]
    if not problems:
        return Outcome(Met.MET, "版式符合要求")
    # the message says everything; evidence points at the first paragraph of each group
    text_of = {p.where: p.text for p in layout.paragraphs}
    evidence = tuple(Evidence(line=first_line.get(where), text=_cut(text_of.get(where, "")), where=where)
                     for where in dict.fromkeys(w for _, w in problems if w))
    return Outcome(Met.UNMET, "；".join(msg for msg, _ in problems) + "。", evidence)


def _cut(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _off(actual: float | None, want: float, tol: float) -> bool:
    return actual is None or abs(actual - want) > tol + 1e-6


def _page(layout: Layout, params: Params) -> list[str]:
    page, tol = layout.page, params.tolerance_mm
    if page is None:
        return ["未读到页面设置（纸张、页边距）"]
    out = []
    want = params.page
    if _off(page.width, want.width, tol) or _off(page.height, want.height, tol):
        out.append(f"纸张应为A4（{want.width:g}×{want.height:g} mm），实为{page.width}×{page.height} mm")
    for key, zh in (("top", "上边距（天头）"), ("left", "左边距（订口）")):
        actual, wanted = getattr(page, key), getattr(params.margins, key)
        if wanted is not None and _off(actual, wanted, tol):
            out.append(f"{zh}应为{wanted:g} mm，实为{actual} mm")
    area = params.text_area
    if None not in (page.width, page.left, page.right, page.height, page.top, page.bottom):
        assert page.width is not None and page.left is not None and page.right is not None
        assert page.height is not None and page.top is not None and page.bottom is not None
        width = round(page.width - page.left - page.right, 1)
        height = round(page.height - page.top - page.bottom, 1)
        if _off(width, area.width, tol) or _off(height, area.height, tol):
            out.append(f"版心应为{area.width:g}×{area.height:g} mm，实为{width:g}×{height:g} mm")
        out += _grid(page.char_pitch, width, height, layout, params)
    return out


def _grid(char_pitch: float | None, width: float, height: float, layout: Layout,
          params: Params) -> list[str]:
    """About 22 lines of 28 characters: from the fixed line spacing (or the document grid)
    and the character grid (or the body's font size)."""
    out = []
    body_size = params.fonts.body.size
    spacings = [p.line_pt for p in layout.paragraphs if p.line_rule == "exact" and p.line_pt]
    pitch = max(set(spacings), key=spacings.count) if spacings else (layout.page.line_pitch if layout.page else None)
    lines = params.lines_per_page
    if lines and pitch:
        n = int(height * _PT_PER_MM // pitch)
        if abs(n - lines.value) > lines.tolerance:
            out.append(f"每页应约{lines.value:g}行，按行距{pitch:g}磅{'只' if n < lines.value else ''}排{n}行")
    chars = params.chars_per_line
    if chars:
        n = int(width * _PT_PER_MM // (char_pitch or body_size))
        if abs(n - chars.value) > chars.tolerance:
            out.append(f"每行应约{chars.value:g}字，实为{n}字（文档网格或字号不符）")
    return out


def _kind_of(p: ParagraphLayout, title_where: set[str], params: Params) -> str:
    if p.where in title_where:
        return "title"
    for kind, patterns in params.heading_patterns.items():
        if any(rx.match(p.text) for rx in patterns):
            return str(kind)
    return "body"


def _spec(fonts: Fonts, kind: str) -> Font:
    found: Font | None = getattr(fonts, kind, None)
    return found or fonts.body


def _fonts(doc: Document, layout: Layout, params: Params, shown: int) -> list[tuple[str, str | None]]:
    title_where = {ln.where for ln in doc.title if ln.where}
    fonts = params.fonts
    groups: dict[tuple[str, str], list[str]] = {}
    for p in layout.paragraphs:
        kind = _kind_of(p, title_where, params)
        spec = _spec(fonts, kind)
        # a heading's own format is its first run: 公文 run a level-2 heading into its paragraph
        spans: Sequence[TextFormat] = p.formats[:1] if kind.startswith("heading") else p.formats
        for f in spans:
            bad_font = f.font not in spec.names
            bad_size = f.size is None or abs(f.size - spec.size) > 0.01
            if bad_font or bad_size:
                found = f"{f.font or '未设中文字体'} {size_name(f.size)}"
                groups.setdefault((kind, found), []).append(p.where)
    out: list[tuple[str, str | None]] = []
    for (kind, found), wheres in groups.items():
        spec = _spec(fonts, kind)
        paras = list(dict.fromkeys(wheres))
        listed = "、".join(paras[:shown]) + ("等" if len(paras) > shown else "")
        out.append((f"{_KIND_ZH[kind]}应为{spec.label}（{'/'.join(spec.names[:2])}），"
                    f"{len(paras)}段为{found}：{listed}", paras[0]))
    return out


def _spacing(layout: Layout, params: Params, shown: int) -> list[tuple[str, str | None]]:
    want = params.line_spacing
    if not want:
        return []
    groups: dict[str, list[str]] = {}
    for p in layout.paragraphs:
        if p.line_rule == "exact" and p.line_pt is not None and want.min - 0.01 <= p.line_pt <= want.max + 0.01:
            continue
        if p.line_rule in ("exact", "atLeast"):
            found = f"{'固定值' if p.line_rule == 'exact' else '最小值'}{p.line_pt:g}磅"
        elif p.line_pt is not None:
            found = f"{p.line_pt:g}倍行距"
        else:
            found = "单倍行距"
        groups.setdefault(found, []).append(p.where)
    out: list[tuple[str, str | None]] = []
    for found, wheres in groups.items():
        listed = "、".join(wheres[:shown]) + ("等" if len(wheres) > shown else "")
        out.append((f"行距应为固定值{want.min:g}～{want.max:g}磅，{len(wheres)}段为{found}：{listed}", wheres[0]))
    return out


def _page_number(layout: Layout, params: Params) -> list[str]:
    spec = params.page_number
    if not spec:
        return []
    numbered = [f for f in layout.footers if "{PAGE}" in f.text]
    if not numbered:
        return [f"未设置页码（应为{spec.label}，在页脚插入页码域）"]
    out = []
    for footer in numbered:
        text = " ".join(footer.text.split())
        if not any(rx.match(text) for rx in spec.patterns):
            out.append(f"页码应写作“— 1 —”（数字左右各一条一字线），{footer.part}为“{text.replace('{PAGE}', '1')}”")
        bad = {f"{f.font or '未设中文字体'} {size_name(f.size)}" for f in footer.formats
               if f.font not in spec.names or f.size is None or abs(f.size - spec.size) > 0.01}
        if bad:
            out.append(f"页码应为{spec.label}，{footer.part}为{'、'.join(sorted(bad))}")
    return out


KIND: CheckKind[Params] = Kind("docx_layout", Params, check, Scoping.NONE, __doc__, needs_layout=True)
