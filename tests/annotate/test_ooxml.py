"""Character ranges in a Word paragraph (auditor.annotate.ooxml): split runs, comment ranges,
tracked changes, on paragraphs as Word writes them (formatting per run, hyperlinks, a
reviewer's pending insertion)."""

from __future__ import annotations

from lxml import etree

from auditor.annotate import ooxml

WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{WNS}}}"


def _p(inner: str) -> etree._Element:
    return etree.fromstring(f'<w:p xmlns:w="{WNS}"><w:pPr><w:jc w:val="both"/></w:pPr>{inner}</w:p>')


def _text(p: etree._Element, accept: bool = True) -> str:
    """The paragraph's text with the tracked changes accepted (or rejected)."""
    out = []
    for el in p.iter(W + "t", W + "delText"):
        in_del = any(a.tag == W + "del" for a in el.iterancestors())
        in_ins = any(a.tag == W + "ins" for a in el.iterancestors())
        if (accept and not in_del) or (not accept and not in_ins):
            out.append(el.text or "")
    return "".join(out)


BOLD = "<w:rPr><w:b/></w:rPr>"


def test_a_change_across_runs_keeps_each_runs_formatting() -> None:
    p = _p(f"<w:r>{BOLD}<w:t>办理案件12件,同</w:t></w:r><w:r><w:t>比增长5%,完成</w:t></w:r>")
    text = ooxml.paragraph_text(p)
    assert text == "办理案件12件,同比增长5%,完成"
    for at in sorted((i for i, ch in enumerate(text) if ch == ","), reverse=True):
        assert ooxml.track_change(p, at, at + 1, "，", rev_id=10 + at, author="合规自查", date="2026-01-01T00:00:00Z") == 2
    assert _text(p) == "办理案件12件，同比增长5%，完成" and _text(p, accept=False) == text
    first_ins = p.find(f"{W}ins")
    assert first_ins.find(f"{W}r/{W}rPr/{W}b") is not None  # the inserted mark is bold like the run it replaces
    assert all(d.get(W + "author") == "合规自查" for d in p.iter(W + "del", W + "ins"))
    assert ooxml.paragraph_text(p) == "办理案件12件，同比增长5%，完成"  # the reader's view: accepted


def test_inside_a_hyperlink_yes_inside_a_reviewers_insertion_no() -> None:
    p = _p('<w:hyperlink w:anchor="x"><w:r><w:t>见附表(一)</w:t></w:r></w:hyperlink>'
           '<w:ins w:id="1" w:author="审核人" w:date="2025-01-01T00:00:00Z"><w:r><w:t>补充,内容</w:t></w:r></w:ins>')
    text = ooxml.paragraph_text(p)
    assert ooxml.track_change(p, text.index("("), text.index("(") + 1, "（", rev_id=50, author="a", date="d") == 2
    assert p.find(f"{W}hyperlink/{W}del") is not None
    comma = ooxml.paragraph_text(p).index(",")
    assert ooxml.track_change(p, comma, comma + 1, "，", rev_id=60, author="a", date="d") == 0  # left to its reviewer
    assert _text(p) == "见附表（一)补充,内容"


def test_a_comment_range_is_the_phrase_split_out_of_its_runs() -> None:
    p = _p("<w:r><w:t>一、高度重视,加强组织领导</w:t></w:r><w:r><w:t>,依法全面履行政府职能。</w:t></w:r>")
    text = ooxml.paragraph_text(p)
    a = text.index("加强组织领导")
    ooxml.anchor_comment(p, 7, (a, len(text) - 1))
    kids = [etree.QName(k).localname for k in p]
    start, end = kids.index("commentRangeStart"), kids.index("commentRangeEnd")
    covered = "".join(t.text or "" for k in list(p)[start:end] for t in k.iter(W + "t"))
    assert covered == text[a:-1] and ooxml.paragraph_text(p) == text
    assert p[end + 1].find(f"{W}commentReference") is not None
    whole = _p("<w:r><w:t>缺少的部分</w:t></w:r>")
    ooxml.anchor_comment(whole, 8, None)  # nothing to quote: the whole paragraph
    assert etree.QName(whole[1]).localname == "commentRangeStart"


def test_find_maps_the_readers_line_onto_the_paragraph() -> None:
    text = "（一）推进,依法,行政"  # Word's numbering “（一）” is not in the runs: the line has it, the paragraph not
    line = "（一）推进,依法,行政"
    assert ooxml.find("推进,依法,行政", line, 5, 1) == 2
    assert ooxml.find("推进,依法,行政", line, 8, 1) == 5
    assert ooxml.find(text, line, 0, 3) == 0
    assert ooxml.find("推进依法行政", line, 5, 1) is None
