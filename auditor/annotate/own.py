"""What `auditor annotate` wrote itself: its comments (to replace on the next round) and its own
output files (the only existing files it may overwrite by default).

A drafter annotates, fixes the draft in Word or WPS, saves, and annotates the saved copy again,
three to five times. Each round replaces the comments of the round before instead of piling
them up, as Word's and WPS's own checkers do. A comment is auditor's when its text carries
OWN_MARK, the line every comment it writes ends with; the mark is plain text, so it survives
Word's and WPS's saves (attributes of unknown namespaces do not), and it does not depend on the
author's name, which is configurable and which a reviewer may share. Comments written before the
mark existed (author “auditor”, initials “AU”, text opening with the verdict or a 【不合格】/【警告】
rule line) are recognised too. A reviewer's comments and replies are never touched.

An output file carries a custom document property holding the digest of its own body
(word/document.xml): a file whose body still has that digest was written by auditor and not
saved since, so writing the next result over it loses nothing. Once a person has saved it in
Word, the digest no longer matches and auditor picks a new name instead.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

OWN_MARK = "〔自动批注，再次检查时替换〕"
STAMP = "auditor-annotated-body-sha256"
_LEGACY = re.compile(r"^(auditor 审查结论：|【(不合格|警告)】[A-Z]{1,4}\d{3} )")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _text(comment: Any) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(_q(W, "t"))) for p in comment.iter(_q(W, "p")))


def is_own(comment: Any) -> bool:
    """A w:comment element auditor wrote (now, or before the mark existed)."""
    text = _text(comment)
    if OWN_MARK in text:
        return True
    return (comment.get(_q(W, "author")) == "auditor" and comment.get(_q(W, "initials")) == "AU"
            and bool(_LEGACY.match(text)))


def remove_own_comments(document: Any) -> int:
    """Remove auditor's earlier comments from a python-docx Document: the comment, its range
    marks and reference in the body, and its entries in Word's extended comment parts. Returns
    how many were removed."""
    part = document.part
    try:
        comments_part = part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments")
    except KeyError:
        return 0
    root = comments_part.element
    ids: set[str] = set()
    para_ids: set[str] = set()
    for c in list(root.iter(_q(W, "comment"))):
        if is_own(c):
            ids.add(c.get(_q(W, "id")) or "")
            para_ids.update(p.get(_q(W14, "paraId")) or "" for p in c.iter(_q(W, "p")))
            c.getparent().remove(c)
    ids.discard("")
    para_ids.discard("")
    if not ids:
        return 0
    body = document.element
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(body.iter(_q(W, tag))):
            if el.get(_q(W, "id")) in ids:
                el.getparent().remove(el)
    for ref in list(body.iter(_q(W, "commentReference"))):
        if ref.get(_q(W, "id")) in ids:
            run = ref.getparent()
            run.remove(ref)
            if not [c for c in run if c.tag != _q(W, "rPr")]:
                run.getparent().remove(run)
    if para_ids:
        _drop_extended(part.package, para_ids)
    return len(ids)


def _drop_extended(package: Any, para_ids: set[str]) -> None:
    """Entries of commentsExtended / commentsIds / commentsExtensible for removed comments."""
    durable: set[str] = set()
    parts = {str(p.partname): p for p in package.iter_parts()}
    order = ("/word/commentsExtended.xml", "/word/commentsIds.xml", "/word/commentsExtensible.xml")
    for name in order:
        p = parts.get(name)
        if p is None:
            continue
        try:
            root = etree.fromstring(p.blob)
        except etree.XMLSyntaxError:
            continue
        changed = False
        for el in list(root):
            attrs = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
            if attrs.get("paraId") in para_ids or attrs.get("durableId") in durable and name.endswith("Extensible.xml"):
                if "durableId" in attrs:
                    durable.add(attrs["durableId"])
                root.remove(el)
                changed = True
        if changed:
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            if hasattr(p, "_element"):
                p._element = etree.fromstring(data)
            else:
                p._blob = data


def _body_digest(document: Any) -> str:
    from docx.opc.oxml import serialize_part_xml

    return hashlib.sha256(serialize_part_xml(document.element)).hexdigest()


def stamp(document: Any) -> None:
    """Record the digest of the body as it will be saved (call last, just before saving)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    digest = _body_digest(document)
    package = document.part.package
    existing = next((p for p in package.iter_parts() if str(p.partname) == "/docProps/custom.xml"), None)
    if existing is not None:
        try:
            root = etree.fromstring(existing.blob)
        except etree.XMLSyntaxError:
            return  # a damaged part: leave it as it is (the file is then simply not overwritten later)
    else:
        root = etree.Element(_q(_CUSTOM_NS, "Properties"), nsmap={None: _CUSTOM_NS, "vt": _VT})
    for prop in list(root):
        if prop.get("name") == STAMP:
            root.remove(prop)
    pids = [int(p.get("pid")) for p in root if (p.get("pid") or "").isdigit()]
    prop = etree.SubElement(root, _q(_CUSTOM_NS, "property"), fmtid=_FMTID, pid=str(max([1, *pids]) + 1), name=STAMP)
    etree.SubElement(prop, _q(_VT, "lpwstr")).text = digest
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        if hasattr(existing, "_element"):
            existing._element = etree.fromstring(data)
        else:
            existing._blob = data
        return
    part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_CT, data, package)
    package.relate_to(part, _CUSTOM_RT)


def is_own_output(path: str) -> bool:
    """Whether `path` is a .docx auditor wrote and nobody has saved since (safe to overwrite)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024 * 1024)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            custom = etree.fromstring(zf.read("docProps/custom.xml"))
            body = zf.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError):
        return False
    for prop in custom:
        if prop.get("name") == STAMP:
            return "".join(prop.itertext()).strip() == hashlib.sha256(body).hexdigest()
    return False


_ROUND = re.compile(r"\.批注(\d*)$")


def output_name(path: str) -> str:
    """DRAFT.docx → DRAFT.批注.docx; DRAFT.批注.docx (an earlier round's output, saved by the
    drafter) → DRAFT.批注2.docx, then 批注3 …: never DRAFT.批注.批注.docx, never the input."""
    stem, _ = os.path.splitext(path)
    m = _ROUND.search(stem)
    if m is None:
        return f"{stem}.批注.docx"
    return f"{stem[:m.start()]}.批注{int(m.group(1) or 1) + 1}.docx"


def free_output(path: str) -> str:
    """The default output for `path`: its name (output_name), kept when no file has it or the
    file there is auditor's own unsaved output; else the next round's name that is."""
    out = output_name(path)
    for _ in range(100):
        same = os.path.exists(out) and os.path.exists(path) and os.path.samefile(out, path)
        if not same and (not os.path.exists(out) or is_own_output(out)):
            return out
        out = output_name(out)
    return out
