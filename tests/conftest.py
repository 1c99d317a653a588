"""Shared test helpers: fixture paths, the shipped packs, documents built from text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Mapping

import pytest

# Tests never write to the user's cache: one throw-away cache dir per test session.
os.environ.setdefault("AUDITOR_CACHE_DIR", tempfile.mkdtemp(prefix="auditor-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


#: A valid rule of an existing kind, and the head of a pack with its one role: for tests that
#: write a pack of their own (bad keys, references, caching) by changing a line of it.
PLAN_RULE = """
  - id: XX001
    name: has-plan
    kind: part_present
    severity: error
    title: 有工作计划
    message: 缺少工作计划
    hint: 增加工作计划
    rationale: 来年做什么要写明
    reference: {document: 某规定}
    params: {role: plan}
    examples:
      pass: ["一、下一步工作计划\\n一是。二是。"]
      fail: ["一、主要举措\\n正文。"]
"""
PACK_HEAD = "pack: custom\nname: 自定义\nroles:\n  - {name: plan, title: 工作计划, headings: [工作计划]}\n"


def write_pack(tmp_path: Path, text: str) -> Path:
    """`text` as tmp_path/pack.yaml."""
    p = tmp_path / "pack.yaml"
    p.write_text(text, encoding="utf-8")
    return p


#: A report with nothing rare in it: what a LazyPattern few documents need must not be compiled for
PLAIN_REPORT = ("某县2023年法治政府建设情况报告", "一、主要举措和成效", "开展普法12场。", "某县人民政府", "2024年3月1日")


def assert_left_uncompiled(patterns: str, lines: tuple[str, ...] = PLAIN_REPORT, then: str = "") -> None:
    """Build a report of `lines` in a fresh interpreter (a module pattern is compiled once a
    process), run `then`, and assert that every LazyPattern of `patterns` (a list expression over
    the modules bodies, leading, normalize and roles of auditor.document) is still uncompiled."""
    import subprocess
    import sys

    code = (
        "from auditor.document import bodies, leading, normalize, roles\n"
        "from auditor.document.structure import build\n"
        "from auditor.models import RawText, SourceLine\n"
        f"build(RawText(path='t', fmt='txt', lines=tuple(SourceLine(s) for s in {list(lines)!r})))\n"
        f"{then}\n"
        f"lazy = {patterns}\n"
        "assert all(not p.ready for p in lazy), [p.pattern for p in lazy if p.ready]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def load_script(relative: str) -> Any:
    """A script of the repository that is no package module (docs/rule_tables.py,
    tools/wheelhouse.py …), imported from its file."""
    import importlib.util

    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_golden(golden: Path, text: str) -> None:
    """`text` must equal the golden file. Only `UPDATE_GOLDEN=1` writes it: a missing golden file
    fails (a test that wrote its own expectation would pass whatever the output)."""
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"golden file {golden.relative_to(ROOT) if golden.is_relative_to(ROOT) else golden} is missing: "
                    "run the test with UPDATE_GOLDEN=1 to write it, then check and commit it", pytrace=False)
    assert text == golden.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def packs() -> Mapping[str, Any]:
    from auditor.packs.ruleset import load_builtin_packs

    return load_builtin_packs()


@pytest.fixture(scope="session")
def annual(packs: Mapping[str, Any]) -> Any:
    return packs["annual"]


def make_doc(text: str, pack: Any) -> Any:
    """A Document with the pack's roles and year, built from text as a .txt file would be."""
    from auditor.models import RawText, SourceLine
    from auditor.document.roles import assign
    from auditor.document.structure import build

    raw = RawText(path="<test>", fmt="txt", lines=tuple(SourceLine(s) for s in text.splitlines()))
    return assign(build(raw), pack.roles, pack.year)


def run_kind(kind: str, text: str, params: Mapping[str, Any], pack: Any, *,
             scope: Mapping[str, str] | None = None, **ctx: Any) -> Any:
    """Run one check kind with raw params and scope, as a rule file would give them, through
    the engine's scope resolution."""
    from auditor import checks
    from auditor.checks.contract import Context, Missing, ScopeSpec, compile_params
    from auditor.run.engine import evaluate

    spec = checks.get(kind)
    compiled = compile_params(spec, params, where="<test>", rule="T000")
    scoped = ScopeSpec(scope["role"], Missing(scope.get("missing", "skip"))) if scope else None
    return evaluate(spec, compiled, scoped, make_doc(text, pack), Context(roles=pack.roles, **ctx))


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Own cache, and a cwd with no config file above it that the test did not write."""
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def invoke(*args: str | Path) -> Any:
    """`auditor ARGS…` through click's runner; exceptions propagate (a traceback is a bug)."""
    from click.testing import CliRunner

    from auditor.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def comment_head(rule_id: str) -> str:
    """How a drafter's comment on `rule_id` opens after its status (“】第三部分…单列”): comments
    carry the rule's title, not its id, so tests find a rule's comment by this."""
    from auditor.packs.ruleset import load_builtin_packs

    for pack in load_builtin_packs().values():
        for rule in pack.rules:
            if rule.id == rule_id:
                return "】" + rule.title
    raise KeyError(rule_id)


@pytest.fixture(scope="session")
def every_document(packs: Mapping[str, Any], tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Any]]:
    """Every text the fixtures (all formats), the development corpus and a slice of the perf
    corpus hold, built and given each report pack's roles: (name, Document) pairs, for tests
    that hold a fast path of the per-report work equal to the plain computation."""
    import sys

    from auditor.document.roles import assign
    from auditor.document.structure import build
    from auditor.errors import AuditorError
    from auditor.loaders import load

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_batch import make_text
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    perf = tmp_path_factory.mktemp("perf") / "texts"
    make_text(perf, 12)
    suffixes = {".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".html", ".htm"}
    paths = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix.lower() in suffixes]
    paths += sorted(perf.iterdir())
    docs = []
    for path in paths:
        try:
            raw = load(str(path))
        except AuditorError:
            continue
        built = build(raw)
        for pack in packs.values():
            if pack.roles:
                docs.append((f"{path.name} as {pack.id}", assign(built, pack.roles, pack.year)))
    return docs
