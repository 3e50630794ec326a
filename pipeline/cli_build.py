"""The `pipeline build` command: options -> build library call -> report -> exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli_common import UsageFailure, common_options
from pipeline.cli_common import load_cfg as _config
from pipeline.config import Config


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder (overrides [tool.pipeline] out).")
def build(paths, config_file, images, out):
    """Build every page's GIF (and MP4/WebM beside it) and a thumbnail per gallery PNG under the output folder."""
    cfg = _config(config_file, images, out)
    result = run_build(cfg, list(paths) or cfg.pages)
    sys.exit(result.exit_code)


def run_build(cfg: Config, targets: list[Path]):
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


