"""The drafter's second round: annotating again replaces auditor's comments, names the file for
the round, and the 公文规范 corrections are tracked changes that LibreOffice reads as such.

Checked on the .docx itself (its XML, the project's reader, python-docx) and, where LibreOffice
is installed, on LibreOffice's own reading of it: `soffice --convert-to odt` writes what it
understood, its tracked changes (author, insertion or deletion) and the text around them, from
which the text after accepting all and after rejecting all follows.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from auditor.annotate.own import OWN_MARK, is_own_output, output_name
from auditor.loaders.docx import extract

from conftest import FIXTURES, invoke

FORMATS = FIXTURES / "formats"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# (runs of each paragraph): a draft with one of each mechanical correction, the comma split over runs
DRAFT = [
    ["某某县司法局2023年法治政府建设年度报告"],
    ["2023年，我局在县委、县政府的领导下，深入推进法治政府建设，现将有关情况报告如下。"],
    ["一、主要举措和成效"],
    ["（一）加强组织领导。"],
    ["健全工作机制，召开专题会议4次，研究法治政府建设重点任务12项。"],
    ["(二)推进依法行政。"],
    ["全年办理行政复议案件12件", ",同比增长5%，组织学习《中华人民共和国宪法》、",
     "《中华人民共和国民法典》，开展“12.4”国家宪法日活动36场,覆盖群众1.2万人次。"],
    ["二、存在的不足和原因"],
    ["一是执法人员素质有待提高；二是规范性文件审核力量不足。原因是培训不够。"],
    ["三、党政主要负责人履行推进法治建设第一责任人职责情况"],
    ["主要负责人带头学法，主持专题研究法治建设4次，听取汇报2次，开展述法1次。"],
    ["四、2024年工作安排"],
    ["一是加强执法培训，全年培训执法人员200人次；二是完善规范性文件审核机制，配备审核人员3名。"],
    ["五、其他需要报告的情况"],
    ["无。"],
    ["某某县司法局"],
    ["2024.3.4"],
]
ORIGINAL = ["".join(runs) for runs in DRAFT]
CORRECTED = [t.replace("(二)", "（二）").replace("12件,", "12件，").replace("36场,", "36场，")
             .replace("》、《", "》《").replace("“12.4”", "“12·4”").replace("2024.3.4", "2024年3月4日")
             for t in ORIGINAL]


def _draft(path: Path) -> Path:
    d = docx.Document()
    for runs in DRAFT:
        p = d.add_paragraph()
        for text in runs:
            p.add_run(text)
    d.save(str(path))
    return path


def _part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _own_comments(data: bytes) -> list[Any]:
    return [c for c in _part(data, "word/comments.xml").iter(W + "comment")
            if OWN_MARK in "".join(t.text or "" for t in c.iter(W + "t"))]


def _ranges(data: bytes) -> dict[str, str]:
    """comment id → the text its range covers (deleted text left out, as Word shows it accepted)."""
    body = _part(data, "word/document.xml")
    out: dict[str, str] = {}
    open_ids: list[str] = []
    for el in body.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "t"):
        if el.tag == W + "commentRangeStart":
            open_ids.append(el.get(W + "id"))
            out[el.get(W + "id")] = ""
        elif el.tag == W + "commentRangeEnd":
            if el.get(W + "id") in open_ids:
                open_ids.remove(el.get(W + "id"))
        else:
            for i in open_ids:
                out[i] += el.text or ""
    return out


def _comment_text(c: Any) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))


def test_annotating_again_replaces_its_comments_and_keeps_the_reviewers(tmp_path: Path) -> None:
    src = tmp_path / "草稿.docx"
    shutil.copy(FORMATS / "002_revs.docx", src)  # carries a reviewer's own comment
    assert invoke("annotate", src).exit_code == 1
    first = tmp_path / "草稿.批注.docx"
    before = hashlib.sha256(first.read_bytes()).hexdigest()
    n = len(_own_comments(first.read_bytes()))
    assert n == 8

    again = invoke("annotate", first)  # the drafter's next round, on the annotated copy
    assert again.exit_code == 1, again.output
    second = tmp_path / "草稿.批注2.docx"
    assert second.exists() and not (tmp_path / "草稿.批注.批注.docx").exists()
    assert hashlib.sha256(first.read_bytes()).hexdigest() == before  # the input is only read
    data = second.read_bytes()
    assert len(_own_comments(data)) == n  # replaced, not piled up
    comments = list(_part(data, "word/comments.xml").iter(W + "comment"))
    assert [c.get(W + "author") for c in comments].count("审核人") == 1  # the reviewer's stays
    body = _part(data, "word/document.xml")
    ids = {c.get(W + "id") for c in comments}
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):  # no dangling marks
        assert {e.get(W + "id") for e in body.iter(W + tag)} == ids, tag
    assert extract(data, path="x").lines == extract(src.read_bytes(), path="x").lines

    third = invoke("annotate", second)
    assert third.exit_code == 1 and (tmp_path / "草稿.批注3.docx").exists()
    assert len(_own_comments((tmp_path / "草稿.批注3.docx").read_bytes())) == n


def test_comments_of_an_earlier_version_are_recognised_without_the_mark(tmp_path: Path) -> None:
    from auditor.annotate import own

    d = docx.Document(str(FORMATS / "002.docx"))
    run = d.paragraphs[0].runs[0]
    d.add_comment(run, text="auditor 审查结论：不合格，得分 79.5 / 100", author="auditor", initials="AU")
    d.add_comment(run, text="auditor 这里要改", author="auditor", initials="AU")  # a person signing as auditor
    assert own.remove_own_comments(d) == 1
    body = d.element.body
    assert len(list(body.iter(W + "commentRangeStart"))) == len(list(body.iter(W + "commentReference"))) == 1
    assert [c.author for c in d.comments] == ["auditor"] and "这里要改" in next(iter(d.comments)).text


def test_the_default_name_never_doubles_and_never_overwrites_a_foreign_file(tmp_path: Path) -> None:
    assert output_name("a/X.docx") == "a/X.批注.docx"
    assert output_name("a/X.批注.docx") == "a/X.批注2.docx"
    assert output_name("a/X.批注2.pdf") == "a/X.批注3.docx"
    src = tmp_path / "X.docx"
    shutil.copy(FORMATS / "002.docx", src)
    foreign = tmp_path / "X.批注.docx"  # the drafter's own file of that name
    shutil.copy(FORMATS / "002_table.docx", foreign)
    kept = hashlib.sha256(foreign.read_bytes()).hexdigest()
    assert invoke("annotate", src).exit_code == 1
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == kept
    ours = tmp_path / "X.批注2.docx"
    assert ours.exists() and is_own_output(str(ours)) and not is_own_output(str(foreign))
    # the same draft again: its own unsaved output is replaced, no X.批注3.docx
    assert invoke("annotate", src).exit_code == 1
    assert not (tmp_path / "X.批注3.docx").exists() and is_own_output(str(ours))
    # once saved in Word (the body changes), it is the drafter's: a new name
    d = docx.Document(str(ours))
    d.add_paragraph("起草人补充的内容。")
    d.save(str(ours))
    assert not is_own_output(str(ours))
    assert invoke("annotate", src).exit_code == 1 and (tmp_path / "X.批注3.docx").exists()


def test_comments_sit_on_the_quoted_phrase_and_a_finding_with_two_places_gets_one(tmp_path: Path) -> None:
    src = tmp_path / "草稿.docx"
    shutil.copy(FORMATS / "002.docx", src)
    assert invoke("annotate", src).exit_code == 1
    data = (tmp_path / "草稿.批注.docx").read_bytes()
    texts = {c.get(W + "id"): _comment_text(c) for c in _own_comments(data)}
    ranges = _ranges(data)
    paragraphs = [ln.text for ln in extract(src.read_bytes(), path="x").lines]
    ar101 = [i for i, t in texts.items() if "AR101" in t]
    assert len(ar101) == 1 and "另见：第" in texts[ar101[0]]  # one comment naming its other place
    ar103 = next(i for i, t in texts.items() if "AR103" in t)
    quoted = ranges[ar103]
    assert "第一责任人职责" in quoted and quoted not in paragraphs  # a phrase, not the whole paragraph
    assert any(quoted in p for p in paragraphs)


def test_gongwen_corrections_are_tracked_changes(tmp_path: Path) -> None:
    src = _draft(tmp_path / "样稿.docx")
    result = invoke("annotate", "--with", "gongwen", src)
    assert result.exit_code == 0, result.output
    assert "6 处修订" in result.output
    data = (tmp_path / "样稿.批注.docx").read_bytes()
    body = _part(data, "word/document.xml")
    dels, inss = list(body.iter(W + "del")), list(body.iter(W + "ins"))
    assert len(dels) == 6 and len(inss) == 5  # “、” between 《》 is only deleted
    for rev in (*dels, *inss):
        assert rev.get(W + "author") == "合规自查" and rev.get(W + "date", "").endswith("Z")
        assert rev.get(W + "id") is not None
    ids = [r.get(W + "id") for r in (*dels, *inss)]
    assert len(set(ids)) == len(ids)
    assert sorted("".join(t.text for t in d.iter(W + "delText")) for d in dels) == sorted(
        [",", ",", "、", ".", "(二)", "2024.3.4"])
    # accepted (the reader keeps insertions, drops deletions): the corrected text
    assert [ln.text for ln in extract(data, path="x").lines] == CORRECTED
    # rejected (insertions dropped, deletions kept): the draft as it was
    rejected = _part(data, "word/document.xml")
    for ins in list(rejected.iter(W + "ins")):
        ins.getparent().remove(ins)
    for d in list(rejected.iter(W + "del")):
        for t in d.iter(W + "delText"):
            t.tag = W + "t"
        for r in list(d):
            d.addprevious(r)
        d.getparent().remove(d)
    assert ["".join(t.text or "" for t in p.iter(W + "t")) for p in rejected.iter(W + "p")] == ORIGINAL
    # one summary comment per rule, on the marks it corrects, listing every place
    texts = {c.get(W + "id"): _comment_text(c) for c in _own_comments(data)}
    ranges = _ranges(data)
    gw201 = [i for i, t in texts.items() if "GW201" in t]
    assert len(gw201) == 1 and "第7段“,”→“，”、“,”→“，”" not in texts[gw201[0]]
    assert "第7段“,”→“，”；第7段“,”→“，”" in texts[gw201[0]] and "共2处" in texts[gw201[0]]
    assert "另有2处与其他修订重合" in texts[gw201[0]]  # “(二)”: GW102's change corrects its brackets
    gw203 = next(i for i, t in texts.items() if "GW203" in t)
    assert ranges[gw203] == "" and "第7段删去“、”" in texts[gw203]  # its range is the deleted mark
    gw204 = next(i for i, t in texts.items() if "GW204" in t)
    assert ranges[gw204] == "·"


def test_the_author_is_configurable(tmp_path: Path) -> None:
    src = _draft(tmp_path / "样稿.docx")
    assert invoke("annotate", "--with", "gongwen", "--author", "区司法局", src).exit_code == 0
    data = (tmp_path / "样稿.批注.docx").read_bytes()
    assert {c.get(W + "author") for c in _part(data, "word/comments.xml").iter(W + "comment")} == {"区司法局"}
    assert {r.get(W + "author") for r in _part(data, "word/document.xml").iter(W + "ins")} == {"区司法局"}
    (tmp_path / "auditor.yaml").write_text("comment_author: 法制科\n", encoding="utf-8")
    out = tmp_path / "配置.docx"
    result = invoke("annotate", "--config", tmp_path / "auditor.yaml", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert {c.get(W + "author") for c in _part(out.read_bytes(), "word/comments.xml").iter(W + "comment")} == {"法制科"}


TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _odt_texts(content: bytes) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(paragraphs with all changes accepted, with all rejected, [(kind, author)] of each change)
    from LibreOffice's content.xml."""
    t, o = f"{{{TEXT_NS}}}", f"{{{OFFICE_NS}}}"
    root = etree.fromstring(content)
    regions: dict[str, tuple[str, Any]] = {}
    for region in root.iter(t + "changed-region"):
        kind = next(iter(region))
        regions[region.get(t + "id")] = (etree.QName(kind).localname, kind)
    changes = [(k, el.findtext(f"{o}change-info/{{{DC_NS}}}creator") or "") for k, el in regions.values()]

    def flat(elem: Any, mode: str, inside: list[str]) -> str:
        out = []
        if elem.text and not inside:
            out.append(elem.text)
        for child in elem:
            tag = etree.QName(child).localname
            if tag in ("tracked-changes", "annotation"):
                pass
            elif tag == "change-start":
                if regions.get(child.get(t + "change-id"), ("",))[0] == "insertion" and mode == "reject":
                    inside.append(child.get(t + "change-id"))
            elif tag == "change-end":
                if child.get(t + "change-id") in inside:
                    inside.remove(child.get(t + "change-id"))
            elif tag == "change":
                kind, el = regions.get(child.get(t + "change-id"), ("", None))
                if kind == "deletion" and mode == "reject" and not inside:
                    out.append("".join(p.xpath("string()") for p in el.iter(t + "p")))
            else:
                out.append(flat(child, mode, inside))
            if child.tail and not inside:
                out.append(child.tail)
        return "".join(out)

    body = root.find(f"{o}body/{o}text")
    paragraphs = [p for p in body if etree.QName(p).localname in ("p", "h")]
    return ([flat(p, "accept", []) for p in paragraphs], [flat(p, "reject", []) for p in paragraphs], changes)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (apt-get install libreoffice-writer)")
