"""Find a report's structure: title, preamble, top-level parts, sub-parts, signature, chrome.

Works on any pack's reports: it knows headings and signatures, not what the parts mean. Roles
(achievements, plan …) come from the pack and are assigned in `roles.py`.
"""

from __future__ import annotations

import re
from collections import Counter

from auditor.models import Document, Line, Part, RawText, Signature
from auditor.document.leading import find_title, leading_dates, split_leading
from auditor.document.normalize import normalize_lines
from auditor.document.patterns import (
    DATE_CN,
    DATE_NUM,
    SENTENCE_PUNCT,
    SUB_HEADING,
    TOP_HEADING,
    LazyPattern,
    cn_number,
    is_chrome,
    parse_date,
)

_MD = re.compile(r"^\s{0,3}#{1,6}\s*")
# The end of an issuing body's or a signer's name: 人民政府, 办事处, 司法局, 区长 张三 …
_SIGNER = LazyPattern(
    r"(人民政府|政府|办事处|街道|委员会|党委|党工委|党组|委|局|厅|办公室|办|镇|乡|区|县|市|州|盟|旗|中心|院|部|署|"
    r"管委会|管理委员会|公司|所|站|队|会)$|(书记|省长|区长|县长|市长|州长|旗长|盟长|镇长|乡长|主任|局长|厅长|部长|"
    r"院长|检察长|主席|负责人)"
)
_NOT_SIGNER = LazyPattern(r"^(无|暂无|略|同上|以上|附件.*|此页无正文)$")
# A duty report is signed by a person, often with a label: “述法人：张三”, “报告人:李四”.
_SIGNER_LABEL = re.compile(r"^\s*(述法人|述职人|报告人|汇报人|署名|签名)\s*:\s*(?=\S)")


def _unlabel(norm: str) -> str:
    return _SIGNER_LABEL.sub("", norm)


def _is_date_line(norm: str) -> bool:
    s = norm.strip().strip("()（）")
    for rx in (DATE_CN, DATE_NUM):
        m = rx.search(s)
        if m and m.start() == 0 and not s[m.end():].strip():
            return True
    return False


def _is_signer_line(norm: str) -> bool:
    s = _unlabel(norm).strip()
    if not 2 <= len(s) <= 40 or SENTENCE_PUNCT.search(s) or _NOT_SIGNER.match(s):
        return False
    if TOP_HEADING.match(s) or SUB_HEADING.match(s):
        return False
    return bool(_SIGNER.search(s.replace(" ", "")))


def _signer_with_date(norm: str) -> bool:
    """`重庆市某区人民政府 2024年3月4日` on one line."""
    found = parse_date(norm)
    if not found:
        return False
    _, m = found
    return not norm[m.end():].strip() and _is_signer_line(norm[: m.start()])


def _md_part_level(lines: list[Line]) -> int | None:
    """The Markdown heading level that holds the parts: the shallowest one used more than once."""
    levels = Counter(int(ln.style[2:]) for ln in lines if ln.style and ln.style.startswith("md"))
    numbered = [int(ln.style[2:]) for ln in lines
                if ln.style and ln.style.startswith("md") and TOP_HEADING.match(_MD.sub("", ln.norm))]
    if numbered:
        return min(numbered)
    repeated = [lvl for lvl, n in levels.items() if n > 1]
    return min(repeated) if repeated else None


def _find_parts(content: list[Line]) -> list[tuple[int, int | None]]:
    """Positions in `content` of top-level headings, with their numerals (None if unnumbered)."""
    md_level = _md_part_level(content)
    found: list[tuple[int, int | None]] = []
    last = 0
    for i, ln in enumerate(content):
        m = TOP_HEADING.match(ln.norm)
        md = ln.style[2:] if ln.style and ln.style.startswith("md") else None
        if m:
            n = cn_number(m.group(1) or m.group(2))
            if n is not None and n > last and (md is None or md_level is None or int(md) <= md_level):
                found.append((i, n))
                last = n
            continue
        if (md is not None and md_level is not None and int(md) == md_level) or ln.style == "heading1":
            if not SUB_HEADING.match(_MD.sub("", ln.norm)):
                found.append((i, None))
    return found


def _is_name(s: str) -> bool:
    """2–4 ideographs: a person's name under an office line (张三)."""
    return 2 <= len(s) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in s)


def _signature(tail: list[Line]) -> tuple[Signature, int]:
    """The signature at the end of `tail`, and how many trailing lines it takes.

    Read bottom-up: a date line, name lines (issuing body, office, a signer's name) and a line
    with both; the first line that is none of these ends the block.
    """
    block: list[tuple[str, Line]] = []
    for ln in reversed(tail[-5:]):
        s = ln.norm.strip()
        if _signer_with_date(s):
            kind = "both"
        elif _is_date_line(s):
            kind = "date"
        elif _is_signer_line(s):
            kind = "signer"
        elif _is_name(_unlabel(s).replace(" ", "")) and (block or _unlabel(s) != s):
            kind = "signer"  # a person's name above the date, or labelled “述法人：张三”
        else:
            break
        if kind in ("date", "both") and any(k in ("date", "both") for k, _ in block):
            break
        block.append((kind, ln))
    block.reverse()
    signers = [ln for k, ln in block if k in ("signer", "both")]
    dates = [ln for k, ln in block if k in ("date", "both")]
    date = dates[0] if dates else None
    parsed = parse_date(date.norm) if date is not None else None
    body = signers[0] if signers else None
    return Signature(body=body, date=date, date_value=parsed[0] if parsed else None), len(block)


