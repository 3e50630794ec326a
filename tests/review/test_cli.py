"""`pipeline review` through click's CliRunner: exit codes, messages, where the folder goes."""

from __future__ import annotations

from pipeline.cli import cli

from tests.build.conftest import build

from .conftest import add_todo, review_dir


def invoke(runner, *args):
    return runner.invoke(cli, ["review", *args], catch_exceptions=False)


def test_review_writes_the_folder_beside_the_build_state(built, runner):
    add_todo(built, "Arm-Anterior")
    r = invoke(runner)
    assert r.exit_code == 0, r.output  # findings are shown, not failed on
    assert "review: 2 sequence(s) (1 changed by the last build)" in r.stdout
    assert ".pipeline/dist/review/index.html" in r.stdout
    index = review_dir(built) / "index.html"
    assert f"open {index.resolve().as_uri()}" in r.stdout
    html = index.read_text(encoding="utf-8")
    assert "TXT009" in html and "TODO: &lt;b&gt;cite&lt;/b&gt; &amp; check." in html
    assert html.count('<section class="sequence') == 2


def test_changed_only(built, runner):
    r = invoke(runner, "--changed", "--out", "rv")
    assert r.exit_code == 0 and "review: 1 sequence(s) (1 changed by the last build)" in r.stdout
    html = (built.root / "rv" / "index.html").read_text(encoding="utf-8")
    assert "Leg-Lateral.gif" in html and "Arm-Anterior.gif" not in html and 'class="compare"' in html
    assert not review_dir(built).exists()


def test_before_any_build_it_says_so(project, runner):
    r = invoke(runner)
    assert r.exit_code == 0
    assert "nothing is recorded as built in dist; run `pipeline build` first" in r.stderr
    assert "Not built:" in (review_dir(project) / "index.html").read_text(encoding="utf-8")


def test_another_build_output_folder(built, runner):
    build(built, out=built.root / "other")
    r = invoke(runner, "--from", "other", "--changed")
    assert r.exit_code == 0 and "review: 2 sequence(s) (2 changed by the last build)" in r.stdout
    assert (built.root / ".pipeline" / "other" / "review" / "media" / "muscles" / "gif" / "Arm-Anterior.gif").is_file()


def test_usage_errors_exit_2_without_a_traceback(built, runner):
    (built.root / "notes").mkdir()
    (built.root / "notes" / "keep.md").write_text("mine")
    cases = [
        (["--out", "dist"], "cannot be written in or over dist"),
        (["--out", "raw/images/review"], "cannot be written in or over raw/images"),
        (["--out", "."], "a review cannot be written"),
        (["--out", "notes"], "not a review"),
        (["--from", "nowhere"], "--from nowhere: not a folder"),
        (["--images", "nowhere"], "images root nowhere is not a folder (set --images DIR)"),
        (["--changed", "--bogus"], "No such option"),
    ]
    for args, message in cases:
        r = runner.invoke(cli, ["review", *args])
        assert r.exit_code == 2, (args, r.output)
        assert message in r.output and "Traceback" not in r.output, (args, r.output)
    assert (built.root / "notes" / "keep.md").read_text() == "mine"


def test_a_bad_configuration_exits_2(built, runner):
    (built.root / "pyproject.toml").write_text('[tool.pipeline]\npages = "raw/pages"\n')
    r = runner.invoke(cli, ["review"])
    assert r.exit_code == 2 and "Traceback" not in r.output and "pages" in r.output


def test_listed_in_the_help(runner):
    r = runner.invoke(cli, ["--help"])
    assert "pipeline review" in r.output
    r = runner.invoke(cli, ["review", "--help"])
    assert r.exit_code == 0 and "--changed" in r.output and "--out" in r.output and "--from" in r.output


def test_the_default_folder_stays_out_of_git_and_stale_sequences_are_named(project, runner):
    r = invoke(runner)
    assert r.exit_code == 0 and (project.root / ".pipeline" / ".gitignore").read_text().strip().endswith("*")
    build(project)
    project.rerender("Arm-Anterior", seed=5)
    r = invoke(runner)
    assert r.exit_code == 0
    assert "note: 1 sequence(s) stale (their renders changed since the last build), e.g. muscles/gif/Arm-Anterior.gif" in r.stderr
