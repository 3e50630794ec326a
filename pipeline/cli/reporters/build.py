"""Reporters for ``pipeline build``: what it prints once the build (or ``--check``, ``--dry-run``) is done.

``BUILD_REPORTERS`` maps a format name to a class; ``cls(stream, out=..., check=..., dry_run=...)`` then
``report(result)``; ``out`` is the output folder as outputs show it (relative to the project root). Progress while
the build runs, and problems, go through ``pipeline.build.progress``.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # (data only: ``pipeline build --help`` lists the formats without loading the build)
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


class JsonBuildReporter(TextBuildReporter):
    """One JSON document (``build_document``): what was built, copied, removed, stale, skipped and failed, the
    findings that kept pages from being built, and a summary with the exit code. No timings (the same build gives
    the same bytes); progress and problems go to standard error."""

    def report(self, result: BuildResult) -> None:
        doc = build_document(result, self.out, check=self.check, dry_run=self.dry_run)
        self.stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def build_document(result: BuildResult, out: Path, *, check: bool = False, dry_run: bool = False) -> dict:
    """The build as data; every output path is relative to the project root (``out`` joined with its name)."""
    at = str(out).replace("\\", "/")

    def path(name: str) -> str:
        return posixpath.join(at, name)

    return {
        "out": at,
        "built": [path(n) for n in result.built],
        "copied": [path(n) for n in result.reused],
        "removed": [path(n) for n in result.removed],
        "stale": [{"path": path(s.path), "page": s.page, "line": s.line, "reason": s.reason} for s in result.stale],
        "to_remove": [path(n) for n in result.to_remove],
        "skipped": [{"page": s.page, "line": s.line, "reason": s.reason} for s in result.skipped],
        "failed": [{"page": f.page, "line": f.line, "message": f.message} for f in result.failures],
        "findings": [f.to_dict() for f in result.findings],
        "summary": {
            "mode": "check" if check else "dry-run" if dry_run else "build",
            "built": len(result.built), "up_to_date": result.current, "removed": len(result.removed), "stale": len(result.stale),
            "skipped": len(result.skipped), "failed": len(result.failures), "sequences": result.units, "exit_code": result.exit_code,
        },
    }


BUILD_REPORTERS: dict[str, type] = {"text": TextBuildReporter, "json": JsonBuildReporter}
