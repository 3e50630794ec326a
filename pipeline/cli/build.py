"""The `pipeline build` command: options -> build library call -> report -> exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, common_options
from pipeline.cli.common import load_cfg as _config
from pipeline.config import Config, ConfigError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder (overrides [tool.pipeline] out).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option("--check", is_flag=True, help="Build nothing; list what is stale or missing and exit 1, or exit 0 when everything is current (for CI).")
@click.option("--dry-run", "dry_run", is_flag=True, help="Build nothing; print what a build would write and remove.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help="Worker processes (default: the number of CPUs).")
@click.option("-q", "--quiet", is_flag=True, help="Only problems and the final summary.")
@click.option("-v", "--verbose", is_flag=True, help="One line per output, up-to-date ones included, and per-sequence times.")
def build(paths, config_file, images, out, force, check, dry_run, jobs, quiet, verbose):
    """Build every page's GIF (and MP4/WebM beside it) and a thumbnail per gallery PNG under the output folder.

    Only outputs whose frames (by content), encoder settings or encoder versions changed, or that are missing or
    were altered, are rebuilt; outputs whose page or sequence is gone are removed. A manifest in the output folder
    records what produced each output. A second build on the same output folder waits for the first.
    """
    if check and dry_run:
        raise UsageFailure("--check and --dry-run are exclusive")
    if quiet and verbose:
        raise UsageFailure("--quiet and --verbose are exclusive")
    if force and check:
        raise UsageFailure("--force and --check are exclusive")
    cfg = _config(config_file, images, out)
    result = run_build(cfg, list(paths) or cfg.pages, force=force, check=check, dry_run=dry_run, jobs=jobs, quiet=quiet, verbose=verbose)
    sys.exit(result.exit_code)


def _same_targets(a: list[Path], b: list[Path]) -> bool:
    return sorted(os.path.abspath(p) for p in a) == sorted(os.path.abspath(p) for p in b)


def run_build(
    cfg: Config,
    targets: list[Path],
    *,
    force: bool = False,
    check: bool = False,
    dry_run: bool = False,
    jobs: int | None = None,
    quiet: bool = False,
    verbose: bool = False,
    pages=None,
):
    """Build (or check) ``targets`` (or the already loaded ``pages``); print problems and a summary; return the BuildResult."""
    from pipeline.build.api import BuildOptions, build_paths
    from pipeline.lint.inputs import BuildInputCheck
    from pipeline.build.progress import Progress

    options = BuildOptions(force=force, check=check, dry_run=dry_run, jobs=jobs, whole_site=_same_targets(targets, cfg.pages))
    progress = Progress(sys.stdout, sys.stderr, verbose=verbose, quiet=quiet or check)
    if cfg.out.exists() and not cfg.out.is_dir():
        raise UsageFailure(f"output folder {cfg.out} exists and is not a folder")
    try:
        result, missing = build_paths(cfg, targets, options, progress, check=BuildInputCheck(cfg), pages=pages)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    except KeyboardInterrupt:
        click.echo("build interrupted: outputs written so far are complete and recorded; run `pipeline build` again to finish", err=True)
        sys.exit(130)
    except OSError as e:  # the output folder itself cannot be used (permissions, disk, lock): no traceback
        where = e.filename or cfg.out
        raise click.ClickException(f"{where}: {e.strerror or e}") from None
    if missing:
        raise UsageFailure("; ".join(missing))
    echo = click.echo
    if check:
        for s in result.stale:
            echo(f"{s.page}:{s.line}: {s.path}: stale ({s.reason})")
        for r in result.to_remove:
            echo(f"{r}: would be removed (its page or sequence is gone)")
        n = len(result.stale) + len(result.to_remove)
        if n or result.failures or result.skipped:
            problems = len(result.failures) + len(result.skipped)
            echo(
                f"check: {cfg.out} is not current: {len(result.stale)} output(s) stale or missing, {len(result.to_remove)} to remove"
                + (f", {problems} page problem(s)" if problems else "")
                + f"; run `pipeline build` ({result.seconds:.1f}s)"
            )
        else:
            echo(f"check: {cfg.out} is current: {result.current} output(s) up to date ({result.seconds:.1f}s)")
        return result
    if dry_run:
        for s in result.stale:
            echo(f"build   {s.path}  ({s.reason})  [{s.page}:{s.line}]")
        for r in result.to_remove:
            echo(f"remove  {r}  (its page or sequence is gone)")
        echo(f"plan: {len(result.stale)} to build, {len(result.to_remove)} to remove, {result.current} up to date, {len(result.failures)} failed ({result.seconds:.1f}s)")
        return result
    copied = f" ({len(result.reused)} copied from identical outputs)" if result.reused else ""
    echo(
        f"build: {len(result.built)} built{copied}, {result.current} up to date, {len(result.removed)} removed, "
        f"{len(result.failures) + len(result.skipped)} failed or skipped; {result.units} sequence(s) in {result.seconds:.1f}s -> {cfg.out}"
    )
    return result
