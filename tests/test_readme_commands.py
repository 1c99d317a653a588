"""Every `auditor` command the README and docs/ci.md show works as written.

The commands are taken from the documents themselves (bash blocks, the CI examples' `run:` and
`script:` steps, and inline `auditor …` in the prose), so a renamed option or a changed
exit status fails here. Each bash-block command is run by bash, exactly as printed, in a
directory holding files of the names it uses (report.docx, 草稿.docx, 报告/ …, made from the
fixtures); the server commands and the inline ones, which need no files, are parsed by the CLI
itself (options, their values and callbacks).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from conftest import FIXTURES, ROOT

DOCS = [ROOT / "README.md", ROOT / "docs" / "ci.md"]
def _server(line: str) -> bool:  # they run until stopped: parsed, not run
    return line.startswith("auditor serve") or " uvicorn " in f" {line}"


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def _shell_lines() -> list[str]:
    """Each command line of the bash blocks that runs auditor: after the install steps
    (`python3 -m venv … && pip install . && auditor …`), without its trailing comment."""
    out = []
    for doc in DOCS:
        for block in _blocks(doc.read_text(encoding="utf-8"), "bash"):
            for line in block.splitlines():
                line = line.split("&&")[-1].strip()
                if re.search(r"(^|\| )auditor |^\S+=\S+ uvicorn ", line):
                    out.append(re.sub(r"\s+#.*$", "", line))
    return out


def _ci_commands() -> list[str]:
    """The `auditor` steps of docs/ci.md's GitHub Actions and GitLab CI examples."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith("auditor ") and node.split()[1] in _command_names():
            out.append(node)

    for block in _blocks((ROOT / "docs" / "ci.md").read_text(encoding="utf-8"), "yaml"):
        walk(yaml.safe_load(block))
    return out


def _command_names() -> set[str]:
    from auditor.cli import main

    return set(main.commands)


def _inline() -> list[str]:
    """`auditor …` quoted in the prose, complete commands only: no “…” or placeholder, and not
    a command merely named (`auditor explain` without the rule it needs)."""
    from auditor.cli import main

    found = set()
    for doc in DOCS:
        for cmd in re.findall(r"`(auditor [^`]+)`", doc.read_text(encoding="utf-8")):
            cmd = cmd.split("|")[0].strip()
            words = cmd.split()
            if "…" in cmd or "PATH" in cmd:
                continue
            if len(words) == 2 and any(p.required for p in main.commands[words[1]].params):
                continue
            found.add(cmd)
    return sorted(found)


def _parse(words: list[str]) -> None:
    """What the CLI does before running: resolve the command, parse and check its options."""
    from auditor.cli import main

    assert words[0] == "auditor"
    with main.make_context("auditor", words[1:], resilient_parsing=False) as ctx:
        args = [*ctx.protected_args, *ctx.args] if hasattr(ctx, "protected_args") else list(ctx.args)
        name, cmd, rest = main.resolve_command(ctx, args)
        assert cmd is not None, words
        try:
            cmd.make_context(name, rest, parent=ctx)
        except click.exceptions.Exit as exc:  # --help
            assert exc.exit_code == 0


def test_the_documents_show_the_commands_this_test_expects() -> None:
    # a guard against the extraction silently finding nothing
    lines = _shell_lines()
    assert len(lines) >= 25 and any(line.startswith("cat ") for line in lines)
    assert len(_ci_commands()) >= 2
    assert {"auditor rules", "auditor explain AR203", "auditor init"} <= set(_inline())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files named as the README names them, made from the fixtures."""
    d = tmp_path_factory.mktemp("readme")
    copies = {
        "report.docx": "formats/002.docx", "草稿.docx": "formats/002.docx", "draft.docx": "formats/compliant.docx",
        "a.txt": "reports/compliant.txt", "b.md": "reports/compliant.md", "draft.txt": "reports/compliant.txt",
        "dept.txt": "reports/compliant.txt", "报告.pdf": "formats/002.pdf",
        "报告/2023/街道.docx": "formats/004.docx", "报告/2023/草稿/街道.docx": "formats/002.docx",
        "报告/镇.txt": "seeds/002_84eb398e434a8021.txt", "报告/2022/街道.docx": "formats/002.docx",
        "reports/town.txt": "seeds/000_ae009fae7ef3885b.txt", "reports/2023/street.pdf": "formats/004.pdf",
    }
    for name, src in copies.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / src, d / name)
    (d / "应报送单位.txt").write_text("小龙坎街道\n周家店镇\n龙门浩街道\n", encoding="utf-8")  # --roster
    return d


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("line", [line for line in _shell_lines() if not _server(line)])
def test_shell_command_runs_as_written(line: str, workdir: Path) -> None:
    bindir = os.path.dirname(sys.executable)
    if not os.path.exists(os.path.join(bindir, "auditor")) and shutil.which("auditor") is None:
        pytest.skip("the auditor command is not installed beside this Python")
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
           "AUDITOR_CACHE_DIR": str(workdir / ".cache")}
    cwd = ROOT if "fixtures/" in line else workdir  # README command 1 audits the repository's samples
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {line}"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)
    # 0 or 1: the reports were audited (some fail, as real drafts do); 2 would be a usage error
    # or a file that could not be audited, which the README's commands never mean
    assert proc.returncode in (0, 1), f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr, proc.stderr
    if "--help" not in line:
        assert proc.stdout or "-o" in line or line.startswith("auditor annotate"), line


@pytest.mark.parametrize("command", [*_ci_commands(), *_inline(),
                                     *[line for line in _shell_lines() if _server(line)]])
def test_command_parses(command: str) -> None:
    words = shlex.split(command)
    if "uvicorn" in words:  # AUDITOR_WEB_WORKERS=2 uvicorn auditor.web:app …: the app it names exists
        import importlib

        module, _, attr = words[words.index("uvicorn") + 1].partition(":")
        pytest.importorskip("fastapi")
        assert getattr(importlib.import_module(module), attr) is not None
        return
    _parse(words)
