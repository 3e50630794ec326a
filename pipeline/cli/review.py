"""The `pipeline review` command: lint the site, gather what the last build made, write a static review folder."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, common_options, load_cfg, run_lint

REVIEW_FOLDER = "review"  # under the output folder's state folder, .pipeline/<out>/review


@click.command()
@common_options
@click.option("--out", "dest", type=click.Path(path_type=Path, file_okay=False),
              help="Write the review folder here (default: .pipeline/<output folder>/review, beside the build state).")
@click.option("--from", "build_out", type=click.Path(path_type=Path, file_okay=False),
              help="The build output folder to review (default: [tool.pipeline] out).")
@click.option("--changed", is_flag=True, help="Only the sequences the last build that changed animations created or replaced, and those "
              "re-rendered since (marked stale).")
def review(config_file, images, dest, build_out, changed):
    """Write a static review page of the build's outputs, to open from disk (file://, no server): each sequence
    with its GIF, its WebM and MP4, its orientations as thumbnails linking to the renders, its lint findings, and,
    for one the last build replaced, the previous GIF beside the new one. The folder holds every file it shows
    (hard-linked where possible) and is replaced whole. Exit 0 when written, 2 on a usage or configuration error.
    """
    from pipeline.build.state import make_state_dir, state_dir
    from pipeline.lint.runner import LintOptions
    from pipeline.review import ReviewError, collect, write_review

    cfg = load_cfg(config_file, images, build_out)
    if not cfg.images.is_dir():
        raise UsageFailure(f"images root {cfg.show(cfg.images)} is not a folder (set --images DIR)")
    if build_out is not None and not build_out.is_dir():
        raise UsageFailure(f"--from {build_out}: not a folder")
    if dest is None:  # beside the build state, in .pipeline/ (which keeps itself out of git)
        dest = state_dir(cfg.root, cfg.out) / REVIEW_FOLDER
        try:
            make_state_dir(dest.parent)
        except OSError as e:
            raise UsageFailure(f"{cfg.show(dest.parent)}: {e.strerror or e}") from None
    result = run_lint(cfg, cfg.site_roots, LintOptions(exit_zero=True))
    pages = [p for p in result.site.pages if p.reported]
    rv = collect(cfg, pages, result.findings, changed_only=changed)
    try:
        written = write_review(rv, dest, forbidden=[cfg.out, cfg.images, *cfg.site_roots], above=[cfg.root])
    except ReviewError as e:
        raise UsageFailure(str(e)) from None
    n_changed = sum(1 for s in rv.sequences if s.changed)
    findings = sum(len(s.findings) for s in rv.sequences) + len(rv.other_findings)
    click.echo(f"review: {len(rv.sequences)} sequence(s) ({n_changed} changed by the last build), {findings} finding(s), "
               f"{written.files} file(s) -> {cfg.show(dest)}/index.html")
    stale = [s for s in rv.sequences if s.stale]
    if stale:
        click.echo(f"note: {len(stale)} sequence(s) stale (their renders changed since the last build), e.g. "
                   f"{stale[0].animation}: run `pipeline build` and review again", err=True)
    if not rv.built:
        click.echo(f"note: nothing is recorded as built in {cfg.show(cfg.out)}; run `pipeline build` first", err=True)
    click.echo(f"open {(Path(dest).resolve() / 'index.html').as_uri()}")
