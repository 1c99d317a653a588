"""A Word draft's layout for the 公文规范 pack: page size and margins (sectPr), the document grid,
each paragraph's effective East Asian font, size and line spacing (run properties, then the
character and paragraph styles, then the document defaults and the theme), and the footers'
page number field with its font. Read only when a rule asks for it (`loaders.load(layout=True)`),
through the same zip and XML safety as the text reader (size limits, no DTDs).

Paragraphs are numbered as the text reader numbers them (第N段), by walking the body with its
walker, so a deviation points at the paragraph a drafter sees in the scorecard's evidence.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from typing import Iterable
from xml.etree import ElementTree as ET

from auditor.errors import DocumentLoadError
from auditor.loaders import docx
from auditor.loaders.docx_styles import based_on_chain, styles_in_use
from auditor.models import FooterLayout, Layout, PageSetup, ParagraphLayout, SourceLine, TextFormat

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MM_PER_TWIP = 25.4 / 1440


def read(data: bytes) -> Layout | None:
    """The layout of a .docx, or None when the parts it needs cannot be read (the text reader
    has already reported a broken file; a layout rule then does not apply)."""
    try:
        zf = docx._open_zip(data)
        with zf:
            names = set(zf.namelist())
            parts = docx._parts(zf)
            doc = docx._xml(zf, parts["document"], required=True)
            if doc is None:
                return None
            numbering = docx._xml(zf, parts.get("numbering"))
            folder = posixpath.dirname(parts["document"])
            rels = _relationships(zf, folder, names, parts["document"])
            footers_xml = _footer_parts(zf, doc, rels)
            # only the styles in use (and the defaults): a template's styles.xml is ~350 KB
            used = {v for root in (doc, numbering, *footers_xml.values()) if root is not None
                    for el in root.iter() if docx._local(el.tag) in ("pStyle", "rStyle") for v in el.attrib.values()}
            styles_root = _styles(zf, parts.get("styles"), used)
            theme = _theme_fonts(zf, rels, names)
            styles = _StyleSheet(styles_root, theme)
            body = doc.find(f"{_W}body")
            if body is None:
                return None
            paragraphs = _paragraphs(body, styles_root, numbering, styles)
            sect = body.find(f"{_W}sectPr")
            footers = tuple(FooterLayout(part, *_footer_text(root, styles)) for part, root in footers_xml.items())
    except DocumentLoadError:
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
            ValueError, KeyError, RecursionError):
        return None
    return Layout(page=_page(sect, styles), paragraphs=paragraphs, footers=footers)


_DEFAULT_STYLE = re.compile(rb'<w:style\b(?=[^>]*w:type="paragraph")(?=[^>]*w:default="(?:1|true)")[^>]*w:styleId="([^"]*)"')
_DOC_DEFAULTS = re.compile(rb"<w:docDefaults\b.*?</w:docDefaults>", re.S)


def _styles(zf: zipfile.ZipFile, name: str | None, used: set[str]) -> ET.Element | None:
    """styles.xml cut to the document defaults and the styles in use with their basedOn chains."""
    if name is None:
        return None
    info = zf.getinfo(name)
    if info.file_size > docx.MAX_PART_BYTES:
        return None
    with zf.open(info) as fh:
        raw = fh.read(docx.MAX_PART_BYTES + 1)
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw[:4096]:
        return None
    default = _DEFAULT_STYLE.search(raw)
    keep = used | ({default.group(1).decode("utf-8", "replace")} if default else set())
    sliced = styles_in_use(raw, keep)
    defaults = _DOC_DEFAULTS.search(raw)
    if defaults and sliced is not raw:
        head = sliced.index(b">") + 1  # after the <w:styles …> tag
        sliced = sliced[:head] + defaults.group(0) + sliced[head:]
    try:
        return ET.fromstring(sliced)
    except (ET.ParseError, LookupError, ValueError):
        return None


def _relationships(zf: zipfile.ZipFile, folder: str, names: set[str], document: str) -> dict[str, str]:
    """Relationship id → part name, for the main document's internal targets."""
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(document) + ".rels")
    root = docx._xml(zf, rels_name) if rels_name in names else None
    out: dict[str, str] = {}
    for rel in root.iter(docx._REL) if root is not None else ():
        if rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            if target in names:
                out[rel.get("Id", "")] = target
                if rel.get("Type", "").endswith("/theme"):
                    out["__theme__"] = target
    return out


def _theme_fonts(zf: zipfile.ZipFile, rels: dict[str, str], names: set[str]) -> dict[str, str]:
    """minorEastAsia / majorEastAsia → the theme's Simplified Chinese typeface."""
    name = rels.get("__theme__")
    root = docx._xml(zf, name) if name and name in names else None
    out: dict[str, str] = {}
    for which in ("minor", "major"):
        font = root.find(f".//{_A}{which}Font") if root is not None else None
        if font is None:
            continue
        ea = font.find(f"{_A}ea")
        hans = next((f.get("typeface", "") for f in font.findall(f"{_A}font") if f.get("script") == "Hans"), "")
        face = (ea.get("typeface", "") if ea is not None else "") or hans
        if face:
            out[f"{which}EastAsia"] = face
    return out


