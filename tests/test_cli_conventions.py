"""Command-line conventions: standard input with --stdin-filename, colour (NO_COLOR, FORCE_COLOR, TERM=dumb), Ctrl-C
exits 130, configuration types, report write errors and atomic -o, summary.exit_code, paths from the project root
whatever the working directory."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.cli.reporters.lint import use_colour

from .conftest import page_text


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "env, choice, tty, want",
    [
        ({}, "auto", True, True),
        ({}, "auto", False, False),
        ({"NO_COLOR": "1"}, "auto", True, False),
        ({"FORCE_COLOR": "1"}, "auto", False, True),
        ({"FORCE_COLOR": ""}, "auto", False, False),  # set but empty: as if unset
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", False, False),
        ({"TERM": "dumb"}, "auto", True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "3"}, "auto", True, True),
        ({"NO_COLOR": "1"}, "always", False, True),
        ({"FORCE_COLOR": "1"}, "never", True, False),
    ],
)
def test_colour_choice(monkeypatch, env, choice, tty, want):
    for k in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert use_colour(_Tty() if tty else io.StringIO(), choice) is want


def test_force_color_colours_the_report(site, runner, monkeypatch):
    site.page("a.md")
    monkeypatch.setenv("FORCE_COLOR", "1")
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 1 and "\x1b[31merror" in r.output
    monkeypatch.delenv("FORCE_COLOR")
    assert "\x1b[" not in runner.invoke(cli, ["lint"]).output


def test_stdin_is_linted_as_the_named_file_with_the_site_as_context(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral")
    site.frames("Leg-Soleus")
    edited = page_text(permalink="/muscle/leg/soleus/", title="The soleus muscle of the leg", stem="Leg-Soleus", image_id="legsoleus",
                       description="The soleus is a broad, flat muscle deep in the calf; it joins the heel tendon and points the foot down.")
    # the file on disk is the lateral page; standard input stands for it: no clash with itself
    r = runner.invoke(cli, ["lint", "-", "--stdin-filename", "raw/pages/a.md", "--select", "FM004"], input=page_text())
    assert r.exit_code == 0, r.output
    # a new page (not on disk yet) that copies a's permalink and GIF: judged against the site
    r = runner.invoke(cli, ["lint", "-", "--stdin-filename", "raw/pages/new.md", "--format", "json", "--select", "FM004"], input=page_text())
    doc = json.loads(r.output)
    assert r.exit_code == 1 and {f["path"] for f in doc["findings"]} == {"raw/pages/new.md"}
    r = runner.invoke(cli, ["lint", "-", "--stdin-filename", "raw/pages/new.md"], input=edited)
    assert r.exit_code == 0, r.output
    assert "1 page(s) checked, no findings" in r.output
    r = runner.invoke(cli, ["lint", "-", "--stdin-filename", "raw/pages/new.md"], input=edited.replace("Leg-Soleus-2.png", "Leg-Soleus-9.png"))
    assert r.exit_code == 1 and r.output.startswith("raw/pages/new.md:") and "IMG001" in r.output


def test_stdin_without_a_filename_and_misuse(site, runner):
    site.frames("Leg-Lateral")
    r = runner.invoke(cli, ["lint", "-", "--format", "json"], input=page_text())
    assert r.exit_code == 0 and json.loads(r.output)["summary"]["pages"] == 1
    r = runner.invoke(cli, ["lint", "-"], input=b"---\ntitle: \xff\n---\n")
    assert r.exit_code == 1 and r.output.startswith("-:2:8: FM001") and "not valid UTF-8" in r.output
    r = runner.invoke(cli, ["lint", "-", "raw/pages"], input="")
    assert r.exit_code == 2 and "cannot be combined" in r.output
    r = runner.invoke(cli, ["lint", "--stdin-filename", "raw/pages/a.md"])
    assert r.exit_code == 2 and "give '-'" in r.output


def test_stdin_outside_the_site_is_ignored_with_site_files_only(site, runner):
    r = runner.invoke(cli, ["lint", "-", "--stdin-filename", "README.md", "--site-files-only"], input="# Readme\n")
    assert r.exit_code == 0 and "0 page(s) checked" in r.output


def _interrupt(*_a, **_k):
    raise KeyboardInterrupt


@pytest.mark.parametrize("command", [["lint"], ["rules"], ["all"]])
def test_ctrl_c_exits_130(site, runner, monkeypatch, command):
    site.page("a.md")
    import pipeline.lint.rules as registry
    import pipeline.lint.runner as runner_mod

    monkeypatch.setattr(runner_mod, "lint_paths", _interrupt)
    monkeypatch.setattr(registry, "codes", _interrupt)
    r = runner.invoke(cli, command)
    assert r.exit_code == 130, r.output
    assert "interrupted" in r.output and "Traceback" not in r.output


def test_ctrl_c_in_the_build_exits_130(site, runner, monkeypatch):
    import pipeline.build.api as api

    monkeypatch.setattr(api, "build_paths", _interrupt)
    r = runner.invoke(cli, ["build"])
    assert r.exit_code == 130 and "build interrupted" in r.output


@pytest.mark.parametrize(
    "setting, message",
    [
        ('[tool.pipeline.lint]\nselect = "TXT"', "select: expected a list of strings, got the string 'TXT'"),
        ('[tool.pipeline.lint]\nignore = "TXT003"', "ignore: expected a list of strings"),
        ('[tool.pipeline.lint]\nknown-permalinks = "/muscle/"', "known-permalinks: expected a list of strings"),
        ('[tool.pipeline.lint]\nper-path-ignores = { "raw/*" = "TXT003" }', "per-path-ignores.'raw/*': expected a list of strings"),
        ('[tool.pipeline]\npages = "raw/pages"', "pages: expected a list of strings"),
        ('[tool.pipeline]\narticles = "raw/articles"', "articles: expected a list of strings"),
        ('[tool.pipeline]\nimages = ["raw/images"]', "images: expected a string"),
        ('[tool.pipeline.lint]\nstrict = "yes"', "strict: expected true or false"),
        ('[tool.pipeline.lint]\nwords = 3', "words: expected a path"),
    ],
)
def test_configuration_types_are_checked(site, runner, setting, message):
    (site.root / "pyproject.toml").write_text(setting + "\n")
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, r.output


def test_summary_exit_code_is_the_exit_code(site, runner):
    site.page("a.md")
    for args, code in ((["--format", "json"], 1), (["--format", "json", "--exit-zero"], 0)):
        r = runner.invoke(cli, ["lint", *args])
        assert r.exit_code == code and json.loads(r.output)["summary"]["exit_code"] == code


def test_report_file_is_written_atomically(site, runner, monkeypatch):
    site.page("a.md")
    out = site.root / "report.json"
    out.write_text("old report\n")
    r = runner.invoke(cli, ["lint", "--format", "json", "-o", str(out)])
    assert r.exit_code == 1 and r.output == "" and json.loads(out.read_text())["summary"]["errors"] > 0
    import pipeline.cli.reporters.lint as reporters

    def fail(self, result):
        self.stream.write('{"findings": [')
        raise RuntimeError("reporter failed halfway")

    out.write_text("old report\n")
    monkeypatch.setattr(reporters.JsonReporter, "report", fail)
    r = runner.invoke(cli, ["lint", "--format", "json", "-o", str(out)])
    assert r.exit_code != 0 and out.read_text() == "old report\n"  # nothing half-written
    assert [p.name for p in site.root.iterdir() if p.name.startswith(".tmp-")] == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_write_errors_are_reported_without_a_traceback(site):
    site.page("a.md")
    before = os.stat("/dev/full")
    run = [sys.executable, "-m", "pipeline", "lint", "--format", "json"]
    p = subprocess.run(run + ["-o", "/dev/full"], capture_output=True, text=True)
    assert p.returncode == 2, p.stderr
    assert "/dev/full: cannot write the report: No space left on device" in p.stderr and "Traceback" not in p.stderr
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev  # written to, never replaced
    with open("/dev/full", "w") as full:
        p = subprocess.run(run, stdout=full, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 2 and "standard output: cannot write the report" in p.stderr
    assert "Traceback" not in p.stderr and "Exception ignored" not in p.stderr


def test_paths_are_relative_to_the_project_root_from_any_folder(site, runner, monkeypatch):
    site.page("a.md")
    site.page("legacy/old.md", permalink="/muscle/leg/old/", stem="Leg-Old", image_id="legold")
    (site.root / "pyproject.toml").write_text(
        '[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/leg/"]\n'
        'per-path-ignores = { "raw/pages/legacy/*" = ["IMG001"] }\n'
    )
    monkeypatch.chdir(site.pages / "legacy")
    for args in ([], ["old.md", "../a.md"]):
        r = runner.invoke(cli, ["lint", "--format", "json", "--select", "IMG001", *args])
        doc = json.loads(r.output)
        assert {f["path"] for f in doc["findings"]} == {"raw/pages/a.md"}, r.output  # legacy/ ignored by its glob
        assert doc["summary"]["suppressed"] > 0
    r = runner.invoke(cli, ["lint", "--format", "github", "--select", "IMG001"])
    assert r.output.startswith("::error file=raw/pages/a.md,line=")
    r = runner.invoke(cli, ["lint", "--select", "IMG001", "--color", "never"])
    assert r.output.startswith("raw/pages/a.md:") and "under raw/images" in r.output


def test_max_page_bytes_is_the_limit_for_files_and_standard_input(site, runner):
    big = page_text() + "\n" + ("word " * 240_000)  # about 1.2 MB: over the default limit
    site.page("a.md", text=big)
    site.frames("Leg-Lateral")
    r = runner.invoke(cli, ["lint", "--select", "FM001"])
    assert r.exit_code == 1 and "over the 1,000,000-byte limit" in r.output
    (site.root / "pyproject.toml").write_text('[tool.pipeline]\npages = ["raw/pages"]\nmax-page-bytes = 2000000\n')
    assert runner.invoke(cli, ["lint", "--select", "FM001"]).exit_code == 0
    r = runner.invoke(cli, ["lint", "-", "--select", "FM001"], input=big + "word " * 200_000)
    assert r.exit_code == 1 and "over the 2,000,000-byte limit" in r.output
