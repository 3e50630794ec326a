"""The `pipeline lint` command: options -> lint library call -> reporter -> exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.common import common_options, load_cfg, run_lint, split_codes
from pipeline.cli.reporters.lint import LINT_REPORTERS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--no-files", is_flag=True, help="Skip the checks that read the images root (IMG…).")
@click.option("--format", "fmt", type=click.Choice(list(LINT_REPORTERS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (configuration errors still exit 2).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour in text output (NO_COLOR is honoured).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file instead of standard output.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what is left.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 when there is something to fix).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply the fixes that may change what a text means.")
def lint(paths, config_file, images, no_files, fmt, select, ignore, strict, exit_zero, color, output, fix, diff, unsafe_fixes):
    """Check pages (default: [tool.pipeline] pages) and report findings as path:line:column: CODE message."""
    from pipeline.lint.runner import LintOptions

    cfg = load_cfg(config_file, images)
    opts = LintOptions(select=split_codes(select), ignore=split_codes(ignore), check_files=not no_files, strict=strict)
    if fix or diff:
        from pipeline.cli.lint_fix import fix_and_report

        sys.exit(fix_and_report(cfg, list(paths) or cfg.pages, opts, diff=diff, unsafe=unsafe_fixes, fmt=fmt, color=color, output=output, exit_zero=exit_zero))
    result = run_lint(cfg, list(paths) or cfg.pages, opts)
    if output is None:
        LINT_REPORTERS[fmt](sys.stdout, color=color).report(result)
    else:
        with output.open("w", encoding="utf-8") as fh:
            LINT_REPORTERS[fmt](fh, color=color).report(result)
    sys.exit(0 if exit_zero else result.exit_code)
