"""What the web page says, in the drafter's words, and the pages the server renders itself.

- `plain()`: the engine's reasons speak to a command-line user (“可用 --pack 指定”); on the page
  the same reason points at the page's own controls, and options the drafter cannot set are not
  mentioned.
- `index()`: the self-check page, saying 本机 when it is opened on this machine and 本服务器
  when it is served to others (a 司法局 serving its offices).
- `result_page()`: the complete result page the server answers to the form's POST when the
  browser runs no script (or an old one failed): the HTML report, with a link back.
- `annotated_zip()`: one annotated copy per file, for the batch view's 全部批注文档（.zip）.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from auditor.models import Scorecard, replace

STATIC = Path(__file__).parent / "static"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

#: command-line advice in the engine's reasons → what the page offers instead ("" drops it)
_CLI_ADVICE = (
    (re.compile(r"[，,；;]?\s*(如确为报告，|如有误，?)?可用 --pack 指定(报告类型)?"), "；如确为报告，可在上方‘报告类型’中手动选择"),
    (re.compile(r"[（(]可用 --(max-size|timeout|max-memory) (调整|放宽时限)(（0 为不限）)?[）)]"), ""),
    (re.compile(r"[，,；;]?\s*可用 --(max-size|timeout|max-memory) (调整|放宽时限)(（0 为不限）)?"), ""),
    (re.compile(r"[，,；;]\s*OCR 每页需数秒"), ""),
)


def plain(text: str | None) -> str | None:
    """A reason as the page shows it: no command-line options."""
    if not text:
        return text
    for pattern, instead in _CLI_ADVICE:
        text = pattern.sub(instead, text)
    return text.replace("；；", "；").strip("；")


def plain_card(card: Scorecard) -> Scorecard:
    """The card with its reason in the page's words (the JSON contract of /api/check keeps the
    CLI's text: scripts compare it with `auditor check`)."""
    error = plain(card.error)
    return card if error == card.error else replace(card, error=error)


def is_local(host: str | None) -> bool:
    return (host or "").lower() in LOOPBACK


def index(host: str | None) -> str:
    """The page; where the files are processed said truthfully for whoever opened it."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    if not is_local(host):
        html = html.replace("本机服务", "本服务器")
    return html


_BACK = ('<p style="margin:0 0 1rem"><a href="./">← 返回检查页面，检查其他报告</a>　'
         '<span style="color:#57606a">（本页由服务器生成，无需浏览器脚本）</span></p>')


def result_page(cards: Sequence[Scorecard], packs: Mapping[str, Any], *, roster: Any = None,
                options: Mapping[str, object] | None = None, skipped: Iterable[str] = ()) -> str:
    """The HTML report of the cards, as a page of this site: a link back to the form first."""
    from auditor import reporters
    from auditor.reporters import html_report

    ctx = reporters.ReportContext(packs=packs, color=False, options=dict(options or {}), roster=roster)
    html = html_report.render([plain_card(c) for c in cards], ctx)
    skipped = list(skipped)
    note = (f'<p class="sub">压缩包中以下文件不是可检查的格式，已跳过：{escape("、".join(skipped))}</p>'
            if skipped else "")
    return html.replace("<body>", "<body>" + _BACK + note, 1)


def error_page(message: str) -> str:
    """A refused no-script request: the reason, in a page, with the way back."""
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>无法检查</title></head>'
            '<body style="font:15px/1.6 sans-serif;margin:1rem">'
            f'<h1 style="font-size:1.3rem">无法检查</h1><p style="color:#cf222e;font-weight:bold">{escape(message)}</p>'
            f"{_BACK}</body></html>")


def _stem(path: str) -> str:
    name = re.split(r"[\\/]", path)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name or "报告"


def annotated_zip(results: Sequence[tuple[Scorecard, bytes | None]]) -> bytes:
    """One `X.批注.docx` per file that could be annotated (folders kept, names never clash),
    and 无法批注的文件.txt listing the others with the reason."""
    buf = io.BytesIO()
    used: set[str] = set()
    refused: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for card, data in results:
            if data is None:
                refused.append(f"{card.path}：{plain(card.error) or '无法批注'}")
                continue
            folder = card.path.replace("\\", "/").rsplit("/", 1)[0] + "/" if "/" in card.path.replace("\\", "/") else ""
            folder = "/".join(p for p in folder.split("/") if p not in ("", ".", ".."))
            base = (folder + "/" if folder else "") + _stem(card.path) + ".批注"
            name, n = base + ".docx", 1
            while name in used:
                n += 1
                name = f"{base}（{n}）.docx"
            used.add(name)
            z.writestr(name, data)
        if refused:
            z.writestr("无法批注的文件.txt", "\r\n".join(refused) + "\r\n")
    return buf.getvalue()
