"""The `pipeline merge` command: shard output folders -> one output folder and its state (``pipeline.build.merge``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, load_cfg


@click.command(short_help="Join the output folders of `pipeline build --shard K/N`.")
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file (default: the nearest pyproject.toml).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="The merged output folder (default: [tool.pipeline] out).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def merge(shards, config_file, out, quiet):
    """Join the output folders SHARDS of `pipeline build --shard K/N --out SHARD` (all N of them, with their build
    state) into one output folder and its state, the same byte for byte as one build of the whole site.

    Shards of other partitions, sites, settings or tool versions, missing, repeated, unfinished or failed shards
    are refused (exit 2) and nothing is written; the merged folder replaces --out in one rename.
    """
    from pipeline.build.merge import MergeError, merge as merge_shards

    cfg = load_cfg(config_file, None, out)
    try:
        result = merge_shards(cfg, list(shards), cfg.out)
    except MergeError as e:
        for p in e.problems:
            click.echo(f"merge: {p}", err=True)
        raise UsageFailure(f"nothing merged ({len(e.problems)} problem(s) above)") from None
    except OSError as e:
        raise click.ClickException(f"{e.filename or cfg.out}: {e.strerror or e}") from None
    if not quiet:
        click.echo(f"merge: {result.shards} shard(s), {result.outputs} outputs ({result.bytes / 1e6:.1f} MB) -> {cfg.show(result.out)} in {result.seconds:.1f}s")
    sys.exit(0)