# A date of year and month only (2025年2月), as a personal report is dated under its title.
_YEAR_MONTH = LazyPattern(r"^((?:19|20)\d{2}|[二〇○零一三四五六七八九O]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月$")


def _under_title(head: list[Line]) -> tuple[Signature, int] | None:
    """A report signed under its title, the usual layout of a personal (述法) report: the signer's
    role and name (one line, “西洞庭管理区党委副书记、管委会主任 叶春华”, or role then name), then a
    date (2025年2月4日, or year and month only: 2025年2月), above the opening. (signature, lines
    it takes), or None."""
    signers: list[Line] = []
    for i, ln in enumerate(head[:3]):
        s = ln.norm.strip()
        bare = s.strip("()（）")
        if signers and (_is_date_line(s) or _YEAR_MONTH.match(bare)):
            parsed = parse_date(bare)
            return Signature(body=signers[0], date=ln, date_value=parsed[0] if parsed else None,
                             under_title=True), i + 1
        if _is_signer_line(s) or (signers and _is_name(_unlabel(s).replace(" ", ""))):
            signers.append(ln)
            continue
        return None
    return None


# ----------------------------------------------------------------------------- trailing leftovers
# A paragraph of report prose: long, sentences with commas, ends a sentence. Site footers are
# short labels, lists of links and registration numbers.
_PROSE_END = ("。", ";", "!", "?", "”")


# Page furniture in text copied out of a PDF: — 8 —, -8-, 第8页 共9页, 8/9.
_PAGE_NO = LazyPattern(r"^(?:[-—–_~·]+\d{1,4}[-—–_~·]+|第\d{1,4}页(?:,?共\d{1,4}页)?|共\d{1,4}页,?第\d{1,4}页|\d{1,4}/\d{1,4})$")


def _is_heading(ln: Line) -> bool:
    s = _MD.sub("", ln.norm)
    return bool(TOP_HEADING.match(s) or SUB_HEADING.match(s)) or ln.style in ("title", "heading1", "heading2")


def _is_prose(norm: str) -> bool:
    s = norm.strip()
    return len(s) >= 40 and s.endswith(_PROSE_END) and ("," in s or "、" in s)


def _is_dated(norm: str) -> bool:
    """A signature's date line or a signer with the date (`某区人民政府 2024年3月4日`)."""
    s = norm.strip()
    return _is_date_line(s) or _signer_with_date(s)


def _signature_starts(after: list[Line], i: int) -> bool:
    """A signature begins at after[i]: up to three signer lines then a date, a signer with the
    date, or a 年月日 date line (numeric dates alone are the site's publication stamps)."""
    s = after[i].norm.strip()
    if _signer_with_date(s) or (_is_date_line(s) and DATE_CN.search(s)):
        return True
    j = i
    while j < min(len(after), i + 3) and (_is_signer_line(after[j].norm) or _unlabel(after[j].norm) != after[j].norm):
        j += 1
    return i < j < len(after) and _is_dated(after[j].norm)


def _report_content(after: list[Line], i: int) -> bool:
    """Clearly the report's own text: a heading, a paragraph of prose, a signature."""
    ln = after[i]
    return _is_heading(ln) or _is_prose(ln.norm) or _signature_starts(after, i)


def _unfamiliar(ln: Line) -> bool:
    """A line between the signature's date and the site's footer that is not the report's: a
    wrapped or cut footer line, a footer the chrome patterns do not know, 抄送/印发 lines."""
    s = ln.norm.strip()
    return not (_is_heading(ln) or _is_prose(s) or _is_dated(s) or _is_signer_line(s) or _unlabel(s) != s)


def _trailing_leftovers(after: list[Line], chrome_nos: set[int]) -> set[int]:
    """Line numbers of the website leftovers after the last part that the chrome patterns miss.

    Leftovers are found as a block, not line by line: once the lines turn into site chrome, what
    follows belongs to the block too, unless it is clearly report content (a heading, prose, a
    signature); once the report's date has been seen, the block runs to the end. Lines between
    that date and the block that are not signature lines belong to it as well. So the
    signature and date are read above the block, and a wrapped footer line ("渝公网安" /
    "备:50010802001142号") or an unknown one no longer hides them."""
    out: set[int] = set()
    start: int | None = None  # where the current run of leftovers began
    last_date: int | None = None  # the last date line of the report itself
    for i, ln in enumerate(after):
        if _PAGE_NO.match(ln.norm.replace(" ", "")):
            out.add(ln.no)  # a page number in text copied out of a PDF, between signer and date say
            continue
        if ln.no in chrome_nos:
            start = i if start is None else start
            continue
        if start is not None and (last_date is not None or not _report_content(after, i)):
            out.add(ln.no)
            continue
        start = None
        if _is_dated(ln.norm):
            last_date = i
    if last_date is not None:
        k = len(after) if start is None else start
        while k - 1 > last_date and after[k - 1].no not in chrome_nos and _unfamiliar(after[k - 1]):
            k -= 1
            out.add(after[k].no)
    return out


