"""The build reporter: the text `pipeline build` prints once it is done, written to the stream it is given."""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.build.plan import Skipped
from pipeline.build.result import BuildResult, Failure, Stale
from pipeline.cli.reporters.build import BUILD_REPORTERS, TextBuildReporter

OUT = Path("dist")


def text(result: BuildResult, **options) -> str:
    stream = io.StringIO()
    BUILD_REPORTERS["text"](stream, out=OUT, **options).report(result)
    return stream.getvalue()


def test_registry_names_the_text_reporter():
    assert BUILD_REPORTERS["text"] is TextBuildReporter


def test_build_summary():
    r = BuildResult(built=["a.gif", "b.gif", "c.png"], reused=["c.png"], current=4, removed=["old.gif"], units=3, seconds=1.25)
    assert text(r) == "build: 3 built (1 copied from identical outputs), 4 up to date, 1 removed, 0 failed or skipped; 3 sequence(s) in 1.2s -> dist\n"
    r = BuildResult(failures=[Failure("p.md", 3, "x")], skipped=[Skipped("q.md", 2, "y")], units=2, seconds=0.04)
    assert text(r) == "build: 0 built, 0 up to date, 0 removed, 2 failed or skipped; 2 sequence(s) in 0.0s -> dist\n"


def test_check_lists_stale_and_removable():
    r = BuildResult(stale=[Stale("p.md", 7, "a.gif", "frames changed")], to_remove=["old.gif"], failures=[Failure("q.md", 1, "z")], seconds=0.5, check=True)
    assert text(r, check=True).splitlines() == [
        "p.md:7: a.gif: stale (frames changed)",
        "old.gif: would be removed (its page or sequence is gone)",
        "check: dist is not current: 1 output(s) stale or missing, 1 to remove, 1 page problem(s); run `pipeline build` (0.5s)",
    ]
    assert text(BuildResult(current=9, seconds=0.1, check=True), check=True) == "check: dist is current: 9 output(s) up to date (0.1s)\n"


def test_dry_run_prints_the_plan():
    r = BuildResult(stale=[Stale("p.md", 7, "a.gif", "new")], to_remove=["old.gif"], current=2, seconds=0.3)
    assert text(r, dry_run=True).splitlines() == [
        "build   a.gif  (new)  [p.md:7]",
        "remove  old.gif  (its page or sequence is gone)",
        "plan: 1 to build, 1 to remove, 2 up to date, 0 failed (0.3s)",
    ]
