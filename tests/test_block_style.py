"""docs/block_style.py: pack files rewritten in block style, data and comments kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, load_script


def _flow_nodes(text: str) -> list[int]:
    """The lines where a flow collection ({…} or […]) starts."""
    out = []

    def walk(node: Any) -> None:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if node.flow_style:
                out.append(node.start_mark.line + 1)
            for item in node.value:
                for sub in item if isinstance(item, tuple) else (item,):
                    walk(sub)

    walk(yaml.compose(text, Loader=yaml.SafeLoader))
    return out


SMALL = """# 省级补充规则
pack: custom   # 包的标识
rules:
  - id: SC101
    params: {patterns: ["原因：", 根源], found_label: 原因分析}   # 原因分析
    reference: {document: 《规定》, text: "不足和原因 # 不是注释"}
    examples:
      pass: ["一、存在的不足\\n原因：培训不足。"]
"""


def test_a_small_pack_becomes_block_style_with_its_comments() -> None:
    script = load_script("docs/block_style.py")
    new = script.convert(SMALL)
    assert yaml.safe_load(new) == yaml.safe_load(SMALL) and _flow_nodes(new) == []
    for comment in ("# 省级补充规则", "# 包的标识", "# 原因分析"):
        assert comment in new
    assert '"原因："' in new and '"不足和原因 # 不是注释"' in new  # quoting kept
    # one item a line; the comment of the flow line stays on its first line (the key's)
    assert re.search(r"\n  - id: SC101\n    params: +# 原因分析\n      patterns:\n        - \"原因：\"\n        - 根源\n", new)
    assert script.convert(new) == new  # once in block style, it stays as it is


@pytest.mark.parametrize("name", ["annual-report.yaml", "duty-report.yaml", "gongwen.yaml"])
def test_each_shipped_pack_converts_to_the_same_rules(name: str, tmp_path: Path) -> None:
    """Converted, a shipped pack holds the same data, every comment, no flow collection, and still
    loads as the same pack (its examples are run by the suite from the data, which is equal)."""
    from auditor.packs.ruleset import load_pack

    script = load_script("docs/block_style.py")
    text = (ROOT / "rules" / name).read_text(encoding="utf-8")
    # the shipped packs are already in block style: converting them again changes nothing
    new = script.convert(text)
    assert yaml.safe_load(new) == yaml.safe_load(text) and _flow_nodes(new) == [] and new == text
    assert script._comments(new) == script._comments(text)
    for sub in ("data", "examples"):  # files the pack names, next to it
        if (ROOT / "rules" / sub).exists():
            shutil.copytree(ROOT / "rules" / sub, tmp_path / sub)
    (tmp_path / name).write_text(new, encoding="utf-8")
    before, after = load_pack(ROOT / "rules" / name), load_pack(tmp_path / name)
    assert [(r.id, r.lazy_params.raw, r.examples.keys()) for r in before.rules] == \
        [(r.id, r.lazy_params.raw, r.examples.keys()) for r in after.rules]


def test_the_command_checks_then_rewrites(tmp_path: Path, capsys: Any) -> None:
    script = load_script("docs/block_style.py")
    pack = tmp_path / "p.yaml"
    pack.write_text(SMALL, encoding="utf-8")
    assert script.main(["--check", str(pack)]) == 1 and pack.read_text(encoding="utf-8") == SMALL
    assert script.main([str(pack)]) == 0 and _flow_nodes(pack.read_text(encoding="utf-8")) == []
    assert script.main(["--check", str(pack)]) == 0
    assert "already in block style" in capsys.readouterr().out


def test_a_conversion_that_would_lose_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    script = load_script("docs/block_style.py")
    real = script._comments
    calls = iter([["# a", "# b"], ["# a"]])  # before, after
    monkeypatch.setattr(script, "_comments", lambda text: next(calls, real(text)))
    with pytest.raises(ValueError, match="comments would be lost"):
        script.convert(SMALL)


SHIPPED_PACKS = ["annual-report.yaml", "duty-report.yaml", "gongwen.yaml", "kinds/not-reports.yaml",
                 "batch/cross-report.yaml"]


@pytest.mark.parametrize("name", SHIPPED_PACKS)
def test_the_shipped_packs_are_in_block_style(name: str) -> None:
    # an official edits one key or one item a line; a flow line ({…} or […]) is a programmer's
    assert load_script("docs/block_style.py").main(["--check", str(ROOT / "rules" / name)]) == 0


@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_the_shipped_rule_files_are_commented_in_chinese(path: Path) -> None:
    # the comments are for a 司法局 official: an English sentence (three words in a row) is a slip
    comments = load_script("docs/block_style.py")._comments(path.read_text(encoding="utf-8"))
    english = [c for c in comments if re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", c)
               and not re.search(r"[\u4e00-\u9fff]", c)]
    assert english == []