def _after_last_part(lines: tuple[Line, ...], content: list[Line], heads: list[tuple[int, int | None]],
                     n_title: int) -> list[Line]:
    """The non-empty lines (chrome included) after the last part's heading; without parts,
    after the last heading or paragraph of prose."""
    if heads:
        anchor: Line | None = content[heads[-1][0]]
    else:
        anchor = next((ln for ln in reversed(content[n_title:]) if _is_heading(ln) or _is_prose(ln.norm)), None)
    if anchor is None:
        return []
    return [ln for ln in lines[anchor.no:] if ln.norm.strip()]


# a label anywhere in a chrome line: rows of the metadata table may hold two (成文日期:… 发布日期:…)
_PAGE_DATE = LazyPattern(r"(发布日期|发布时间|成文日期)\s*[\]】)]?\s*[:|]\s*\|?\s*")


def _page_dates(chrome: tuple[Line, ...]) -> dict[str, str]:
    """发布日期 / 成文日期 lines of a page saved as text → meta published / written (ISO dates)."""
    found: dict[str, str] = {}
    for ln in chrome:
        for m in _PAGE_DATE.finditer(ln.norm):
            parsed = parse_date(ln.norm[m.end(): m.end() + 24])
            if parsed and parsed[1].start() == 0:
                key = "written" if m.group(1) == "成文日期" else "published"
                y, mo, d = parsed[0]
                found.setdefault(key, f"{y:04d}-{mo:02d}-{d:02d}")
    return found


def _with_letter(own: Signature, letter: tuple[Line, ...]) -> Signature:
    """A report sent under a cover letter is signed and dated by the letter when it has no
    signature of its own (GB/T 9704: an attachment needs none); its own signature always wins."""
    tail = [ln for ln in letter if not re.match(r"^\s*附\s*件", ln.norm)]
    sent, _ = _signature(tail)
    body = own.body or sent.body
    if own.date is not None:
        return own._replace(body=body)
    return Signature(body=body, date=sent.date, date_value=sent.date_value)


def build(raw: RawText) -> Document:
    """Structure of a document; roles and the report year are added by `roles.assign`."""
    normed, traditional = normalize_lines([sl.text for sl in raw.lines])
    lines = tuple(
        Line(no=i + 1, text=sl.text, norm=n, where=sl.where, style=sl.style)
        for i, (sl, n) in enumerate(zip(raw.lines, normed))
    )
    chrome = tuple(ln for ln in lines if is_chrome(ln.norm))
    chrome_nos = {ln.no for ln in chrome}
    lead = split_leading([ln for ln in lines if ln.norm.strip()], chrome_nos)  # leftovers above the report are chrome too
    content = lead.content
    chrome = tuple(sorted((*chrome, *lead.leftovers), key=lambda ln: ln.no))

    heads = _find_parts(content)
    first = heads[0][0] if heads else len(content)
    n_title = find_title(content[:first])
    title = tuple(content[:n_title])
    leftovers = _trailing_leftovers(_after_last_part(lines, content, heads, n_title), chrome_nos)
    if leftovers:
        chrome = tuple(ln for ln in lines if ln.no in chrome_nos or ln.no in leftovers)
        content = [ln for ln in content if ln.no not in leftovers]
    after_last = content[heads[-1][0] + 1:] if heads else content[n_title:]
    signature, n_sig = _signature(after_last)
    if lead.letter:
        signature = _with_letter(signature, lead.letter)
    n_under = 0
    if signature.body is None and signature.date is None and not lead.letter:
        under = _under_title(content[n_title:first])
        if under is not None:
            signature, n_under = under

    parts: list[Part] = []
    end_all = len(content) - n_sig
    for k, (pos, numeral) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else end_all
        body = tuple(content[pos + 1:end])
        subs = tuple(ln for ln in body if SUB_HEADING.match(_MD.sub("", ln.norm)) or ln.style == "heading2"
                     or (ln.style or "").startswith("md"))
        parts.append(Part(index=k, numeral=numeral, heading=content[pos], body=body, subheadings=subs, role=None))
    preamble = tuple(content[n_title + n_under:first]) if heads else tuple(content[n_title + n_under:end_all])
    meta = {**leading_dates(lead.leftovers), **_page_dates(chrome), **dict(raw.meta)}  # the loader's own metadata wins
    return Document(
        path=raw.path, fmt=raw.fmt, lines=lines, title=title, preamble=preamble, parts=tuple(parts),
        signature=signature, chrome=chrome, report_year=None, year_evidence=None,
        traditional=traditional, encoding=raw.encoding, meta=meta, content=tuple(content), layout=raw.layout,
        letter=lead.letter,
    )
