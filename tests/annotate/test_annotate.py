"""`auditor annotate`: a new .docx with a comment at each finding, everything else as it was.

Read back with the project's own .docx reader and by comparing the parts of the zip; LibreOffice
(`soffice --headless --convert-to pdf`) must accept the file where it is installed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any, Mapping

import pytest
from lxml import etree

from auditor.annotate import AnnotateError, annotate_file, default_output
from auditor.annotate.word import AUTHOR
from auditor.loaders.docx import extract
from auditor.run.engine import AuditOptions

from conftest import FIXTURES, invoke

FORMATS = FIXTURES / "formats"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADDED = {"word/comments.xml", "docProps/custom.xml"}  # parts annotate adds (custom.xml: its own-output stamp)
BOOKKEEPING = {"[Content_Types].xml", "word/_rels/document.xml.rels", "word/document.xml", "word/comments.xml",
               "_rels/.rels", "docProps/custom.xml"}


def _annotated(path: Path, packs: Mapping[str, Any]) -> tuple[bytes, Any]:
    done = annotate_file(str(path), packs, AuditOptions())
    return done.data, done


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def _without_comments(xml: bytes, ids: set[str]) -> bytes:
    """document.xml without the marks of the comments `ids`."""
    root = etree.fromstring(xml)
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in list(root.iter(W + tag)):
            if el.get(W + "id") in ids:
                el.getparent().remove(el)
    for ref in list(root.iter(W + "commentReference")):
        if ref.get(W + "id") in ids:
            run = ref.getparent()
            run.getparent().remove(run)
    _merge_runs(root)
    return etree.tostring(root, method="c14n")


def _merge_runs(root: Any) -> None:
    """Adjacent runs of the same properties holding only text, joined: a comment's range splits
    a run at the ends of the phrase it marks, which changes no text and no formatting."""
    for parent in list(root.iter()):
        prev = None
        for child in list(parent):
            plain = child.tag == W + "r" and all(c.tag in (W + "rPr", W + "t") for c in child)
            if plain and prev is not None:
                a, b = prev.find(W + "rPr"), child.find(W + "rPr")
                same = (a is None and b is None) or (a is not None and b is not None and _canonical(
                    etree.tostring(a)) == _canonical(etree.tostring(b)))
                if same:
                    ta, tb = prev.find(W + "t"), child.find(W + "t")
                    if ta is None:
                        prev.append(tb)
                    elif tb is not None:
                        ta.text = (ta.text or "") + (tb.text or "")
                    parent.remove(child)
                    continue
            prev = child if plain else None
    for t in root.iter(W + "t"):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)


def _comments(data: bytes) -> dict[str, str]:
    """comment id → its text, for the comments auditor wrote."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/comments.xml"))
    out = {}
    for c in root.iter(W + "comment"):
        if c.get(W + "author") == AUTHOR:
            out[c.get(W + "id")] = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p"))
    return out


def _anchored(data: bytes) -> dict[str, str]:
    """comment id → the text of the paragraph it is anchored on."""
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = {}
    for p in root.iter(W + "p"):
        for start in p.iter(W + "commentRangeStart"):
            assert any(e.get(W + "id") == start.get(W + "id") for e in p.iter(W + "commentRangeEnd"))
            out[start.get(W + "id")] = "".join(t.text or "" for t in p.iter(W + "t"))
    return out


