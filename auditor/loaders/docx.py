"""Word .docx: an own reader on zipfile + xml.etree (formats.md §2).

Why not python-docx: it drops text inside tracked insertions, skips tables in `paragraphs`, and
no Python library renders Word's Chinese list numbering (一、 （一）), which the heading-structure
rules depend on. This reader walks the body in order (tables included, one line per cell
paragraph), keeps w:ins and hyperlinks, drops w:del, headers, footers, comments and field codes,
and renders numbering from numbering.xml (see `numbering.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import posixpath
import zipfile
import zlib
from io import BytesIO
from xml.etree import ElementTree as ET

from auditor.errors import DocumentLoadError
from auditor.loaders import ole
from auditor.loaders.docx_styles import Styles, styles_in_use
from auditor.loaders.numbering import Numbering
from auditor.models import RawText, SourceLine

SUFFIXES = (".docx",)
SUPPORTS_LAYOUT = True  # load(layout=True) adds the page and type layout (docx_layout.read)

#: Zip-bomb limits, checked on the central directory before anything is decompressed.
MAX_ENTRIES = 5000
MAX_TOTAL_UNCOMPRESSED = 512 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part we parse (document.xml of a 300-page report ≈ 5 MB)

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SKIP = {
    "pPr", "rPr", "del", "moveFrom", "delText", "instrText", "delInstrText", "sdtPr",
    "drawing", "pict", "object", "AlternateContent", "rt", "footnoteReference",
    "endnoteReference", "commentReference", "fldData",
}  # deleted text, field codes, properties, text boxes (Choice and Fallback would double them)


def extract(data: bytes, *, path: str) -> RawText:
    """Read the main document part of a .docx into one SourceLine per non-empty paragraph."""
    return _extract(data, path=path)[0]


def extract_anchored(data: bytes, *, path: str) -> tuple[RawText, tuple[int, ...]]:
    """The text, and for each of its lines the position of the w:p element it came from among
    all w:p elements of the body in document order: what `auditor annotate` anchors comments on
    (any XML library iterating the same document.xml finds the same paragraph)."""
    return _extract(data, path=path, anchored=True)


def _extract(data: bytes, *, path: str, anchored: bool = False) -> tuple[RawText, tuple[int, ...]]:
    try:
        zf = _open_zip(data)
        with zf:
            parts = _parts(zf)
            doc = _xml(zf, parts["document"], required=True)
            if doc is None:
                raise DocumentLoadError("Word 正文已损坏（document.xml 无法解析）")
            numbering = _xml(zf, parts.get("numbering"))
            used = {v for root in (doc, numbering) if root is not None
                    for el in root.iter() if _local(el.tag) == "pStyle" for v in el.attrib.values()}
            styles = _xml(zf, parts.get("styles"), keep=used)
    except DocumentLoadError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
            ValueError, KeyError) as exc:
        raise DocumentLoadError(f"文件已损坏，无法读取 .docx 内容（{type(exc).__name__}）") from exc
    ns = doc.tag[1 : doc.tag.index("}")] if doc.tag.startswith("{") else ""
    body = doc.find(f"{{{ns}}}body")
    if body is None:
        raise DocumentLoadError("Word 文件中没有正文（document.xml 缺少 body）")
    walker = _Walker(ns, styles, numbering)
    try:
        lines = walker.walk(body)
    except RecursionError as exc:  # thousands of nested elements: crafted, not written by Word
        raise DocumentLoadError("Word 文档结构嵌套过深，疑似恶意构造的文件，已拒绝读取") from exc
    anchors: tuple[int, ...] = ()
    if anchored:
        position = {id(p): k for k, p in enumerate(body.iter(f"{{{ns}}}p" if ns else "p"))}
        anchors = tuple(position[id(p)] for p in walker.sources)
    return RawText(path=path, fmt="docx", lines=tuple(lines)), anchors


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if ole.is_ole(data):
        kind = ole.inspect(data)
        if kind == "encrypted-ooxml":
            raise DocumentLoadError("文件已加密（受密码保护），请在 Word/WPS 中取消密码后再检查")
        if kind in ("doc", "encrypted-doc"):
            raise DocumentLoadError("这是旧版 Word（.doc）格式的文件，扩展名却是 .docx；请改为 .doc 或另存为 .docx 后再检查")
        raise DocumentLoadError("这是旧版 Office 复合文档，不是 .docx 文件；请另存为 .docx 后再检查")
    if data.lstrip()[:5] == b"{\\rtf":
        raise DocumentLoadError("这是 RTF 格式的文件，扩展名却是 .docx；请另存为 .docx 后再检查")
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        if data.startswith(b"PK"):
            raise DocumentLoadError("文件不完整或已损坏（.docx 压缩包无法打开），请重新保存或重新下载") from exc
        raise DocumentLoadError("不是有效的 .docx 文件（不是 ZIP 压缩包），可能已损坏或扩展名不对") from exc
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DocumentLoadError(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_ENTRIES}），疑似压缩炸弹，已拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise DocumentLoadError(
            f"解压后体积过大（{total / 1048576:.0f} MB，上限 {MAX_TOTAL_UNCOMPRESSED // 1048576} MB），疑似压缩炸弹，已拒绝读取"
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise DocumentLoadError("文件已加密（受密码保护），请取消密码后再检查")
    return zf


def _parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Find document.xml through the package relationships (some tools do not use word/)."""
    names = set(zf.namelist())
    found = {"document": "word/document.xml"}
    rels = _xml(zf, "_rels/.rels") if "_rels/.rels" in names else None
    for rel in rels.iter(_REL) if rels is not None else ():
        if rel.get("Type", "").endswith("/officeDocument"):
            found["document"] = rel.get("Target", "").lstrip("/")
    if found["document"] not in names:
        raise DocumentLoadError("压缩包中没有 Word 正文（word/document.xml），不是有效的 .docx 文件")
    folder, base = posixpath.split(found["document"])
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    doc_rels = _xml(zf, rels_name) if rels_name in names else None
    for rel in doc_rels.iter(_REL) if doc_rels is not None else ():
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        if kind in ("styles", "numbering") and rel.get("TargetMode") != "External":
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            if target in names:
                found[kind] = target
    for kind in ("styles", "numbering"):  # files written without relationships: usual names
        if kind not in found and posixpath.join(folder, kind + ".xml") in names:
            found[kind] = posixpath.join(folder, kind + ".xml")
    return found