def test_libreoffice_reads_the_corrections_as_tracked_changes(tmp_path: Path) -> None:
    src = _draft(tmp_path / "样稿.docx")
    assert invoke("annotate", "--with", "gongwen", src).exit_code == 0
    out = tmp_path / "样稿.批注.docx"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                           "--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(out)],
                          capture_output=True, text=True, timeout=240, check=False)
    odt = tmp_path / "odt" / "样稿.批注.odt"
    assert done.returncode == 0 and odt.exists(), done.stderr
    with zipfile.ZipFile(odt) as z:
        accepted, rejected, changes = _odt_texts(z.read("content.xml"))
    assert accepted == CORRECTED
    assert rejected == ORIGINAL
    assert sorted(k for k, _ in changes) == ["deletion"] * 6 + ["insertion"] * 5  # each its own, one by one
    assert {a for _, a in changes} == {"合规自查"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (apt-get install libreoffice-writer)")
def test_its_comments_are_still_recognised_after_an_office_suite_saved_the_copy(tmp_path: Path) -> None:
    src = tmp_path / "草稿.docx"
    shutil.copy(FORMATS / "002.docx", src)
    assert invoke("annotate", src).exit_code == 1
    first = tmp_path / "草稿.批注.docx"
    n = len(_own_comments(first.read_bytes()))
    saved = tmp_path / "saved"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                           "docx:MS Word 2007 XML", "--outdir", str(saved), str(first)],
                          capture_output=True, text=True, timeout=240, check=False)
    resaved = saved / "草稿.批注.docx"
    assert done.returncode == 0 and resaved.exists(), done.stderr
    assert not is_own_output(str(resaved))  # saved by another program: the drafter's now
    assert invoke("annotate", resaved).exit_code == 1
    again = (saved / "草稿.批注2.docx").read_bytes()
    assert len(_own_comments(again)) == n
    assert len(list(_part(again, "word/comments.xml").iter(W + "comment"))) == n  # nothing left of the first round
