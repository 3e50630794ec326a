"""Command line: a thin click layer over the library. Exit codes: 0 clean, 1 findings/failures, 2 usage or configuration."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import click

from pipeline import __version__
from pipeline import rules as rule_registry
from pipeline.config import Config, ConfigError, load_config

FORMATS = ["text", "json", "github", "sarif"]


class UsageFailure(click.ClickException):
    exit_code = 2


def _config(config_file: Path | None, images: Path | None = None, out: Path | None = None) -> Config:
    try:
        cfg = load_config(config_file)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if images is not None:
        cfg.images = images
    if out is not None:
        cfg.out = out
    return cfg


def common_options(f):
    @click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file (default: the nearest pyproject.toml).")
    @click.option("--images", type=click.Path(path_type=Path, file_okay=False), help="Root of the renders (overrides [tool.pipeline] images).")
    @functools.wraps(f)
    def wrapper(*a, **k):
        return f(*a, **k)

    return wrapper


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
    from pipeline.lint import LintOptions, lint_paths
    from pipeline.reporters import REPORTERS, use_colour

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


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder (overrides [tool.pipeline] out).")
def build(paths, config_file, images, out):
    """Build every page's GIF (and MP4/WebM beside it) and a thumbnail per gallery PNG under the output folder."""
    cfg = _config(config_file, images, out)
    result = _run_build(cfg, list(paths) or cfg.pages)
    sys.exit(result.exit_code)


def _run_build(cfg: Config, targets: list[Path]):
    from pipeline.build import build_site
    from pipeline.loader import load_site

    site, missing = load_site(targets, cfg.images, article_roots=tuple(cfg.articles), max_bytes=cfg.max_page_bytes)
    if missing:
        raise UsageFailure("; ".join(missing))
    result = build_site(site, cfg)
    for s in result.skipped:
        click.echo(f"{s.page}:{s.line}: skipped: {s.reason}", err=True)
    for f in result.failures:
        click.echo(f"{f.page}:{f.line}: build failed: {f.message}", err=True)
    click.echo(f"built {result.units - len(result.failures)} of {result.units} animation(s), {len(result.built)} file(s) written to {cfg.out} in {result.seconds:.1f}s")
    return result


@cli.command("all")
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
def all_(config_file, images, out):
    """Lint, then build; print one summary. Exit 1 when lint found errors or a build failed."""
    from pipeline.lint import LintOptions, lint_paths
    from pipeline.reporters import report_text, use_colour

    t0 = time.perf_counter()
    cfg = _config(config_file, images, out)
    try:
        result, missing = lint_paths(cfg.pages, cfg, LintOptions())
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if missing:
        raise UsageFailure("; ".join(missing))
    report_text(result, sys.stdout, colour=use_colour(sys.stdout))
    b = _run_build(cfg, cfg.pages)
    s = result.summary()
    click.echo("")
    click.echo("Summary")
    click.echo(f"  pages checked   {s['pages']}")
    click.echo(f"  findings        {s['findings']} ({s['errors']} error(s), {s['warnings']} warning(s))")
    click.echo(f"  sequences built {b.units - len(b.failures)} of {b.units}")
    click.echo(f"  files written   {len(b.built)} to {cfg.out}")
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


def main() -> None:
    cli(prog_name="pipeline")
