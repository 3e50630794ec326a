"""`pipeline lint --fix` and `--diff`: fix in memory, then write the changed pages (or print them as a diff), and
report what is left."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.cli.common import UsageFailure, run_lint, write_report
from pipeline.config import Config, ConfigError


def fix_and_report(cfg: Config, targets: list[Path], opts, *, diff: bool, unsafe: bool, fmt: str, color: str, output: Path | None, exit_zero: bool) -> int:
    """The exit code: with ``diff``, 1 when something would be fixed; else that of the findings left (1 too when a
    page could not be written)."""
    from pipeline.cli.reporters.fix import write_diff, write_summary
    from pipeline.lint.fix.apply import fix_paths, write_change

    try:
        result = fix_paths(targets, cfg, opts, unsafe=unsafe)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if result.missing:
        raise UsageFailure("; ".join(result.missing))
    if diff:
        _to_output(output, lambda fh: write_diff(fh, result.changes))
        write_summary(sys.stderr, result, applied=False)
        return 0 if exit_zero or not result.changes else 1
    refused = {}
    for change in result.changes:
        why = write_change(change)
        if why is not None:
            refused[change.display] = why
    left = run_lint(cfg, targets, opts)  # what is on disk now
    from pipeline.cli.reporters.lint import LINT_REPORTERS, use_colour

    colour = "always" if use_colour(sys.stdout if output is None else None, color) else "never"
    _to_output(output, lambda fh: LINT_REPORTERS[fmt](fh, color=colour).report(left))
    write_summary(sys.stderr, result, applied=True, refused=refused)
    if exit_zero:
        return 0
    return max(left.exit_code, 1 if refused else 0)


def _to_output(output: Path | None, write) -> None:
    write_report(write, output)  # whole or not at all, atomically for a file; a write error is a message
