"""Write the README's rule tables from the shipped packs.

    python docs/rule_tables.py           # rewrite README.md's tables in place
    python docs/rule_tables.py --check   # exit 1 (and say which) when README.md is not current

Each pack's table stands between `<!-- rules:PACK -->` and `<!-- /rules:PACK -->` (PACK: the pack
id). A row is the rule's id, severity and title and its 依据 (`reference`, as findings cite it),
all from the pack, in the pack's order, plus one sentence of what it checks from
docs/rule-notes.yaml (the rule's `hint` when it has no note there). New rules, new packs and
changed titles therefore reach the README by running this script; tests/test_readme.py fails
until it has been run.

A repository script, not an `auditor` command: it edits this repository's README, which an
installed auditor does not have.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
NOTES = ROOT / "docs" / "rule-notes.yaml"

_BLOCK = re.compile(r"(<!-- rules:(?P<pack>[\w-]+) -->\n)(?P<body>.*?)(<!-- /rules:(?P=pack) -->)", re.DOTALL)
HEADER = "| id | severity | 检查项 (title) | checks | 依据 |\n|---|---|---|---|---|\n"


def load_notes(path: Path = NOTES) -> dict[str, str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise SystemExit(f"{path}: must map rule ids to one sentence each")
    return data


def _cell(text: str) -> str:
    """Text fit for one cell of a Markdown table: one line, no bare bar."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _cited(rule: Any) -> str:
    reference = rule.reference
    return str(getattr(reference, "cited", reference))


def table(pack: Any, notes: Mapping[str, str]) -> str:
    rows = [f"| {r.id} | {r.severity.value} | {_cell(r.title)} | {_cell(notes.get(r.id) or r.hint)} | {_cell(_cited(r))} |\n"
            for r in pack.rules]
    return HEADER + "".join(rows)


def render(readme: str, packs: Mapping[str, Any], notes: Mapping[str, str]) -> tuple[str, list[str]]:
    """README text with every table rewritten, and the problems that keep it from being right
    (a pack with no table, a table of no pack, a note of no rule)."""
    problems: list[str] = []
    seen: set[str] = set()

    def one(m: re.Match[str]) -> str:
        pid = m.group("pack")
        if pid not in packs:
            problems.append(f"README.md has a table for pack '{pid}', which is not shipped")
            return m.group(0)
        seen.add(pid)
        return m.group(1) + table(packs[pid], notes) + m.group(4)

    text = _BLOCK.sub(one, readme)
    for pid in sorted(set(packs) - seen):
        problems.append(f"pack '{pid}' has no table in README.md: add '<!-- rules:{pid} -->' and "
                        f"'<!-- /rules:{pid} -->' lines in its section")
    ids = {r.id for p in packs.values() for r in p.rules}
    problems += [f"docs/rule-notes.yaml: {rid} is a rule of no shipped pack" for rid in sorted(set(notes) - ids)]
    return text, problems


def without_note(packs: Mapping[str, Any], notes: Mapping[str, str]) -> list[str]:
    return [r.id for p in packs.values() for r in p.rules if r.id not in notes]


def shipped_packs() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))  # the checkout's auditor, also when run without installing it
    from auditor.packs.ruleset import load_builtin_packs

    return load_builtin_packs()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the README's rule tables from the shipped packs.")
    parser.add_argument("--check", action="store_true", help="only say whether README.md is current (exit 1 if not)")
    args = parser.parse_args(argv)
    packs, notes = shipped_packs(), load_notes()
    old = README.read_text(encoding="utf-8")
    new, problems = render(old, packs, notes)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    missing = without_note(packs, notes)
    if missing:
        print(f"note: {', '.join(missing)} have no sentence in docs/rule-notes.yaml; their rows show the hint")
    if problems:
        return 2
    if new == old:
        print("README.md: rule tables are current")
        return 0
    if args.check:
        print("README.md: rule tables are out of date; run python docs/rule_tables.py", file=sys.stderr)
        return 1
    README.write_text(new, encoding="utf-8")
    print("README.md: rule tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
