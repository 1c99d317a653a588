"""Rewrite rule pack files in block style, keeping every comment.

    python docs/block_style.py rules/annual-report.yaml [more.yaml …]
    python docs/block_style.py --check rules/*.yaml    # exit 1 when a file is not in block style

Flow collections (`params: {patterns: [原因, 根源], found_label: 原因分析}`) become one key or one
item a line, which an official can read, comment and edit line by line. Scalars keep their
quoting, comments stay where they were (ruamel.yaml's round trip). A file is written only when
its data is unchanged (compared after loading both with PyYAML, as the packs are read) and no
comment was lost; otherwise it is left as it is and the script says why.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from typing import Any


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # long Chinese sentences stay on their line, not folded at a space
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _block(node: Any) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        for value in node.values():
            _block(value)
    elif isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for value in node:
            _block(value)


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')


def _comments(text: str) -> list[str]:
    """The comments of a YAML text, each stripped: a line's `#` at its start or after a space,
    outside quoted scalars (what a pack file holds; block scalars with a ` #` would count too)."""
    out = []
    for line in text.splitlines():
        bare = _QUOTED.sub('""', line)
        at = 0 if bare.lstrip().startswith("#") else bare.find(" #")
        if at >= 0:
            out.append(bare[at:].strip())
    return out


def convert(text: str) -> str:
    """`text` (a pack file) in block style; ValueError when that would change its data or lose a comment."""
    import yaml

    y = _yaml()
    data = y.load(text)
    _block(data)
    out = io.StringIO()
    y.dump(data, out)
    new = out.getvalue()
    if yaml.safe_load(new) != yaml.safe_load(text):
        raise ValueError("the block-style text would hold other data")
    lost = [c for c in _comments(text) if c not in _comments(new)]
    if lost:
        raise ValueError(f"comments would be lost: {lost[:3]}")
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rewrite rule pack files in block style, keeping comments.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="only say which files are not in block style")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        text = path.read_text(encoding="utf-8")
        try:
            new = convert(text)
        except ValueError as exc:
            print(f"{path}: left as it is: {exc}", file=sys.stderr)
            status = 2
            continue
        if new == text:
            print(f"{path}: already in block style")
        elif args.check:
            print(f"{path}: not in block style")
            status = max(status, 1)
        else:
            path.write_text(new, encoding="utf-8")
            print(f"{path}: rewritten in block style")
    return status


if __name__ == "__main__":
    sys.exit(main())
