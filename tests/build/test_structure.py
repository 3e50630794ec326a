"""The build's shape: what its modules may import, the code its caches say they depend on, and what deciding
costs. Each test reads the modules' imports (``ast``) or runs them in a fresh interpreter."""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.build import pages
from pipeline.encode import kinds

from .conftest import REPO, build

PACKAGE_DIR = Path(pipeline.__file__).resolve().parent
ROOMS = ("pipeline.build", "pipeline.encode")


def modules_of(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    return [package] + sorted(m.name for m in pkgutil.iter_modules(pkg.__path__, package + "."))


def source_path(module: str) -> Path:
    rel = Path(*module.split(".")[1:])
    return PACKAGE_DIR / rel / "__init__.py" if (PACKAGE_DIR / rel).is_dir() else PACKAGE_DIR / f"{rel}.py"


def imports_of(module: str, *, top_level_only: bool = False) -> set[str]:
    """The ``pipeline`` modules ``module`` imports (anywhere in it, or at module level only), as dotted names."""
    tree = ast.parse(source_path(module).read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pipeline.encode import kinds` imports the module `kinds` (its package's __init__ holds no code
            # that matters here); `from pipeline.encode.kinds import Per` imports a name of it
            submodules = {f"{node.module}.{a.name}" for a in node.names if _is_module(f"{node.module}.{a.name}")}
            found.update(submodules or {node.module})
    return {m for m in found if m == "pipeline" or m.startswith("pipeline.")}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def test_build_and_encode_never_import_lint_or_cli():
    for room in ROOMS:
        for module in modules_of(room):
            bad = {m for m in imports_of(module) if m.startswith(("pipeline.lint", "pipeline.cli"))}
            assert not bad, f"{module} imports {sorted(bad)}"


def test_importing_build_and_encode_loads_no_lint_cli_or_imaging_library():
    """Every module of the two rooms imported in a fresh interpreter: neither lint nor the CLI comes with them, and
    numpy, Pillow and imagequant only with the encoder modules themselves."""
    # the encoders and the modules that shape their bytes; settings and tools are read by configuration and planning
    encoders = {kind.encoder.partition(":")[0] for kind in kinds.registered()} | {
        m for kind in kinds.registered() for m in kind.sources if m not in ("pipeline.encode.settings", "pipeline.encode.tools")
    }
    light = [m for room in ROOMS for m in modules_of(room) if m not in encoders]
    code = (
        "import importlib, json, sys\n"
        f"for m in {light!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'PIL', 'imagequant') or m.startswith(('pipeline.lint', 'pipeline.cli')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (module -> the modules it imports) as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(m: str, path: list[str]) -> list[str] | None:
        state[m] = 1
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                return path[path.index(d):] + [m, d] if d in path else [m, d]
            if d not in state and (cycle := visit(d, path + [m])):
                return cycle
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m, [])):
            return cycle
    return None


def test_no_import_cycle():
    """Module-level imports among the modules the build reaches form no cycle."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    graph: dict[str, set[str]] = {}
    todo = [m for room in ROOMS for m in modules_of(room)]
    while todo:
        m = todo.pop()
        if m in graph:
            continue
        graph[m] = {d for d in imports_of(m, top_level_only=True) if d != m and d != "pipeline" and source_path(d).is_file()}
        todo += sorted(graph[m])
    assert len(graph) > 20
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_page_records_name_every_module_they_depend_on():
    """The plan context hashes RECORD_MODULES: every ``pipeline`` module that the plan, the records and those
    modules import is either listed or only hashes and stores records (never decides their content)."""
    storage = {"pipeline", "pipeline.config", "pipeline.encode.settings", "pipeline.build.fingerprint", "pipeline.build.hashcache"}
    listed = {m.__name__ for m in pages.RECORD_MODULES} | {pages.__name__}
    reached, todo = set(), [pages.__name__]
    while todo:
        m = todo.pop()
        if m in reached:
            continue
        reached.add(m)
        todo += sorted(d for d in imports_of(m) if d not in storage)
    assert reached <= listed, f"page records depend on modules the plan context does not hash: {sorted(reached - listed)}"
    for m in pages.RECORD_MODULES:
        assert importlib.import_module(m.__name__) is m  # named by import: a renamed module fails right here


def test_plan_context_follows_the_source_and_fails_on_a_missing_module(project, monkeypatch):
    from types import ModuleType

    from pipeline.lint.inputs import BuildInputCheck

    cfg = project.cfg()
    check = BuildInputCheck(cfg)
    before = pages.plan_context(cfg, check)
    assert pages.plan_context(cfg, check) == before
    real = pages.module_source
    monkeypatch.setattr(pages, "module_source", lambda name: real(name) + (b"# edited\n" if name == "pipeline.content.outputs" else b""))
    assert pages.plan_context(cfg, check) != before
    monkeypatch.setattr(pages, "module_source", real)
    renamed = ModuleType("pipeline.content.claims")  # what `outputs` would be after a rename the list missed
    monkeypatch.setattr(pages, "RECORD_MODULES", pages.RECORD_MODULES + (renamed,))
    with pytest.raises(ModuleNotFoundError):
        pages.plan_context(cfg, check)


@pytest.mark.parametrize("kind", kinds.names())
def test_each_kind_lists_the_sources_its_encoder_imports(kind):
    """What a kind's fingerprint hashes covers the encoder module and every ``pipeline`` module it imports,
    transitively (``CHECKS_ONLY`` modules refuse inputs and shape no bytes)."""
    k = kinds.get(kind)
    encoder_module = k.encoder.partition(":")[0]
    assert encoder_module in k.sources
    reached, todo = set(), [encoder_module]
    while todo:
        m = todo.pop()
        if m in reached or m in kinds.CHECKS_ONLY:
            continue
        reached.add(m)
        todo += sorted(imports_of(m))
    assert reached <= set(k.sources), f"{kind}: encoder imports modules its sources do not list: {sorted(reached - set(k.sources))}"
    for m in k.sources:
        assert importlib.util.find_spec(m) is not None, m


def test_deciding_up_to_date_loads_no_imaging_library(project):
    """A no-op build and a check decide from stats and the registry: numpy, Pillow and imagequant stay unloaded."""
    build(project)
    code = (
        "import json, sys\n"
        "from pipeline.build.api import BuildOptions, build_paths\n"
        "from pipeline.build.progress import Progress\n"
        "from pipeline.config import load_config\n"
        "from pipeline.lint.inputs import BuildInputCheck\n"
        "cfg = load_config()\n"
        "runs = [build_paths(cfg, cfg.pages, BuildOptions(jobs=1, **o), Progress(mode='lines', quiet=True), check=BuildInputCheck(cfg))[0]\n"
        "        for o in ({}, {'check': True})]\n"
        "print(json.dumps([[len(r.built), r.exit_code] for r in runs]))\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'PIL', 'imagequant'))))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], cwd=project.root, env=env, capture_output=True, text=True, check=True).stdout
    runs, heavy = (json.loads(line) for line in out.splitlines())
    assert runs == [[0, 0], [0, 0]] and heavy == []
