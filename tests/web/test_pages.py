"""The page's words and the server-rendered pages, through the test client: 本机 / 本服务器, no
command-line options in web answers, the no-script result page, the batch's .zip of annotated
copies, the roster upload, and the script's old-browser discipline."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("fastapi", reason="the web extra is part of the install: pip install .")
from fastapi.testclient import TestClient

from auditor.web import pages
from auditor.web.service import STATIC, Settings, create_app

from conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"  # copies of ../shared/seeds: the tests need nothing beside the repository
DOCX = FIXTURES / "formats" / "002.docx"
GOOD = FIXTURES / "reports" / "compliant.txt"
NOTICE = FIXTURES / "duty" / "notice.txt"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=2))) as c:
        yield c


def test_the_page_says_where_files_go_truthfully(client: TestClient) -> None:
    local = client.get("/", headers={"host": "127.0.0.1:8000"}).text
    served = client.get("/", headers={"host": "10.2.3.4:8000"}).text
    named = client.get("/", headers={"host": "auditor.sfj.example:8000"}).text
    assert "文件只在本机服务中临时处理" in local
    for html in (served, named):
        assert "文件只在本服务器中临时处理" in html and "本机" not in html
    # relative addresses only (the page works under a sub-path), no English API page for drafters
    assert 'href="static/app.css"' in local and 'src="static/app.js"' in local
    assert not re.search(r'(href|src|action)="/', local)
    assert 'href="docs"' not in local and "HTTP 接口" not in local


def test_form_posts_multipart_and_noscript_says_what_happens(client: TestClient) -> None:
    html = client.get("/").text
    form = re.search(r"<form [^>]*>", html)
    assert form is not None
    assert 'method="post"' in form.group(0) and 'action="result"' in form.group(0)
    assert 'enctype="multipart/form-data"' in form.group(0)
    assert re.search(r"<noscript>.*服务器会直接生成完整的检查结果页面.*</noscript>", html, re.S)
    for field in ("file", "text", "pack", "deadline", "roster"):
        assert f'name="{field}"' in html


def test_no_script_post_answers_with_a_whole_result_page(client: TestClient) -> None:
    # what a browser sends when no file is chosen: an empty file part beside the text
    res = client.post("/result", files=[("file", ("", b"", "application/octet-stream"))],
                      data={"text": GOOD.read_text(encoding="utf-8"), "pack": "auto", "deadline": "04-01"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert res.text.startswith("<!DOCTYPE html>") and '<a href="./">' in res.text
    assert "合格" in res.text and "报告类型：自动识别" in res.text
    res = client.post("/result", files=[("file", (DOCX.name, DOCX.read_bytes()))], data={"pack": "auto"})
    assert "不合格" in res.text and "处必须修改" in res.text and "修改建议" in res.text
    refused = client.post("/result", data={"pack": "auto"})
    assert refused.status_code == 400 and "请选择要检查的文件" in refused.text and "<html" in refused.text


def test_refusals_point_at_the_page_not_at_the_command_line(client: TestClient) -> None:
    view = client.post("/api/view", files=[("file", (NOTICE.name, NOTICE.read_bytes()))]).json()
    error = view["report"]["reports"][0]["error"]
    assert "这是通知" in error and "可在上方‘报告类型’中手动选择" in error and "--" not in error
    page = client.post("/result", files=[("file", (NOTICE.name, NOTICE.read_bytes()))]).text
    assert "可在上方‘报告类型’中手动选择" in page and "--pack" not in page
    # the JSON contract keeps the CLI's own words (scripts compare it with `auditor check`)
    contract = client.post("/api/check", files=[("file", (NOTICE.name, NOTICE.read_bytes()))]).json()
    assert "--pack" in contract["reports"][0]["error"]


@pytest.mark.parametrize("reason, shown", [
    ("文件过大（60.0 MB，上限 50 MB，可用 --max-size 调整）", "文件过大（60.0 MB，上限 50 MB）"),
    ("处理超时（超过 60 秒），已跳过，可用 --timeout 放宽时限（0 为不限）", "处理超时（超过 60 秒），已跳过"),
    ("未识别为法治政府建设年度报告或第一责任人职责履行情况报告，可用 --pack 指定",
     "未识别为法治政府建设年度报告或第一责任人职责履行情况报告；如确为报告，可在上方‘报告类型’中手动选择"),
])
def test_plain_words(reason: str, shown: str) -> None:
    assert pages.plain(reason) == shown


def test_annotated_zip_has_one_copy_per_file(client: TestClient) -> None:
    res = client.post("/api/annotate-batch", files=[
        ("file", ("区县/a/002.docx", DOCX.read_bytes())), ("file", ("区县/b/002.docx", DOCX.read_bytes())),
        ("file", (GOOD.name, GOOD.read_bytes())), ("file", (NOTICE.name, NOTICE.read_bytes()))])
    assert res.status_code == 200 and res.headers["content-type"] == "application/zip"
    assert "filename*=UTF-8''%E5%85%A8%E9%83%A8" in res.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(res.content)) as z:
        names = sorted(z.namelist())
        assert len(names) == 4, names
        docs = [n for n in names if n.endswith(".批注.docx")]
        assert len(docs) == 3 and len(set(docs)) == 3  # same name in two folders: both kept
        for name in docs:
            assert "word/comments.xml" in zipfile.ZipFile(io.BytesIO(z.read(name))).namelist()
        refused = z.read("无法批注的文件.txt").decode("utf-8")
        assert "notice.txt" in refused and "这是通知" in refused and "--pack" not in refused


def test_roster_on_the_page_matches_real_bodies(client: TestClient) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 3
    roster = "龙门浩街道\n周家店镇\n小龙坎街道\n石桥铺街道\n".encode("utf-8")
    files = [("file", (p.name, p.read_bytes())) for p in seeds]
    files += [("file", ("copy_" + seeds[2].name, seeds[2].read_bytes())), ("file", (GOOD.name, GOOD.read_bytes()))]
    view = client.post("/api/view", files=[*files, ("roster", ("bodies.txt", roster))]).json()
    got = view["roster"]
    assert got["missing"] == ["石桥铺街道"] and got["names"] == 4
    assert [d["name"] for d in got["duplicates"]] == ["小龙坎街道"]
    assert [u["path"] for u in got["unlisted"]] == [GOOD.name]
    xlsx = client.post("/api/report", data={"format": "xlsx"}, files=[*files, ("roster", ("bodies.txt", roster))])
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[0] == "报送情况"
    first = [c.value for c in next(wb["报送情况"].iter_rows(min_row=2, max_row=2))]
    assert first[:2] == ["石桥铺街道", "未报送"]
    bad = client.post("/api/view", files=[*files[:1], ("roster", ("bodies.txt", b"\n\n"))])
    assert bad.status_code == 400 and "名单中没有单位名称" in bad.json()["detail"]


def test_script_uses_no_api_newer_than_the_office_browsers() -> None:
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", js)  # the header comment names what is avoided
    for newer in ("?.", "??", "replaceChildren", ".at(", "replaceAll", "fromEntries", "allSettled",
                  "toggleAttribute", "structuredClone", "hasOwn(", "flatMap", ".flat("):
        assert newer not in code, newer
    assert "window.onerror" in code