@pytest.mark.parametrize("name", ["002.docx", "002_revs.docx", "002_table.docx", "002_hf.docx", "002_autonum.docx"])
def test_docx_gets_comments_and_keeps_everything_else(name: str, packs: Mapping[str, Any], tmp_path: Path) -> None:
    src = tmp_path / name
    shutil.copy(FORMATS / name, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    data, done = _annotated(src, packs)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # the input is only read

    # the body text, read back with the project's own reader, is unchanged
    assert extract(data, path="x").lines == extract(src.read_bytes(), path="x").lines

    comments, anchored = _comments(data), _anchored(data)
    # verdict + AR101 + AR103 + AR105 + AR201 + AR207 + AR208 + AR209 (one comment each, AR101 naming
    # its two places, AR207 the three shortcomings the plan leaves open, AR208 its three part-year
    # phrases, AR209 its figures and the signature)
    assert done.comments == len(comments) == 8
    assert set(anchored) >= set(comments)
    verdict = next(i for i, t in comments.items() if t.startswith("自查结论"))
    assert "不合格" in comments[verdict] and "得分 77.4 / 100" in comments[verdict]
    ar208 = [i for i, t in comments.items() if "AR208" in t]
    assert len(ar208) == 1 and "2023年至今,我镇司法所共排查矛盾纠纷205件" in comments[ar208[0]]
    assert comments[ar208[0]].count("另见：") == 1
    assert "周家店镇2023年度法治政府建设工作报告" in anchored[verdict]  # on the title
    ar103 = next(i for i, t in comments.items() if "AR103" in t)
    assert "修改建议：" in comments[ar103] and "依据：" in comments[ar103]
    assert "第一责任人职责" in anchored[ar103]  # on the paragraph that only mentions it
    ar207 = [i for i, t in comments.items() if "AR207" in t]
    assert len(ar207) == 1 and "依法行政意识还不够强" in anchored[ar207[0]]  # on the first shortcoming,
    assert comments[ar207[0]].count("另见：") == 1  # naming the others (法治机构不健全 …)
    assert len(comments[ar207[0]].split("另见：")[1].split("\n")[0].split("、")) == 2
    ar105 = next(i for i, t in comments.items() if "AR105" in t)
    assert "此处之后应补充" in comments[ar105]  # missing part 五: after the last part before it

    with zipfile.ZipFile(src) as old, zipfile.ZipFile(__import__("io").BytesIO(data)) as new:
        old_names, new_names = set(old.namelist()), set(new.namelist())
        assert new_names - old_names <= ADDED
        for part in sorted(old_names - BOOKKEEPING):  # headers, footers, numbering, styles …
            a, b = old.read(part), new.read(part)
            if part.endswith((".xml", ".rels")) and a.lstrip().startswith(b"<"):
                assert _canonical(a) == _canonical(b), part
            else:
                assert a == b, part
        # the body differs only by the comment marks: tracked changes, tables, numbering intact
        old_body = etree.fromstring(old.read("word/document.xml"))
        _merge_runs(old_body)
        assert _without_comments(new.read("word/document.xml"), set(comments)) == etree.tostring(old_body, method="c14n")


def test_tracked_changes_and_existing_comments_survive(packs: Mapping[str, Any], tmp_path: Path) -> None:
    data, _ = _annotated(FORMATS / "002_revs.docx", packs)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
        comments = z.read("word/comments.xml").decode("utf-8")
    original = zipfile.ZipFile(FORMATS / "002_revs.docx").read("word/document.xml").decode("utf-8")
    assert body.count("<w:ins ") == original.count("<w:ins ") > 0
    assert body.count("<w:del ") == original.count("<w:del ") > 0
    assert 'w:author="审核人"' in comments  # the reviewer's own comment is still there


@pytest.mark.parametrize("name", ["002.pdf", "002.html", "002.doc"])
def test_other_formats_become_a_docx_of_their_text(name: str, packs: Mapping[str, Any]) -> None:
    if name.endswith(".doc") and shutil.which("antiword") is None:
        pytest.skip("antiword not installed (apt-get install antiword)")
    from auditor.loaders import load

    data, done = _annotated(FORMATS / name, packs)
    lines = [ln.text.strip() for ln in load(str(FORMATS / name)).lines if ln.text.strip()]
    assert [ln.text for ln in extract(data, path="x").lines] == lines
    comments = _comments(data)
    assert any("AR103" in t for t in comments.values()) and done.card.verdict == "fail"


def test_text_input_missing_signature_goes_at_the_end(packs: Mapping[str, Any]) -> None:
    data, done = _annotated(FIXTURES / "reports" / "no_signature.txt", packs)
    comments, anchored = _comments(data), _anchored(data)
    ar301 = next(i for i, t in comments.items() if "AR301" in t)
    assert "此处之后应补充" in comments[ar301]
    # the problem as 问题, and after the promise what to add (the hint), not the problem again
    rule = next(r for r in done.card.results if r.rule == "AR301")
    assert f"问题：{rule.message}" in comments[ar301]
    assert f"此处之后应补充：{rule.hint}" in comments[ar301] and rule.message not in comments[ar301].split("此处之后应补充：")[1]
    last = [ln.text for ln in extract(data, path="x").lines][-1]
    assert anchored[ar301] == last


def test_unreadable_or_unknown_documents_are_refused_with_the_reason(packs: Mapping[str, Any], tmp_path: Path) -> None:
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    with pytest.raises(AnnotateError, match="文件为空"):
        annotate_file(str(empty), packs, AuditOptions())
    with pytest.raises(AnnotateError, match="这是通知"):  # refused, saying what it is
        annotate_file(str(FIXTURES / "duty" / "notice.txt"), packs, AuditOptions())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (apt-get install libreoffice-writer)")
def test_libreoffice_opens_the_result(packs: Mapping[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "批注.docx"
    out.write_bytes(_annotated(FORMATS / "002_revs.docx", packs)[0])
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "批注.pdf"
    assert done.returncode == 0 and pdf.exists() and pdf.stat().st_size > 1000, done.stderr


def test_cli_writes_beside_the_input_and_exits_by_verdict(tmp_path: Path) -> None:
    src = tmp_path / "草稿.docx"
    shutil.copy(FORMATS / "002.docx", src)
    result = invoke("annotate", src)
    assert result.exit_code == 1, result.output
    out = Path(default_output(str(src)))
    assert out == tmp_path / "草稿.批注.docx" and out.exists()
    assert re.search(r"已写入 .*草稿\.批注\.docx：8 条批注；结论：不合格，得分 77\.4(?!\d)", result.output)

    good = invoke("annotate", FIXTURES / "reports" / "compliant.txt", "-o", tmp_path / "ok.docx")
    assert good.exit_code == 0 and (tmp_path / "ok.docx").exists()

    same = invoke("annotate", src, "-o", src)
    assert same.exit_code == 2 and "never writes to the documents it reads" in same.output

    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    refused = invoke("annotate", bad)
    assert refused.exit_code == 2 and "不是有效的 .docx 文件" in refused.output
    assert not (tmp_path / "坏.批注.docx").exists()


def test_addon_findings_are_commented_too(tmp_path: Path) -> None:
    src = tmp_path / "术语.docx"
    shutil.copy(FIXTURES / "gongwen" / "dev_terms.docx", src)
    result = invoke("annotate", "--with", "gongwen", src)
    assert result.exit_code == 0, result.output
    comments = _comments((tmp_path / "术语.批注.docx").read_bytes())
    gw = next(t for t in comments.values() if "GW301" in t)
    assert "习近平法治思想" in gw and "第3段" in gw  # located as Word shows it
    assert invoke("annotate", "--with", "nonsense", src).exit_code == 2


def test_annotate_takes_its_settings_as_check_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One front door (auditor.run.settings): an add-on pack is no report type for annotate either,
    the config's `ocr` holds, and the .docx appears whole or not at all."""
    src = FIXTURES / "reports" / "compliant.txt"
    out = tmp_path / "out.docx"
    for command in ("check", "annotate"):
        refused = invoke(command, "--pack", "gongwen", src, *(["-o", out] if command == "annotate" else []))
        assert refused.exit_code == 2 and "'gongwen' is an add-on pack: use --with gongwen" in refused.output
        bad = invoke(command, "--deadline", "4-1", src)
        assert bad.exit_code == 2 and "expected MM-DD" in bad.output
    assert not out.exists()

    from auditor.annotate import Annotated
    from auditor.run import settings

    seen: list[Any] = []

    def capture(path: str, packs: Any, options: Any, **kw: Any) -> Annotated:
        seen.append(options)
        raise AnnotateError("stop here")

    monkeypatch.setattr("auditor.annotate.annotate_isolated", capture)
    (tmp_path / "auditor.yaml").write_text("ocr: true\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("annotate", src, "-o", out).exit_code == 2
    assert seen and seen[0].ocr is True and settings.is_mmdd("04-01")
    assert not out.exists() and not list(tmp_path.glob(".out.docx.*"))


def test_an_unusable_rule_file_names_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "auditor.yaml").write_text("rule_files: [/dev/zero]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("check", FIXTURES / "reports" / "compliant.txt")
    assert result.exit_code == 2
    assert f"{tmp_path / 'auditor.yaml'}: key 'rule_files.0': /dev/zero: refused: not a regular file" in result.output


def test_annotate_knows_no_check_kind_by_name() -> None:
    """Where a finding without evidence is marked is declared by each kind (its contract's
    placement, marks_gap, part_named, part_order), not decided by kind names in annotate/."""
    import ast

    from auditor import checks

    root = Path(checks.__file__).parent.parent / "annotate"
    named = {node.value for path in root.glob("*.py") for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    assert not named & (set(checks.CHECK_KINDS) - {"title"})  # "title" is also a paragraph style (word.py)
    assert checks.get("signature").marks_gap and checks.get("date_window").placement.value == "end"
    assert checks.get("part_present").placement.value == "order" and checks.get("docx_layout").needs_layout
