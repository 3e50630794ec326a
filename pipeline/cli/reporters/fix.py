"""What `pipeline lint --fix` and `--diff` print besides the findings: the changes as a unified diff, and a summary
of what was fixed, rolled back, not written and left (for people, on standard error)."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pipeline.lint.fix.apply import Change, FixResult


def write_diff(stream: TextIO, changes: list[Change]) -> None:
    """A unified diff per changed page (``a/PATH``, ``b/PATH``), in path order; line breaks shown as they are."""
    for change in changes:
        a, b = change.before.splitlines(keepends=True), change.after.splitlines(keepends=True)
        for line in difflib.unified_diff(a, b, f"a/{change.display}", f"b/{change.display}"):
            stream.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")


def _by_code(findings) -> str:
    counts = Counter(f.code for f in findings)
    return ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))


def write_summary(stream: TextIO, result: FixResult, *, applied: bool, refused: dict[str, str] | None = None) -> None:
    """Fixed (or would fix), rolled back, not written, left, and what ``--unsafe-fixes`` would add."""
    refused = refused or {}
    fixed = [f for f in result.fixed if f.path not in refused]
    files = len({c.display for c in result.changes} - set(refused))
    verb = "Fixed" if applied else "Would fix"
    if fixed:
        stream.write(f"{verb} {len(fixed)} finding(s) in {files} file(s) ({_by_code(fixed)}).\n")
    else:
        stream.write("Nothing to fix.\n" if applied else "Nothing would be fixed.\n")
    for r in result.rejected:
        f = r.finding
        stream.write(f"Rolled back: {f.path}:{f.line}:{f.column}: {f.code} fix '{r.fix.message}': {r.why}.\n")
    for display, why in sorted(refused.items()):
        stream.write(f"Not written: {display}: {why}.\n")
    left = result.final.findings if not refused else None
    if left:
        stream.write(f"{len(left)} finding(s) left ({_by_code(left)}).\n")
    if result.unsafe_only:
        stream.write(f"{len(result.unsafe_only)} more finding(s) can be fixed with --unsafe-fixes ({_by_code(result.unsafe_only)}).\n")
