"""Reporters for ``pipeline build``: what it prints once the build (or ``--check``, ``--dry-run``) is done.

``BUILD_REPORTERS`` maps a format name to a class; ``cls(stream, out=..., check=..., dry_run=...)`` then
``report(result)``. Progress while the build runs, and problems, go through ``pipeline.build.progress``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from pipeline.build.result import BuildResult


class TextBuildReporter:
    """Plain lines: with ``check``, each stale output and removal, then whether the output folder is current; with
    ``dry_run``, the plan; else the summary of what was built."""

    def __init__(self, stream: TextIO, *, out: Path, check: bool = False, dry_run: bool = False) -> None:
        self.stream = stream
        self.out = out
        self.check = check
        self.dry_run = dry_run

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def report(self, result: BuildResult) -> None:
        if self.check:
            self._check(result)
        elif self.dry_run:
            self._plan(result)
        else:
            self._summary(result)

    def _check(self, result: BuildResult) -> None:
        for s in result.stale:
            self._line(f"{s.page}:{s.line}: {s.path}: stale ({s.reason})")
        for r in result.to_remove:
            self._line(f"{r}: would be removed (its page or sequence is gone)")
        if result.stale or result.to_remove or result.failures or result.skipped:
            problems = len(result.failures) + len(result.skipped)
            self._line(
                f"check: {self.out} is not current: {len(result.stale)} output(s) stale or missing, {len(result.to_remove)} to remove"
                + (f", {problems} page problem(s)" if problems else "")
                + f"; run `pipeline build` ({result.seconds:.1f}s)"
            )
        else:
            self._line(f"check: {self.out} is current: {result.current} output(s) up to date ({result.seconds:.1f}s)")

    def _plan(self, result: BuildResult) -> None:
        for s in result.stale:
            self._line(f"build   {s.path}  ({s.reason})  [{s.page}:{s.line}]")
        for r in result.to_remove:
            self._line(f"remove  {r}  (its page or sequence is gone)")
        self._line(f"plan: {len(result.stale)} to build, {len(result.to_remove)} to remove, {result.current} up to date, {len(result.failures)} failed ({result.seconds:.1f}s)")

    def _summary(self, result: BuildResult) -> None:
        copied = f" ({len(result.reused)} copied from identical outputs)" if result.reused else ""
        self._line(
            f"build: {len(result.built)} built{copied}, {result.current} up to date, {len(result.removed)} removed, "
            f"{len(result.failures) + len(result.skipped)} failed or skipped; {result.units} sequence(s) in {result.seconds:.1f}s -> {self.out}"
        )


BUILD_REPORTERS: dict[str, type] = {"text": TextBuildReporter}
