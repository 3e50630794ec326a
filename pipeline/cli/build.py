"""The `pipeline build` command: options -> build library call -> report (``reporters.build``) -> exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, common_options, write_report
from pipeline.cli.common import load_cfg as _config
from pipeline.cli.reporters.build import BUILD_REPORTERS
from pipeline.config import Config, ConfigError


class _BuildCommand(click.Command):
    """The help ends with the output kinds, read from the registry when the help is shown."""

    def format_epilog(self, ctx, formatter) -> None:
        from pipeline.encode import kinds

        with formatter.section("Outputs"):
            formatter.write_dl([(k.name, k.description or k.per.value) for k in kinds.registered()])
        super().format_epilog(ctx, formatter)


@click.command(cls=_BuildCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder (overrides [tool.pipeline] out).")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option("--check", is_flag=True, help="Build nothing; list what is stale or missing and exit 1, or exit 0 when everything is current (for CI).")
@click.option("--dry-run", "dry_run", is_flag=True, help="Build nothing; print what a build would write and remove.")
@click.option("--shard", metavar="K/N", help="Build only shard K of N of the sequences (a stable partition by name), into --out; `pipeline merge` joins the shards.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help="Worker processes (default: the CPUs this process may use); the encoders' threads share the CPUs with them.")
@click.option("-q", "--quiet", is_flag=True, help="Only problems and the final summary.")
@click.option("-v", "--verbose", is_flag=True, help="One line per output, up-to-date ones included, and per-sequence times.")
@click.option("--format", "fmt", type=click.Choice(list(BUILD_REPORTERS)), default="text", show_default=True, help="Output format: json is one document on standard output (progress goes to standard error).")
def build(paths, config_file, images, out, force, check, dry_run, shard, jobs, quiet, verbose, fmt):
    """Build the outputs every page asks for under the output folder: the output kinds listed below, per
    animation (the GIF and the videos beside it) or per gallery PNG (its thumbnail).

    Only outputs whose frames (by content), encoder settings or encoder versions changed, or that are missing or
    were altered, are rebuilt; outputs whose page or sequence is gone are removed. The build state, beside the
    configuration in .pipeline/ (one per output folder), records what produced each output. A second build on the
    same output folder waits for the first.
    """
    if check and dry_run:
        raise UsageFailure("--check and --dry-run are exclusive")
    if quiet and verbose:
        raise UsageFailure("--quiet and --verbose are exclusive")
    if force and check:
        raise UsageFailure("--force and --check are exclusive")
    part = _shard(shard, paths)
    cfg = _config(config_file, images, out)
    result = run_build(cfg, list(paths) or cfg.pages, force=force, check=check, dry_run=dry_run, jobs=jobs, quiet=quiet, verbose=verbose, fmt=fmt, shard=part)
    sys.exit(result.exit_code)


def _shard(spec: str | None, paths):
    """``--shard K/N`` (a whole-site build only: the partition is of every page's sequences)."""
    if spec is None:
        return None
    from pipeline.build.shard import Shard

    if paths:
        raise UsageFailure("--shard builds a part of the whole site: give no PATH")
    try:
        return Shard.parse(spec)
    except ValueError as e:
        raise UsageFailure(str(e)) from None


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
    fmt: str | None = "text",
    shard=None,
):
    """Build (or check) ``targets`` (or the already loaded ``pages``); print problems and (in ``fmt``; None: the
    caller reports) a summary; return the BuildResult. Outside the text format, progress goes to standard error."""
    from pipeline.build.api import BuildOptions, build_paths
    from pipeline.build.progress import Progress
    from pipeline.lint.inputs import BuildInputCheck

    _need_build_packages(cfg)
    options = BuildOptions(force=force, check=check, dry_run=dry_run, jobs=jobs, whole_site=_same_targets(targets, cfg.pages), shard=shard)
    progress = Progress(sys.stdout if fmt == "text" else sys.stderr, sys.stderr, verbose=verbose, quiet=quiet or check)
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
    if fmt is not None:
        _report(result, cfg, fmt, check=check, dry_run=dry_run)
    return result


def _report(result, cfg: Config, fmt: str, *, check: bool, dry_run: bool) -> None:
    out = Path(cfg.show(cfg.out))
    if fmt == "text":  # line by line, after the progress lines
        BUILD_REPORTERS[fmt](sys.stdout, out=out, check=check, dry_run=dry_run).report(result)
    else:
        write_report(lambda stream: BUILD_REPORTERS[fmt](stream, out=out, check=check, dry_run=dry_run).report(result))


def _need_build_packages(cfg: Config, wanted=None) -> None:
    """The build's encoders come with the "build" extra; a lint-only install says so instead of failing later.
    ``wanted``: the output kinds to make (default: those the configuration enables)."""
    from importlib import metadata

    from pipeline.encode import kinds

    missing = set()
    for kind in kinds.enabled(cfg.encode) if wanted is None else wanted:
        for package in kind.packages:
            try:
                metadata.distribution(package)
            except metadata.PackageNotFoundError:
                missing.add(package)
    if missing:
        raise UsageFailure(
            f"the build needs {', '.join(sorted(missing))}, which this installation lacks: install the build extra "
            "(pip install 'atlas-pipeline[build]'; `make` does)"
        )
