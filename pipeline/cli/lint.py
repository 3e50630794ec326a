"""The `pipeline lint` command: options -> lint library call -> reporter -> exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, common_options, load_cfg, run_lint, split_codes, write_report
from pipeline.cli.reporters.lint import LINT_REPORTERS, use_colour


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--no-files", is_flag=True, help="Skip the checks that read the images root (IMG…).")
@click.option("--format", "fmt", type=click.Choice(list(LINT_REPORTERS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (configuration errors still exit 2).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour in text output (NO_COLOR, FORCE_COLOR and TERM=dumb are honoured).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file instead of standard output (atomically).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what is left.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 when there is something to fix).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply the fixes that may change what a text means.")
@click.option("--stdin-filename", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH", help="With '-': lint standard input as if it were the file PATH, with the rest of the site as context (for editors).")
@click.option("--site-files-only", is_flag=True, help="Of the given files, lint only those under [tool.pipeline] pages or articles and ignore the others (what the pre-commit hook passes).")
def lint(paths, config_file, images, no_files, fmt, select, ignore, strict, exit_zero, color, output, fix, diff, unsafe_fixes, stdin_filename, site_files_only):
    """Check pages (default: [tool.pipeline] pages and articles) and report findings as path:line:column: CODE
    message. PATH '-' reads one page from standard input. Paths in the report are relative to the project root (the
    folder of the configuration file)."""
    from pipeline.lint.runner import LintOptions

    cfg = load_cfg(config_file, images)
    opts = LintOptions(
        select=split_codes(select), ignore=split_codes(ignore), check_files=not no_files, strict=strict, exit_zero=exit_zero,
        site_files_only=site_files_only,
    )
    stdin = _stdin(paths, stdin_filename)
    if fix or diff:
        if stdin is not None:
            raise UsageFailure("--fix and --diff change files: they do not read standard input")
        from pipeline.cli.lint_fix import fix_and_report

        sys.exit(fix_and_report(cfg, list(paths) or cfg.site_roots, opts, diff=diff, unsafe=unsafe_fixes, fmt=fmt, color=color, output=output, exit_zero=exit_zero))
    result = run_lint(cfg, list(paths) or cfg.site_roots, opts, stdin=stdin)
    colour = use_colour(sys.stdout if output is None else None, color)
    write_report(lambda out: LINT_REPORTERS[fmt](out, color="always" if colour else "never").report(result), output)
    sys.exit(result.exit_code)


def _stdin(paths: tuple[Path, ...], filename: Path | None) -> tuple[bytes, Path | None] | None:
    """The page on standard input when PATH is '-' (alone), with the file it stands for."""
    if Path("-") not in paths:
        if filename is not None:
            raise UsageFailure("--stdin-filename is for a page read from standard input: give '-' as the PATH")
        return None
    if len(paths) > 1:
        raise UsageFailure("'-' (standard input) cannot be combined with other paths")
    return sys.stdin.buffer.read(), filename
