"""Review tests: small generated projects (``tests.build.conftest``), built, re-rendered and built again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.build.conftest import Project, build, make_project, project, runner  # noqa: F401  (fixtures)


def lint_and_collect(pr: Project, *, changed_only: bool = False):
    """What `pipeline review` gathers: lint's pages and findings, then the review model."""
    from pipeline.lint.runner import LintOptions, lint_paths
    from pipeline.review import collect

    cfg = pr.cfg()
    result, missing = lint_paths(cfg.site_roots, cfg, LintOptions())
    assert not missing
    return collect(cfg, [p for p in result.site.pages if p.reported], result.findings, changed_only=changed_only)


def add_todo(pr: Project, stem: str) -> None:
    """A placeholder in a page's description: a TXT009 error lint reports, which does not keep the page from being built."""
    p = pr.pages / f"{stem.lower()}.md"
    p.write_text(p.read_text(encoding="utf-8").replace("muscles move the leg.", "muscles move the leg. TODO: <b>cite</b> & check."), encoding="utf-8")


@pytest.fixture
def built(tmp_path, monkeypatch) -> Project:
    """Two sequences, videos off, built once then Leg-Lateral re-rendered and built again."""
    monkeypatch.chdir(tmp_path)
    pr = make_project(tmp_path)
    build(pr)
    pr.rerender("Leg-Lateral", seed=4242)
    build(pr)
    return pr


@pytest.fixture
def built_video(tmp_path, monkeypatch) -> Project:
    """As ``built``, with MP4 and WebM."""
    monkeypatch.chdir(tmp_path)
    pr = make_project(tmp_path, encode="")
    build(pr)
    pr.rerender("Leg-Lateral", seed=4242)
    build(pr)
    return pr


def review_dir(pr: Project) -> Path:
    from pipeline.build.state import state_dir

    return state_dir(pr.root, pr.out) / "review"
