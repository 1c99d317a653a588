from __future__ import annotations

from auditor.models import replace
import re
from html.parser import HTMLParser
from typing import Any

from auditor.models import Evidence, Scorecard, Status

from .conftest import EMPTY_PATH, SEED_PATHS, WAIVER_REASON, render, summary


def failing_first(cards: list[Scorecard]) -> list[Scorecard]:
    return sorted(cards, key=lambda c: {"fail": 0, "error": 1}.get(c.verdict, 2))


class Page(HTMLParser):
    """Elements (tag, attributes, text inside) and the page's visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "input", "link", "img"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not self._in or self._in[-1] not in ("style", "title"):
            self.text.append(data)

    def all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def visible(self) -> str:
        return "".join(self.text)


def test_summary_matrix(cards: list[Scorecard], ctx: Any, packs: Any) -> None:
    html = render("html", cards, ctx)
    page = Page(html)
    text = page.visible
    assert summary(cards) in text
    for path in [*SEED_PATHS, EMPTY_PATH]:
        assert path in text
    rows = [a for a in page.all("tr") if a.get("data-verdict")]
    shown = failing_first(cards)  # the reports that need work first, then the unreadable, then the passed
    assert [r["data-verdict"] for r in rows] == [c.verdict for c in shown]
    assert [r["data-verdict"] for r in rows] == ["fail", "fail", "error", "pass"]
    assert rows[0]["data-problems"] == " ".join(r.rule for r in shown[0].results
                                                if r.status in (Status.FAIL, Status.WARN))
    assert "AR103" in " ".join(r["data-problems"] or "" for r in rows).split()
    heads = [a for a in page.all("th") if a.get("data-rule")]
    assert [a["data-rule"] for a in heads] == [r.id for r in packs["annual"].rules]
    # short Chinese column heads; the id and full title only in the tooltip
    assert re.findall(r'<th class="rule" data-rule="AR10[1-5]"[^>]*>([^<]+)</th>', html) == ["一", "二", "三", "四", "五"]
    assert heads[0]["title"] == f"{packs['annual'].rules[0].title}（AR001）"
    assert "列名说明" in text and "顺序五个部分按规定顺序排列" in text.replace("\n", "")
    marks = re.findall(r'<td class="m-(\w+)" data-rule="AR105"', html)
    ar105 = [next(r.status.value for r in c.results if r.rule == "AR105") for c in shown if c.verdict != "error"]
    assert marks == ar105 and ar105[:2] == ["fail", "fail"]
    passed = ar105.count("pass")
    assert "通过率" in text and f'<td data-rule="AR105" title="{passed} / 3">{round(100 * passed / 3)}%</td>' in html
    assert "✔ 通过" in text and "⚠ 警告" in text and "✘ 不合格" in text and "– 不适用" in text


def test_cards_with_evidence_hint_and_reference(cards: list[Scorecard], ctx: Any) -> None:
    page = Page(render("html", cards, ctx))
    articles = page.all("article")
    assert [a["data-verdict"] for a in articles] == [c.verdict for c in failing_first(cards)]
    text = page.visible
    assert "第29行（三）创新普法宣传新形式" in text
    assert "修改建议：在正文最后一部分之后另起一行写发文单位全称" in text
    assert "依据：《党政机关公文处理工作条例》第九条" in text
    assert "发文单位：沙坪坝区人民政府小龙坎街道办事处" in text and "报告年度：2023年" in text
    assert "无法检查：文件为空" in text
    n_pass = sum(r.status is Status.PASS for r in cards[2].results)
    n_skip = sum(r.status is Status.SKIP for r in cards[2].results)
    assert f"通过 {n_pass} 项、不适用 {n_skip} 项" in text
    assert "不合格" in text and "合格" in text


def test_filters_and_self_contained(cards: list[Scorecard], ctx: Any) -> None:
    html = render("html", cards, ctx)
    page = Page(html)
    verdicts = [a.get("value") for t, a in page.elements if t == "option"][:4]
    assert verdicts == ["", "pass", "fail", "error"]
    assert len(page.all("select")) == 2 and page.all("select", id="f-rule")
    assert len(page.all("script")) == 1 and not any("src" in a for a in page.all("script"))
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    for _tag, attrs in page.elements:
        for key in ("src", "href", "action"):
            value = attrs.get(key) or ""
            assert value == "" or value.startswith("#"), (key, value)
    assert "http:" not in html and "https:" not in html and "//" not in html.replace("://", "")
    csp = page.all("meta", **{"http-equiv": "Content-Security-Policy"})
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert "location.hash" in "".join(page.scripts) and "verdict" in "".join(page.scripts)


def test_everything_is_escaped(cards: list[Scorecard]) -> None:
    card = cards[2]
    evil = "<script>alert(1)</script>&amp;\"'"
    results = tuple(replace(r, rule="AR<1>" if r.rule == "AR301" else r.rule, message=evil,
                                        evidence=(Evidence(2, evil, where=evil),), hint=evil, reference=evil)
                    if r.status is Status.FAIL else r for r in card.results)
    html = render("html", [replace(card, path=evil, body=evil, results=results)])
    assert html.count("<script") == 1 and "alert(1)</script>" not in html
    page = Page(html)
    assert evil in page.visible  # shown literally, as text
    assert page.all("article")[0]["data-path"] == evil


def test_waived(waived_cards: list[Scorecard], ctx: Any) -> None:
    page = Page(render("html", waived_cards, ctx))
    ar105 = next(r for c in waived_cards for r in c.results if r.rule == "AR105")
    assert f"≈ 豁免{ar105.title}" in page.visible.replace("\n", "")
    assert 'title="AR105"' in render("html", waived_cards, ctx)  # the id only in a tooltip
    assert WAIVER_REASON in page.visible


def test_shared_folder_said_once_and_file_names_stick(cards: list[Scorecard], ctx: Any) -> None:
    moved = [replace(c, path="/srv/报送/2024/区县/" + c.path.rsplit("/", 1)[-1]) for c in cards]
    html = render("html", moved, ctx)
    assert "文件均在“/srv/报送/2024/区县/”下" in html
    cells = re.findall(r'<td class="path" title="([^"]+)"><a href="#r\d+">([^<]+)</a>', html)
    assert len(cells) == len(cards)
    assert all(full == "/srv/报送/2024/区县/" + shown for full, shown in cells)
    assert re.search(r"\.matrix td\.path,\.matrix th\.path\{position:sticky;left:0", html)
