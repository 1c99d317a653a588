"""The layout shows the pipeline: no module imports from a later stage, and there are no import cycles.

Every import that runs counts, the lazy ones inside functions too (they are what start-up keeps
lean, and a lazy import backwards is still a backwards dependency); imports under
`if TYPE_CHECKING:` never run (they let mypy check a module against its protocol) and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"

#: module prefix → stage, in pipeline order; the longest matching prefix wins
STAGES: dict[str, int] = {
    "auditor.models": 0, "auditor.errors": 0,
    "auditor.loaders": 1,
    "auditor.document": 2,
    "auditor.packs": 3, "auditor.checks": 3,
    "auditor.run": 4, "auditor.cross": 4, "auditor.pool": 4, "auditor.setup": 4,
    "auditor.cli": 5, "auditor.reporters": 5, "auditor.__main__": 5, "auditor.annotate": 5, "auditor.web": 5,
    "auditor": 5,  # the package itself is the public API, a front (its imports are lazy)
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _stage(module: str) -> int:
    best = max((p for p in STAGES if module == p or module.startswith(p + ".")), key=len)
    return STAGES[best]


def _imports(name: str, path: Path) -> set[str]:
    """The auditor modules a module imports (`from auditor.x import y` is module auditor.x.y when that is one)."""
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    # `import auditor` or `from auditor import __version__` only needs the package's own metadata
    return {m for m in found if m.startswith("auditor.") and m in MODULES}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    out: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                todo.extend(child.orelse)
                continue
            todo.append(child)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_module_imports_from_a_later_stage() -> None:
    backwards = [f"{a} (stage {_stage(a)}) imports {b} (stage {_stage(b)})"
                 for a, targets in GRAPH.items() for b in targets if _stage(b) > _stage(a)]
    assert not backwards, "\n".join(sorted(backwards))


def test_no_import_cycles() -> None:
    # Tarjan's strongly connected components: any component of more than one module is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, cycles


def test_the_graph_is_read() -> None:
    """Guard against a test that passes because it reads nothing."""
    assert "auditor.checks.contract" in GRAPH["auditor.checks.pattern_present"]
    assert "auditor.loaders.page_lines" in GRAPH["auditor.loaders.ocr"]
    assert len(GRAPH) > 50


def test_every_package_ships_in_the_wheel() -> None:
    # an installed (not editable) auditor only has the packages pyproject lists: a new room left
    # out of that list imports in the tests of a checkout and fails on a user's machine
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(root).parts) for p in (root / "auditor").rglob("__init__.py")}
    assert on_disk - listed == set()
