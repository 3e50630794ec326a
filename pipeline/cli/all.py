"""The `pipeline all` command (what `make` runs): lint, then build the pages lint loaded, then one summary."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from pipeline.cli.common import common_options, load_cfg, run_lint, write_report
from pipeline.cli.reporters.lint import TextReporter


@click.command("all")
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one document {lint, build, summary} on standard output (build progress goes to standard error).")
def all_command(config_file, images, out, fmt):
    """Lint, then build; print one summary. Exit 1 when lint found errors or a build failed."""
    from pipeline.cli.build import run_build
    from pipeline.lint.runner import LintOptions

    t0 = time.perf_counter()
    cfg = load_cfg(config_file, images, out)
    result = run_lint(cfg, cfg.site_roots, LintOptions())
    if fmt == "text":
        TextReporter(sys.stdout).report(result)
    loaded = [p for p in result.site.pages if p.reported]  # loaded once, by lint
    b = run_build(cfg, cfg.pages, pages=loaded, fmt="text" if fmt == "text" else None)
    code = max(result.exit_code, b.exit_code)
    if fmt == "json":
        write_report(lambda out: out.write(json.dumps(_document(result, b, cfg, code), indent=2, ensure_ascii=False) + "\n"))
    else:
        _summary(result, b, cfg, time.perf_counter() - t0)
    sys.exit(code)


def _document(result, b, cfg, code: int) -> dict:
    from pipeline.cli.reporters.build import build_document
    from pipeline.cli.reporters.lint import lint_document

    return {"lint": lint_document(result), "build": build_document(b, Path(cfg.show(cfg.out))), "summary": {"exit_code": code}}


def _summary(result, b, cfg, seconds: float) -> None:
    s = result.summary()
    click.echo("")
    click.echo("Summary")
    click.echo(f"  pages checked   {s['pages']}")
    click.echo(f"  findings        {s['findings']} ({s['errors']} error(s), {s['warnings']} warning(s))")
    failed = len(b.failures) + len(b.skipped)
    click.echo(f"  sequences       {b.units}" + (f" ({failed} failed or skipped)" if failed else " (all current)"))
    click.echo(f"  files written   {len(b.built)} to {cfg.show(cfg.out)} ({b.current} up to date, {len(b.removed)} removed)")
    click.echo(f"  time            {seconds:.1f}s")