class _StyleSheet:
    """Effective font, size and line spacing through styles (basedOn chains) and defaults."""

    def __init__(self, root: ET.Element | None, theme: dict[str, str]) -> None:
        self.theme = theme
        self.by_id: dict[str, ET.Element] = {}
        self.default_para: str | None = None
        self.default_rpr: ET.Element | None = None
        self.default_ppr: ET.Element | None = None
        if root is None:
            return
        for st in root.iter(f"{_W}style"):
            sid = st.get(f"{_W}styleId")
            if sid:
                self.by_id[sid] = st
                if st.get(f"{_W}type") == "paragraph" and st.get(f"{_W}default") in ("1", "true"):
                    self.default_para = sid
        self.default_rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default_ppr = root.find(f"{_W}docDefaults/{_W}pPrDefault/{_W}pPr")

    def chain(self, style_id: str | None) -> list[ET.Element]:
        return based_on_chain(self.by_id, style_id, _W)

    def rpr_chain(self, run: ET.Element | None, para_style: str | None) -> list[ET.Element]:
        """Run properties from the strongest (the run's own) to the document defaults."""
        out: list[ET.Element] = []
        rpr = run.find(f"{_W}rPr") if run is not None else None
        if rpr is not None:
            out.append(rpr)
            rstyle = rpr.find(f"{_W}rStyle")
            if rstyle is not None:
                out += [x for st in self.chain(rstyle.get(f"{_W}val")) if (x := st.find(f"{_W}rPr")) is not None]
        out += [x for st in self.chain(para_style or self.default_para) if (x := st.find(f"{_W}rPr")) is not None]
        if self.default_rpr is not None:
            out.append(self.default_rpr)
        return out

    def text_format(self, run: ET.Element | None, para_style: str | None, chars: int = 0) -> TextFormat:
        font: str | None = None
        size: float | None = None
        for rpr in self.rpr_chain(run, para_style):
            fonts = rpr.find(f"{_W}rFonts")
            if font is None and fonts is not None:
                if fonts.get(f"{_W}eastAsia"):
                    font = fonts.get(f"{_W}eastAsia")
                elif fonts.get(f"{_W}eastAsiaTheme"):
                    theme = fonts.get(f"{_W}eastAsiaTheme", "")
                    font = self.theme.get(theme, f"主题字体（{theme}）")
            sz = rpr.find(f"{_W}sz")
            if size is None and sz is not None and (sz.get(f"{_W}val") or "").isdigit():
                size = int(sz.get(f"{_W}val", "0")) / 2
        return TextFormat(font=font, size=size if size is not None else 10.0, chars=chars)

    def spacing(self, ppr: ET.Element | None, para_style: str | None) -> tuple[str | None, float | None]:
        """(line rule, points) of a paragraph: exact / atLeast in points, auto as a multiple × 12."""
        holders = [ppr] + [st.find(f"{_W}pPr") for st in self.chain(para_style or self.default_para)]
        holders.append(self.default_ppr)
        line: str | None = None
        rule: str | None = None
        for h in holders:
            sp = h.find(f"{_W}spacing") if h is not None else None
            if sp is None:
                continue
            line = line or sp.get(f"{_W}line")
            rule = rule or sp.get(f"{_W}lineRule")
            if line and rule:
                break
        if not line or not line.lstrip("-").isdigit():
            return None, None
        rule = rule or "auto"
        value = int(line)
        return rule, (value / 20 if rule in ("exact", "atLeast") else value / 240)

    def align(self, ppr: ET.Element | None, para_style: str | None) -> str | None:
        for h in [ppr] + [st.find(f"{_W}pPr") for st in self.chain(para_style or self.default_para)]:
            jc = h.find(f"{_W}jc") if h is not None else None
            if jc is not None:
                return jc.get(f"{_W}val")
        return None


def _style_of(p: ET.Element) -> tuple[ET.Element | None, str | None]:
    ppr = p.find(f"{_W}pPr")
    ps = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return ppr, (ps.get(f"{_W}val") if ps is not None else None)


def _runs(p: ET.Element) -> Iterable[tuple[ET.Element, int]]:
    """(run, characters of text) for the runs with visible text (not deleted, not field codes)."""
    for r in p.iter(f"{_W}r"):
        chars = sum(len(t.text or "") for t in r.findall(f"{_W}t"))
        if chars:
            yield r, chars


def _formats(p: ET.Element, styles: _StyleSheet, para_style: str | None) -> tuple[TextFormat, ...]:
    """The paragraph's runs as spans of one format each, adjacent equal formats merged."""
    spans: list[TextFormat] = []
    for r, chars in _runs(p):
        f = styles.text_format(r, para_style, chars)
        if spans and (spans[-1].font, spans[-1].size) == (f.font, f.size):
            spans[-1] = TextFormat(f.font, f.size, spans[-1].chars + chars)
        else:
            spans.append(f)
    return tuple(spans)


