"""The .txt/.md loader: lines kept as in the file, Markdown headings marked."""

from __future__ import annotations

from pathlib import Path

from auditor.loaders import load


def test_txt_keeps_blank_lines_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("标题\r\n\r\n正文第一段。\r\n".encode("gb18030"))
    raw = load(str(path))
    assert (raw.fmt, raw.encoding) == ("txt", "gb18030")
    assert [ln.text for ln in raw.lines] == ["标题", "", "正文第一段。"]


def test_markdown_headings(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# 2023年法治政府建设情况报告\n\n## 一、主要举措\n正文。\n", encoding="utf-8")
    raw = load(str(path))
    assert raw.fmt == "md"
    assert [(ln.text, ln.style) for ln in raw.lines if ln.text] == [
        ("# 2023年法治政府建设情况报告", "md1"), ("## 一、主要举措", "md2"), ("正文。", None)]


def test_seed_text_fixtures_load() -> None:
    root = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
    for path in sorted(root.glob("*.txt")):
        assert load(str(path)).lines
