"""`pipeline build` through click's CliRunner: summary, --check, --dry-run, --force, --jobs, exit codes."""

from __future__ import annotations

import os
import re
import time

from pipeline.cli import cli

from .conftest import FRAMES


def invoke(runner, *args):
    return runner.invoke(cli, ["build", *args], catch_exceptions=False)


def test_build_then_noop(project, runner):
    r = invoke(runner, "-j", "1")
    assert r.exit_code == 0, r.output
    assert "built  muscles/gif/Leg-Lateral.gif  (new)" in r.output  # not a terminal: a line per output
    assert r.output.splitlines()[-1].startswith(f"build: {2 * (FRAMES + 1)} built, 0 up to date, 0 removed, 0 failed or skipped; 2 sequence(s)")
    r = invoke(runner)
    assert r.exit_code == 0
    assert r.output.splitlines() == [r.output.splitlines()[-1]]
    assert r.output.startswith(f"build: 0 built, {2 * (FRAMES + 1)} up to date, 0 removed")


def test_check_exit_codes(project, runner):
    r = invoke(runner, "--check")
    assert r.exit_code == 1
    assert re.search(r"^raw/pages/leg-lateral\.md:\d+: muscles/gif/Leg-Lateral\.gif: stale \(new\)$", r.output, re.M)
    assert "is not current" in r.output
    assert not project.out.exists()  # built nothing, created nothing
    assert invoke(runner).exit_code == 0
    r = invoke(runner, "--check")
    assert r.exit_code == 0, r.output
    assert "is current" in r.output
    project.rerender("Arm-Anterior", seed=3)
    r = invoke(runner, "--check")
    assert r.exit_code == 1
    assert "muscles/gif/Arm-Anterior.gif: stale (frames changed)" in r.output
    assert "Leg-Lateral" not in r.output


def test_check_keeps_its_hashes_for_the_next_run(project, runner):
    invoke(runner)
    old = time.time() - 3600  # touched, but not just now (a file changed within the last seconds is re-hashed)
    for p in (project.images / "muscles/png").glob("*.png"):
        os.utime(p, (old, old))
    import pipeline.build.worker as worker_mod

    calls = []
    real = worker_mod.hash_file
    worker_mod.hash_file = lambda p: calls.append(p) or real(p)
    try:
        assert invoke(runner, "--check", "-j", "1").exit_code == 0
        n = len(calls)
        assert n  # touched frames were re-hashed once...
        assert invoke(runner, "--check", "-j", "1").exit_code == 0
    finally:
        worker_mod.hash_file = real
    assert len(calls) == n  # ...and not again: the check kept the stat cache


def test_check_lists_missing_altered_and_removable(project, runner):
    invoke(runner)
    (project.out / "muscles/png/Leg-Lateral-2-thumb.png").unlink()
    (project.pages / "arm-anterior.md").unlink()
    r = invoke(runner, "--check")
    assert r.exit_code == 1
    assert "muscles/png/Leg-Lateral-2-thumb.png: stale (missing)" in r.output
    assert "muscles/gif/Arm-Anterior.gif: would be removed (its page or sequence is gone)" in r.output
    assert (project.out / "muscles/gif/Arm-Anterior.gif").exists()


def test_check_fails_on_a_broken_page(project, runner):
    invoke(runner)
    (project.images / "muscles/png/Leg-Lateral-1.png").unlink()
    r = invoke(runner, "--check")
    assert r.exit_code == 1
    assert "raw/pages/leg-lateral.md:" in r.output and "Leg-Lateral-1.png" in r.output


def test_dry_run_prints_plan_and_writes_nothing(project, runner):
    r = invoke(runner, "--dry-run")
    assert r.exit_code == 0
    assert re.search(r"^build   muscles/gif/Leg-Lateral\.gif  \(new\)  \[raw/pages/leg-lateral\.md:\d+\]$", r.output, re.M)
    assert f"plan: {2 * (FRAMES + 1)} to build, 0 to remove, 0 up to date" in r.output
    assert not (project.out / "muscles").exists() and not project.state_folder().exists()


def test_force(project, runner):
    invoke(runner)
    r = invoke(runner, "--force", "-q")
    assert r.exit_code == 0
    assert r.output.startswith(f"build: {2 * (FRAMES + 1)} built, 0 up to date")
    assert len(r.output.splitlines()) == 1  # quiet: the summary only


def test_verbose_lists_up_to_date_outputs(project, runner):
    invoke(runner)
    r = invoke(runner, "-v")
    assert "up to date muscles/gif/Leg-Lateral.gif" in r.output


def test_failure_exit_code_and_message(project, runner):
    (project.images / "muscles/png/Leg-Lateral-3.png").unlink()
    r = invoke(runner)
    assert r.exit_code == 1
    assert "raw/pages/leg-lateral.md:" in r.output and "build failed" in r.output and "Leg-Lateral-3.png" in r.output
    assert (project.out / "muscles/gif/Arm-Anterior.gif").is_file()


def test_exclusive_options(project, runner):
    assert invoke(runner, "--check", "--dry-run").exit_code == 2
    assert invoke(runner, "--quiet", "--verbose").exit_code == 2
    assert invoke(runner, "--jobs", "0").exit_code == 2


def test_unknown_path_is_usage_error(project, runner):
    r = invoke(runner, "raw/pages/nope.md")
    assert r.exit_code == 2 and "no such file or folder" in r.output


def test_out_option(project, runner):
    r = invoke(runner, "--out", "elsewhere")
    assert r.exit_code == 0
    assert (project.root / "elsewhere/muscles/gif/Leg-Lateral.gif").is_file()


def test_run_build_keeps_the_all_command_contract(project):
    from pipeline.cli.build import run_build

    res = run_build(project.cfg(), project.cfg().pages, quiet=True)
    assert res.units == 2 and res.failures == [] and len(res.built) == 2 * (FRAMES + 1)
