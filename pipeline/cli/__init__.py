"""Command line: a thin click layer over the library. Exit codes: 0 clean, 1 findings/failures, 2 usage or configuration."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pipeline import __version__
from pipeline.lint import rules as rule_registry
from pipeline.cli.common import UsageFailure, common_options
from pipeline.cli.common import load_cfg as _config
from pipeline.config import ConfigError

FORMATS = ["text", "json", "github", "sarif"]


def _codes(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out += [c.strip() for c in v.split(",") if c.strip()]
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """Lint the atlas pages and build their animations and thumbnails.

    \b
    pipeline lint                 check raw/pages against the schema, the renders and each other
    pipeline build                make dist/: GIF, MP4, WebM and thumbnails, rebuilding what changed
    pipeline all                  lint, then build, then one summary (what `make` runs)
    pipeline rules [CODE]         document the rules
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--no-files", is_flag=True, help="Skip the checks that read the images root (IMG…).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (configuration errors still exit 2).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour in text output (NO_COLOR is honoured).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file instead of standard output.")
def lint(paths, config_file, images, no_files, fmt, select, ignore, strict, exit_zero, color, output):
    """Check pages (default: [tool.pipeline] pages) and report findings as path:line:column: CODE message."""
    from pipeline.lint.runner import LintOptions, lint_paths
    from pipeline.lint.reporters import REPORTERS, use_colour

    cfg = _config(config_file, images)
    opts = LintOptions(select=_codes(select), ignore=_codes(ignore), check_files=not no_files, strict=strict)
    targets = list(paths) or cfg.pages
    try:
        result, missing = lint_paths(targets, cfg, opts)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if missing:
        raise UsageFailure("; ".join(missing))
    stream = sys.stdout
    fh = None
    if output is not None:
        fh = output.open("w", encoding="utf-8")
        stream = fh
    try:
        reporter = REPORTERS[fmt]
        if fmt == "text":
            reporter(result, stream, colour=use_colour(stream, color))
        else:
            reporter(result, stream)
    finally:
        if fh:
            fh.close()
    sys.exit(0 if exit_zero else result.exit_code)


@cli.command("all")
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
def all_(config_file, images, out):
    """Lint, then build; print one summary. Exit 1 when lint found errors or a build failed."""
    from pipeline.lint.runner import LintOptions, lint_paths
    from pipeline.lint.reporters import report_text, use_colour

    t0 = time.perf_counter()
    cfg = _config(config_file, images, out)
    try:
        result, missing = lint_paths(cfg.pages, cfg, LintOptions())
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if missing:
        raise UsageFailure("; ".join(missing))
    report_text(result, sys.stdout, colour=use_colour(sys.stdout))
    from pipeline.cli.build import run_build

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


@cli.command()
@click.argument("code", required=False)
def rules(code):
    """List the rules, or document one (with a passing and a failing example)."""
    if code is None:
        for c in rule_registry.codes():
            m = rule_registry.get(c)
            files = " (reads renders)" if m.NEEDS_FILES else ""
            click.echo(f"{c}  {m.SEVERITY.value:<7}  {m.SUMMARY}{files}")
        return
    c = code.upper()
    if c not in rule_registry.RULES:
        raise UsageFailure(f"unknown rule {code!r}; `pipeline rules` lists them")
    m = rule_registry.get(c)
    click.echo(f"{c}: {m.SUMMARY}  [default severity: {m.SEVERITY.value}]\n")
    click.echo((m.__doc__ or "").strip() + "\n")
    click.echo("Passing example:\n" + _indent(m.PASSING))
    click.echo("Failing example:\n" + _indent(m.FAILING))


def _indent(s: str) -> str:
    return "".join("    " + line + "\n" for line in s.rstrip("\n").splitlines())


from pipeline.cli.build import build  # noqa: E402  (registers the build command)

cli.add_command(build)


def main() -> None:
    cli(prog_name="pipeline")
