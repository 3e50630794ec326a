"""The `pipeline new` command: write a page for a render sequence no page shows, then lint it."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, common_options, load_cfg, run_lint


@click.command()
@click.argument("sequence")
@common_options
@click.option("--title", help="The page title (default: 'The <structure> muscle of the <region>').")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the page here (default: named and placed like the site's pages).")
def new(sequence, config_file, images, title, output):
    """Write a page for the render sequence SEQUENCE (Leg-Soleus, or muscles/png/Leg-Soleus): permalink, title,
    tags, images, the full gallery and the includes, with a placeholder description to write (TXT009 reports it
    until then)."""
    from pipeline.content.atomic import write_bytes
    from pipeline.content.files import ImageFiles
    from pipeline.content.loader import load_site
    from pipeline.lint.fix.scaffold import ScaffoldError, scaffold
    from pipeline.lint.runner import LintOptions

    cfg = load_cfg(config_file, images)
    if not cfg.images.is_dir():
        raise UsageFailure(f"images root {cfg.images} is not a folder (set --images DIR)")
    site, _ = load_site([p for p in cfg.pages if p.exists()], cfg.images, article_roots=tuple(cfg.articles), root=cfg.root)
    try:
        made = scaffold(cfg, site, ImageFiles(cfg.images).sequences(), sequence, title=title, output=output)
    except ScaffoldError as e:
        raise UsageFailure(str(e)) from None
    write_bytes(made.path, made.text.encode("utf-8"))
    click.echo(f"wrote {made.path} ({made.permalink}); write its description, then run `pipeline lint`")
    result = run_lint(cfg, [made.path], LintOptions())
    for f in result.findings:
        click.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} [{f.severity.value}]")
