"""The package's rooms and their imports: lint never imports the build, the encoders or the CLI; nothing imports in
a cycle; the reporters package itself imports nothing (loading one command's reporters loads no other room)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
FORBIDDEN_FOR_LINT = ("pipeline.build", "pipeline.encode", "pipeline.cli")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package else name.split(".")[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports(name: str, *, top_level: bool) -> set[str]:
    """Modules of the package that ``name`` imports; with ``top_level``, only those imported when it loads (not in a
    function, not under ``if TYPE_CHECKING``)."""
    path = MODULES[name]
    out: set[str] = set()

    def visit(nodes) -> None:
        for node in nodes:
            if top_level and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if top_level and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, name, path.name == "__init__.py")
                out.add(base)
                out.update(f"{base}.{a.name}" for a in node.names)
            visit(ast.iter_child_nodes(node))

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {m for m in out if m in MODULES and m != name}


def test_lint_never_imports_build_encode_or_cli():
    lint = sorted(m for m in MODULES if m == "pipeline.lint" or m.startswith("pipeline.lint."))
    assert len(lint) > 30
    bad = {m: sorted(i for i in imports(m, top_level=False) if i.startswith(FORBIDDEN_FOR_LINT)) for m in lint}
    assert {m: i for m, i in bad.items() if i} == {}


def test_loading_all_of_lint_loads_no_build_and_no_cli():
    code = (
        "import importlib, pkgutil, sys, pipeline.lint\n"
        "for m in pkgutil.walk_packages(pipeline.lint.__path__, 'pipeline.lint.'): importlib.import_module(m.name)\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith(('pipeline.build', 'pipeline.encode', 'pipeline.cli')))))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # pipeline.config holds the encoder settings: that one module (and its package) come with the configuration
    assert set(loaded) <= {"pipeline.encode", "pipeline.encode.settings"}, loaded


def test_no_import_cycles():
    graph = {m: imports(m, top_level=True) for m in MODULES}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(path[path.index(n) :] + [n])
            elif n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == [], [" -> ".join(c) for c in cycles]


def test_reporters_package_imports_nothing():
    assert imports("pipeline.cli.reporters", top_level=False) == set()
