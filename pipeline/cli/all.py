"""The `pipeline all` command (what `make` runs): lint, then build the pages lint loaded, then one summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pipeline.cli.common import common_options, load_cfg, run_lint
from pipeline.cli.reporters.lint import TextReporter


@click.command("all")
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
def all_command(config_file, images, out):
    """Lint, then build; print one summary. Exit 1 when lint found errors or a build failed."""
    from pipeline.cli.build import run_build
    from pipeline.lint.runner import LintOptions

    t0 = time.perf_counter()
    cfg = load_cfg(config_file, images, out)
    result = run_lint(cfg, cfg.pages, LintOptions())
    TextReporter(sys.stdout).report(result)
    b = run_build(cfg, cfg.pages, pages=[p for p in result.site.pages if p.reported])  # loaded once, by lint
    s = result.summary()
    click.echo("")
    click.echo("Summary")
    click.echo(f"  pages checked   {s['pages']}")
    click.echo(f"  findings        {s['findings']} ({s['errors']} error(s), {s['warnings']} warning(s))")
    failed = len(b.failures) + len(b.skipped)
    click.echo(f"  sequences       {b.units}" + (f" ({failed} failed or skipped)" if failed else " (all current)"))
    click.echo(f"  files written   {len(b.built)} to {cfg.out} ({b.current} up to date, {len(b.removed)} removed)")
    click.echo(f"  time            {time.perf_counter() - t0:.1f}s")
    sys.exit(max(result.exit_code, b.exit_code))