def _xml(zf: zipfile.ZipFile, name: str | None, *, required: bool = False,
         keep: set[str] | None = None) -> ET.Element | None:
    if name is None:
        return None
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise DocumentLoadError(f"Word 正文部件过大（{info.file_size / 1048576:.0f} MB），疑似压缩炸弹，已拒绝读取")
    with zf.open(info) as fh:
        raw = fh.read(MAX_PART_BYTES + 1)
    # OOXML never declares a DTD; refusing one rules out entity-expansion tricks outright.
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw[:4096]:
        raise DocumentLoadError("Word 文件内容异常（含 DTD 声明），已拒绝读取")
    if keep is not None:
        raw = styles_in_use(raw, keep)
    try:
        return ET.fromstring(raw)
    except (ET.ParseError, LookupError, ValueError) as exc:  # LookupError: a bogus encoding="…"
        if required:
            raise DocumentLoadError("Word 正文已损坏（document.xml 不是有效的 XML）") from exc
        return None  # damaged styles/numbering: read the text without them


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Walker:
    """Walks the body in reading order, keeping paragraph and table counters for `where`."""

    def __init__(self, ns: str, styles: ET.Element | None, numbering: ET.Element | None) -> None:
        self.w = f"{{{ns}}}" if ns else ""
        self.styles = Styles(self.w, styles)
        self.numbering = Numbering(self.w, numbering)
        self.para_no = 0
        self.table_no = 0
        self.carry = ""  # text of a paragraph whose mark was deleted joins the next one
        self.sources: list[ET.Element] = []  # the w:p element of each line, in step with the lines
        self.last_p: ET.Element | None = None

    def walk(self, body: ET.Element) -> list[SourceLine]:
        out: list[SourceLine] = []
        self._block(body, out, None)
        if self.carry.strip() and self.last_p is not None:
            self.para_no += 1
            out.append(SourceLine(self.carry.strip(), where=f"第{self.para_no}段"))
            self.sources.append(self.last_p)
        return out

    def _block(self, elem: ET.Element, out: list[SourceLine], cell: str | None) -> None:
        for child in elem:
            tag = _local(child.tag)
            if tag == "p":
                self._paragraph(child, out, cell)
            elif tag == "tbl":
                self._table(child, out)
            elif tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"):
                self._block(child, out, cell)  # containers that may hold whole paragraphs

    def _table(self, tbl: ET.Element, out: list[SourceLine]) -> None:
        self.table_no += 1
        no = self.table_no
        w = self.w
        for r, row in enumerate(tbl.findall(f"{w}tr"), 1):
            if row.find(f"{w}trPr/{w}del") is not None:
                continue  # a deleted table row
            for c, tc in enumerate(row.findall(f"{w}tc"), 1):
                self._block(tc, out, f"表{no} 第{r}行第{c}列")

    def _paragraph(self, p: ET.Element, out: list[SourceLine], cell: str | None) -> None:
        w = self.w
        ppr = p.find(f"{w}pPr")
        style_id = None
        if ppr is not None:
            ps = ppr.find(f"{w}pStyle")
            style_id = ps.get(f"{w}val") if ps is not None else None
        parts: list[str] = []
        self.last_p = p
        _collect(p, parts)
        text = self.carry + "".join(parts)
        self.carry = ""
        if ppr is not None and ppr.find(f"{w}rPr/{w}del") is not None:
            self.carry = text  # the paragraph mark is a tracked deletion: merged with the next
            return
        label = self.numbering.label(ppr, style_id, self.styles, w)
        if label and text.strip():
            text = label + text.lstrip()
        style = self.styles.kind(style_id, ppr, w)
        pieces = [t.strip() for t in text.split("\n")]
        if not any(pieces):
            return
        if cell is None:
            self.para_no += 1
        where = cell or f"第{self.para_no}段"
        for piece in pieces:  # a manual line break shows as a new line, so it is one
            if piece:
                out.append(SourceLine(piece, where=where, style=style))
                self.sources.append(p)


def _collect(elem: ET.Element, out: list[str]) -> None:
    # Recursive: run content nests a few levels in real files; crafted depth ends in extract().
    for child in elem:
        tag = _local(child.tag)
        if tag in _SKIP:
            continue
        if tag == "t":
            out.append(child.text or "")
        elif tag in ("tab", "ptab"):
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif tag == "p":
            out.append("\n")  # a paragraph nested in run content (rare): keep it apart
            _collect(child, out)
        else:
            _collect(child, out)


if TYPE_CHECKING:  # mypy checks this module against the Loader protocol
    from auditor.loaders import Loader
    import auditor.loaders.docx as _this

    _contract: Loader = _this
