"""Kind `title_form`: the title names the issuing body and the kind of document, without punctuation.

params: `body_patterns` (the issuing body's name, one must match), `kind_patterns` (the kind of
document at the end: 报告, 请示 …), `punctuation_patterns` (marks not allowed outside 《》),
`banner_patterns` (a line of a web page's banner or breadcrumb that the structure kept above the
title, “某某县人民政府门户网站”, “中国·某某”, “您当前所在位置：首页>…”: never judged as the title).
Passes: “某某县人民政府关于2023年法治政府建设情况的报告”. Fails: “2023年法治政府建设情况报告” (no
issuing body), a title ending in “。”, a title without its kind of document.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Patterns, Scoping, Target
from auditor.checks.matching import evidence
from auditor.models import Document, Met, Outcome


class Params(NamedTuple):
    body_patterns: Patterns
    kind_patterns: Patterns
    punctuation_patterns: Patterns
    banner_patterns: Patterns = ()


_NAMES = re.compile(r"《[^《》]*》")  # names of laws and rules keep their own marks


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    title = tuple(ln for ln in doc.title if not any(rx.search(ln.norm) for rx in params.banner_patterns))
    if not title:
        banner = "、".join(f"“{ln.text.strip()}”" for ln in doc.title)
        return Outcome(Met.NOT_APPLICABLE, f"未找到标题行（{banner}是网站的横幅或导航，不是标题）" if banner else "未找到标题行")
    doc = doc._replace(title=title)
    joined = "".join(ln.norm.strip() for ln in doc.title)
    shown = tuple(evidence(ln) for ln in doc.title)
    problems = []
    if not any(rx.search(joined) for rx in params.body_patterns):
        problems.append("没有写明发文机关")
    if not any(rx.search(joined) for rx in params.kind_patterns):
        problems.append("没有以文种（报告等）结尾")
    bare = _NAMES.sub("", joined)
    marks = [m.group(0) for rx in params.punctuation_patterns for m in rx.finditer(bare)]
    if marks:
        shown_marks = "".join(dict.fromkeys(_original(doc, m) for m in marks))
        problems.append(f"含有标点“{shown_marks}”")
    if problems:
        return Outcome(Met.UNMET, "标题" + "，".join(problems) + "。", shown)
    return Outcome(Met.MET, "标题：" + "".join(ln.text.strip() for ln in doc.title), shown)


def _original(doc: Document, mark: str) -> str:
    """The mark as the title writes it (normalization folds ，into ,)."""
    for ln in doc.title:
        i = ln.norm.find(mark)
        if i >= 0 and len(ln.text) == len(ln.norm):
            return ln.text[i : i + len(mark)]
    return mark


KIND: CheckKind[Params] = Kind("title_form", Params, check, Scoping.NONE, __doc__)
