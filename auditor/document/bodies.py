"""What kind of body issued a report: a government, a department, or a township (乡/镇/街道).

Read, in this order, from the signature (the issuing body's full name), the title (the name
before the year: “周家店镇2023年度…”), a cover letter's issuer, and the opening (the subject of
its first sentence, “2023年，龙门浩街道坚持…”, or how the body calls itself: 我镇, 我局, 我县).
The kind shows in the end of the name: …乡/镇/街道(办事处) → township (checked first:
“…区人民政府龙门浩街道办事处” is a 街道); …局/委/办/厅/中心 → department; …人民政府, …县/区/市 →
government. A party committee (中共某县委) counts as its level's government. None when nothing
tells; the caller then treats the body as a government (the widest list).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.document.patterns import LazyPattern
from auditor.models import Document, Line

_TOWNSHIP = re.compile(r"(街道|街道办|街|乡|镇|苏木)(人民政府|政府|办事处|党委|党工委|委员会|管委会|管理委员会)?$")
_LEVEL_PARTY = LazyPattern(r"(省|市|区|县|州|旗|盟)(委|委员会|党委)$")  # 中共某县委: the county's leadership
_DEPARTMENT = LazyPattern(r"(局|委|委员会|办公室|办|厅|中心|署|所|站|队|院|处|管理处)$")
_GOVERNMENT = LazyPattern(r"(人民政府|政府|省|市|区|县|州|旗|盟|自治县|管理区|新区|开发区|管委会|管理委员会)$")
# the name before the title's year or subject: 周家店镇2023年度… / 某县司法局关于…
_TITLE_NAME = LazyPattern(r"^(?:中共)?(?P<name>[\u4e00-\u9fff]{2,40}?)(?=\s*(20\d{2}|[二〇○]{4}|关于|法治|依法|推进|年度))")
# the opening's subject: 2023年，龙门浩街道坚持… / 2023年以来，某县司法局在…
_OPENING_NAME = LazyPattern(r"^\s*(?:20\d{2}\s*年度?(?:以来)?|今年以来|一年来)\s*,\s*(?P<name>[\u4e00-\u9fff]{2,24}?"
                           r"(街道办事处|街道|乡|镇|局|委|办|中心|县|区|市|州|旗))(?=[坚始深紧认全以在把围聚按立])")
_SELF = LazyPattern(r"(?:^|[,。;:\s])(我|本)(镇|乡|街道|街|局|委|办|厅|中心|县|区|市|州|旗|部门)")
_SELF_KIND = {"镇": "township", "乡": "township", "街道": "township", "街": "township",
              "局": "department", "委": "department", "办": "department", "厅": "department", "中心": "department",
              "部门": "department"}


class BodyKind(NamedTuple):
    kind: str  # government | department | township
    source: str  # 落款 | 标题 | 来文 | 开头
    line: Line
    name: str  # the name (or the words) it was read from


def kind_of_name(name: str) -> str | None:
    """The kind of body a name ends with; None when it tells nothing."""
    s = re.sub(r"[\s()（）]", "", name)
    s = re.sub(r"^中共", "", s)
    if _TOWNSHIP.search(s):
        return "township"
    if _LEVEL_PARTY.search(s):
        return "government"
    if _GOVERNMENT.search(s) and not s.endswith(("委员会",)) or s.endswith(("管委会", "管理委员会")):
        return "government"
    if _DEPARTMENT.search(s):
        return "department"
    return None


def body_kind(doc: Document) -> BodyKind | None:
    """The kind of the issuing body, with where it was read; None when nothing tells."""
    sig = doc.signature.body
    if sig is not None:
        kind = kind_of_name(sig.norm)
        if kind:
            return BodyKind(kind, "落款", sig, sig.text.strip())
    for ln in doc.title:
        s = ln.norm.strip()
        m = _TITLE_NAME.match(s)
        kind = kind_of_name(m.group("name")) if m else (kind_of_name(s) if len(s) <= 30 else None)
        if kind:
            return BodyKind(kind, "标题", ln, m.group("name") if m else s)
    for ln in doc.letter:
        s = ln.norm.strip()
        kind = kind_of_name(s) if len(s) <= 30 else None
        if kind:
            return BodyKind(kind, "来文", ln, s)
    opening = [*doc.preamble[:2], *(p.body[0] for p in doc.parts[:1] if p.body)]
    for ln in opening:
        m = _OPENING_NAME.match(ln.norm)
        kind = kind_of_name(m.group("name")) if m else None
        if m and kind:
            return BodyKind(kind, "开头", ln, m.group("name"))
    for ln in opening:
        m = _SELF.search(ln.norm)
        if m:
            return BodyKind(_SELF_KIND.get(m.group(2), "government"), "开头", ln, m.group(1) + m.group(2))
    return None
