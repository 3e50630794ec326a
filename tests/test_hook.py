"""Linting the files a commit changes (what the pre-commit hook does): only the site's files among them, the rest of
the site as context, cross-page findings shown on every changed page involved, no orphan check on a partial list."""

from __future__ import annotations

import json
import os
import subprocess

from pipeline.cli import cli

from .rules.helper import lint_example
from pipeline.lint.rules import txt001_wrong_description

SOLEUS = dict(permalink="/muscle/leg/soleus/", title="The soleus muscle of the leg", stem="Leg-Soleus",
              description="The soleus is a broad, flat muscle deep in the calf; it joins the heel tendon and points the foot down.")


def lint_json(runner, *args):
    r = runner.invoke(cli, ["lint", "--format", "json", *args])
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.output)


def test_files_outside_the_site_are_ignored(site, runner):
    site.page("a.md")
    site.page("b.md", **SOLEUS)
    for stem in ("Leg-Lateral", "Leg-Soleus", "Leg-Orphan"):  # an orphan sequence: never judged from a partial list
        site.frames(stem)
    (site.root / "README.md").write_text("# The atlas\n\nHow to write a page.\n")
    (site.root / "about.md").write_text("About this site.\n")
    code, doc = lint_json(runner, "--site-files-only", "README.md", "about.md")
    assert (code, doc["findings"], doc["summary"]["pages"]) == (0, [], 0)
    code, doc = lint_json(runner, "--site-files-only", "README.md", "raw/pages/a.md")
    assert (code, doc["findings"], doc["summary"]["pages"]) == (0, [], 1)
    # asked for by name, a file outside the site is linted, but the site's renders are not judged by it
    code, doc = lint_json(runner, "README.md")
    assert [f["code"] for f in doc["findings"]] == ["FM001"]


def test_orphans_only_on_the_whole_site(site, runner):
    site.page("a.md")
    site.page("b.md", **SOLEUS)
    for stem in ("Leg-Lateral", "Leg-Soleus", "Leg-Orphan"):
        site.frames(stem)
    _, doc = lint_json(runner, "--site-files-only", "raw/pages/a.md", "--select", "IMG006")
    assert doc["findings"] == []
    # every page of the site passed (pre-commit run --all-files): the list is whole, orphans are judged
    _, doc = lint_json(runner, "--site-files-only", "raw/pages/a.md", "raw/pages/b.md", "--select", "IMG006")
    assert [f["path"] for f in doc["findings"]] == ["raw/images/muscles/png/Leg-Orphan-1.png"]


def test_a_copied_permalink_is_reported_on_the_new_page(site, runner):
    site.page("leg-lateral.md")
    site.page("leg-lateral-copy.md", stem="Leg-Lateral2", image_id="leglateral2")  # sorts first, copies the permalink
    site.frames("Leg-Lateral")
    site.frames("Leg-Lateral2")
    code, doc = lint_json(runner, "--site-files-only", "raw/pages/leg-lateral-copy.md", "--select", "FM004")
    assert code == 1
    (f,) = doc["findings"]
    assert f["path"] == "raw/pages/leg-lateral-copy.md" and "also declared by raw/pages/leg-lateral.md" in f["message"]
    # the unchanged page alone: it is involved too, and reported
    _, doc = lint_json(runner, "--site-files-only", "raw/pages/leg-lateral.md", "--select", "FM004")
    assert [f["path"] for f in doc["findings"]] == ["raw/pages/leg-lateral.md"]


def test_an_output_clash_placed_on_a_context_page_is_shown_on_the_changed_one(site, runner):
    site.page("a.md")
    site.page("b.md", permalink="/muscle/leg/other/", stem="Leg-Lateral")  # the same GIF and thumbnails as a.md
    site.frames("Leg-Lateral")
    _, whole = lint_json(runner, "--select", "FM004")
    assert [f["path"] for f in whole["findings"]] == ["raw/pages/b.md"]  # the whole site: one finding, as before
    code, doc = lint_json(runner, "raw/pages/a.md", "--select", "FM004")
    assert code == 1
    (f,) = doc["findings"]
    assert f["path"] == "raw/pages/a.md"
    assert f["message"].startswith("raw/pages/b.md:") and "also produced by raw/pages/a.md" in f["message"]
    assert f["related"][0]["path"] == "raw/pages/b.md"


def test_a_description_that_belongs_to_a_changed_page_is_shown_on_it(tmp_path):
    lint_example(tmp_path, txt001_wrong_description.FAILING)
    result = lint_example(tmp_path, select=["TXT001"], paths=["raw/pages/leg-lateral.md"])
    (f,) = result.findings
    assert f.path == "raw/pages/leg-lateral.md" and f.message.startswith("raw/pages/leg-soleus.md:")
    # the page holding the description, changed: reported once, as on the whole site
    result = lint_example(tmp_path, select=["TXT001"], paths=["raw/pages/leg-soleus.md"])
    assert [f.path for f in result.findings] == ["raw/pages/leg-soleus.md"]
    result = lint_example(tmp_path, select=["TXT001"], paths=["raw/pages/leg-soleus.md", "raw/pages/leg-lateral.md"])
    assert [f.path for f in result.findings] == ["raw/pages/leg-soleus.md"]


def test_duplicate_descriptions_are_reported_once_on_each_changed_page(site, runner):
    shared = "This muscle lies at the back of the leg and helps to point the foot down when we walk or climb stairs."
    site.page("a.md", **{**SOLEUS, "description": shared})
    site.page("b.md", permalink="/muscle/leg/plantaris/", title="The plantaris muscle of the leg", stem="Leg-Plantaris", description=shared)
    _, doc = lint_json(runner, "--no-files", "raw/pages/a.md", "--select", "TXT002")
    assert [f["path"] for f in doc["findings"]] == ["raw/pages/a.md"]


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_a_changed_permalink_that_breaks_a_link_is_reported_on_the_changed_page(site, runner):
    site.page("a.md")
    site.page("b.md", **SOLEUS, extra_body="- [Lateral compartment](/muscle/leg/lateral/)\n")
    site.frames("Leg-Lateral")
    site.frames("Leg-Soleus")
    _, doc = lint_json(runner, "raw/pages/a.md", "--select", "TXT005")
    assert doc["findings"] == []
    site.page("a.md", permalink="/muscle/leg/lateral-compartment/")
    _, doc = lint_json(runner, "raw/pages/a.md", "--select", "TXT005")
    assert doc["findings"] == []  # not a git work tree: what the permalink was is not known
    _git(site.root, "init", "-q")
    site.page("a.md")
    _git(site.root, "add", "-A")
    _git(site.root, "commit", "-q", "-m", "site")
    site.page("a.md", permalink="/muscle/leg/lateral-compartment/")
    code, doc = lint_json(runner, "raw/pages/a.md", "--select", "TXT005")
    assert code == 1
    (f,) = doc["findings"]
    assert f["path"] == "raw/pages/a.md" and f["line"] == 3
    assert f["message"].startswith("raw/pages/b.md:") and "points to /muscle/leg/lateral/" in f["message"]
    assert "had the permalink /muscle/leg/lateral/ at the last commit" in f["message"]
    _, doc = lint_json(runner, "--select", "TXT005")  # the whole site: on the page holding the link
    assert [f["path"] for f in doc["findings"]] == ["raw/pages/b.md"]
