"""Kind `signature`: the signature block after the last part has a name line or a date line.

params: `element`: `body` (the issuing body's name, an office or a signer) or `date`.
A personal (述法) report may be signed under its title instead (role and name, then a date:
“西洞庭管理区党委副书记、管委会主任 叶春华 / 2025年2月”): the structure reads the signature there.
A web page's 成文日期 (its metadata table: 索引号 … 成文日期) stands in for a date the report's
text lost, and the finding says it came from the page; a date in the text always wins.
Passes: “重庆市南岸区人民政府龙门浩街道办事处 / 2024年3月4日” at the end. Fails: the report stops
after its last part; a body named only above the title is no signature.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from auditor.checks._dates import FROM_PAGE, cn, page_date
from auditor.checks.contract import CheckKind, Context, Kind, Placement, Target
from auditor.checks.matching import evidence, place
from auditor.models import Met, Outcome
from auditor.document.patterns import parse_date


class Params(NamedTuple):
    element: Literal["body", "date"]


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    sig = doc.signature
    last = doc.content[-1] if doc.content else None
    if params.element == "body":
        if sig.body is not None:
            said = "标题下署名" if sig.under_title else "落款"
            return Outcome(Met.MET, f"{said}：{sig.body.text.strip()}", (evidence(sig.body),))
        said = ""  # nothing to add: the rule's message says what is missing
        if doc.title and len(doc.title) > 1:
            word = "署名" if ctx.options.get("signature_label") == "署名" else "落款"
            said = f"文末没有{word}，文首{place(doc.title[0])}的“{doc.title[0].text.strip()}”不能代替。"
        shown = (evidence(last),) if last is not None else ()
        return Outcome(Met.UNMET, said, shown)
    if sig.date is not None:
        said = "署名日期" if sig.under_title else "落款日期"
        return Outcome(Met.MET, f"{said}：{sig.date.text.strip()}", (evidence(sig.date),))
    page = page_date(doc, "written")
    if page is not None:
        return Outcome(Met.MET, f"正文落款下没有日期，{FROM_PAGE['written']}，报告成文于{cn(page.value)}", page.shown)
    tail = [ln for ln in doc.content[-3:] if parse_date(ln.norm)]
    said = f"落款下没有日期；{place(tail[-1])}的日期写在正文里，不能作为落款日期。" if tail else ""
    shown = (evidence(last),) if last is not None else ()
    return Outcome(Met.UNMET, said, shown)


KIND: CheckKind[Params] = Kind("signature", Params, check, doc=__doc__, placement=Placement.END,
                                   marks_gap=True)  # a draft full of “XX” gets one mark at the gap, not one per line
