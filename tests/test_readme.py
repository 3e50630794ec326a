"""The README's examples work as written: the minimal page lints clean, the configuration block is valid, the
pre-commit snippet names hooks that exist and the release that is tagged."""

from __future__ import annotations

import re
import tomllib

import yaml

from pipeline import __version__
from pipeline.config import _from_table
from pipeline.lint.runner import LintOptions, lint_paths

from .conftest import PROJECT, write_frames

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def block(language: str, after: str) -> str:
    """The first fenced block in ``language`` after the heading or text ``after``."""
    start = README.index(after)
    m = re.compile(rf"^```{language}\n(.*?)^```$", re.S | re.M).search(README, start)
    assert m, (language, after)
    return m.group(1)


def test_the_minimal_page_is_clean(site):
    page = site.page("leg-soleus.md", text=block("markdown", "## A page"))
    write_frames(site.images, "Leg-Soleus", [1, 2])
    from pipeline.config import load_config

    cfg = load_config()
    result, _ = lint_paths([page], cfg, LintOptions())
    assert [(f.code, f.message) for f in result.findings] == [] and result.pages == 1


def test_the_configuration_block_is_complete_and_valid(tmp_path):
    table = tomllib.loads(block("toml", "## Configuration"))["tool"]["pipeline"]
    cfg = _from_table(table, tmp_path, None)
    assert {"pages", "articles", "images", "out", "max-page-bytes", "encode", "lint"} <= set(table)
    assert {"select", "ignore", "strict", "severity", "per-path-ignores", "words", "known-permalinks"} == set(table["lint"])
    assert cfg.lint.words is not None and cfg.schema is None  # the shipped schema unless a site names its own


def test_the_pre_commit_snippet_names_real_hooks_and_the_tagged_release():
    snippet = yaml.safe_load(block("yaml", "### pre-commit"))
    (repo,) = snippet["repos"]
    hooks = {h["id"] for h in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    assert {h["id"] for h in repo["hooks"]} <= hooks and {"atlas-lint", "atlas-lint-site"} <= hooks
    assert repo["rev"] == f"v{__version__}"