class _LayoutWalker(docx._Walker):
    """The text reader's walk, recording each body paragraph's layout under the same 第N段."""

    def __init__(self, styles_root: ET.Element | None, numbering: ET.Element | None, sheet: _StyleSheet) -> None:
        super().__init__(_W[1:-1], styles_root, numbering)
        self.sheet = sheet
        self.found: list[ParagraphLayout] = []

    def _paragraph(self, p: ET.Element, out: list[SourceLine], cell: str | None) -> None:
        before = len(out)
        super()._paragraph(p, out, cell)
        if cell is not None or len(out) == before:
            return  # table cells and empty paragraphs carry no body layout
        ppr, style = _style_of(p)
        rule, points = self.sheet.spacing(ppr, style)
        self.found.append(ParagraphLayout(
            where=out[before].where or "", text=" ".join(sl.text for sl in out[before:]),
            formats=_formats(p, self.sheet, style), line_rule=rule, line_pt=points,
            align=self.sheet.align(ppr, style),
        ))


def _paragraphs(body: ET.Element, styles_root: ET.Element | None, numbering: ET.Element | None,
                sheet: _StyleSheet) -> tuple[ParagraphLayout, ...]:
    walker = _LayoutWalker(styles_root, numbering, sheet)
    walker.walk(body)
    return tuple(walker.found)


def _mm(el: ET.Element | None, attr: str) -> float | None:
    value = el.get(f"{_W}{attr}") if el is not None else None
    if value is None or not value.lstrip("-").isdigit():
        return None
    return round(abs(int(value)) * _MM_PER_TWIP, 1)


def _page(sect: ET.Element | None, styles: _StyleSheet) -> PageSetup | None:
    if sect is None:
        return None
    size = sect.find(f"{_W}pgSz")
    mar = sect.find(f"{_W}pgMar")
    grid = sect.find(f"{_W}docGrid")
    pitch = grid.get(f"{_W}linePitch") if grid is not None else None
    char_pitch = None
    if grid is not None and grid.get(f"{_W}type") in ("linesAndChars", "snapToChars"):
        space = grid.get(f"{_W}charSpace") or "0"
        base = styles.text_format(None, None).size or 10.0
        if space.lstrip("-").isdigit():
            char_pitch = round(base + int(space) / 4096, 2)  # charSpace: 1/4096 pt over the default size
    return PageSetup(
        width=_mm(size, "w"), height=_mm(size, "h"), top=_mm(mar, "top"), bottom=_mm(mar, "bottom"),
        left=_mm(mar, "left"), right=_mm(mar, "right"),
        line_pitch=int(pitch) / 20 if pitch and pitch.isdigit() else None, char_pitch=char_pitch,
    )


def _footer_parts(zf: zipfile.ZipFile, doc: ET.Element, rels: dict[str, str]) -> dict[str, ET.Element]:
    """The footer parts the last section refers to (default, first page, even pages), parsed."""
    body = doc.find(f"{_W}body")
    sect = body.find(f"{_W}sectPr") if body is not None else None
    out: dict[str, ET.Element] = {}
    for ref in sect.findall(f"{_W}footerReference") if sect is not None else ():
        part = rels.get(ref.get(f"{_R}id", ""))
        if part and part not in out:
            root = docx._xml(zf, part)
            if root is not None:
                out[part] = root
    return out


def _footer_text(root: ET.Element, styles: _StyleSheet) -> tuple[str, tuple[TextFormat, ...]]:
    """The footer's text with the PAGE field as {PAGE}, and the formats of its visible runs."""
    out: list[str] = []
    formats: list[TextFormat] = []
    for p in root.iter(f"{_W}p"):
        _, style = _style_of(p)
        in_field = showing_page = False
        instr = ""
        for el in p.iter():
            tag = el.tag
            if tag == f"{_W}fldSimple" and "PAGE" in (el.get(f"{_W}instr") or "").upper().split():
                out.append("{PAGE}")
                run = el.find(f"{_W}r")
                formats.append(styles.text_format(run, style, 1))
            elif tag == f"{_W}fldChar":
                kind = el.get(f"{_W}fldCharType")
                if kind == "begin":
                    in_field, instr = True, ""
                elif kind == "separate":
                    showing_page = "PAGE" in instr.upper().split()
                elif kind == "end":
                    in_field = showing_page = False
            elif tag == f"{_W}instrText" and in_field:
                instr += el.text or ""
            elif tag == f"{_W}t":
                if showing_page:
                    if not out or out[-1] != "{PAGE}":
                        out.append("{PAGE}")
                elif not in_field:
                    out.append(el.text or "")
        for r, chars in _runs(p):
            formats.append(styles.text_format(r, style, chars))
        # a PAGE field run carries its format on the run holding fldChar/instrText
        for r in p.iter(f"{_W}r"):
            if r.find(f"{_W}instrText") is not None and "PAGE" in (r.findtext(f"{_W}instrText") or "").upper():
                formats.append(styles.text_format(r, style, 1))
        out.append("\n")
    text = "".join(out).strip()
    return text, tuple(formats)
