"""The `pipeline encode` command: one sequence of frames -> one GIF, MP4 or WebM, outside any page, with the build's
encoders and the configured settings (``pipeline.encode.kinds``, ``load_frames``, ``pipeline.content.atomic``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from pipeline.cli.common import UsageFailure, load_cfg


@click.command(short_help="Encode frames to a GIF, MP4 or WebM, as the build does.")
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("frames", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file (default: the nearest pyproject.toml; its [tool.pipeline.encode] settings are used).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def encode(output, frames, config_file, quiet):
    """Encode the PNG FRAMES, in the order given, into OUTPUT, whose suffix says the format: .gif, .mp4 or .webm
    (WebM: the configured webm_codec). The same encoders and [tool.pipeline.encode] settings as `pipeline build`,
    so OUTPUT is byte for byte the build's output for those frames; for a one-off re-render, or to compare with
    other encoders on the same frames. OUTPUT is written atomically: the whole file or, on an error, nothing.

    \b
    pipeline encode out/Leg-Lateral.webm raw/images/muscles/png/Leg-Lateral-{1..16}.png
    """
    from pipeline.cli.build import _need_build_packages
    from pipeline.encode import kinds

    kind = kinds.by_suffix(output.suffix)
    if kind is None:
        known = ", ".join(k.suffix for k in kinds.registered() if k.per is kinds.Per.ANIMATION)
        raise UsageFailure(f"{output}: cannot tell the format from the suffix {output.suffix or '(none)'!r}: use one of {known}")
    cfg = load_cfg(config_file)
    _need_build_packages(cfg, [kind])
    t0 = time.perf_counter()
    try:
        size, n = _write(kind, list(frames), output, cfg.encode)
    except OSError as e:
        raise click.ClickException(f"{e.filename or output}: {e.strerror or e}") from None
    if not quiet:
        click.echo(f"wrote {output}: {kind.name}, {n} frame(s) {size[0]}x{size[1]}, {output.stat().st_size / 1e3:.1f} kB in {time.perf_counter() - t0:.1f}s")
    sys.exit(0)


def _write(kind, frames: list[Path], output: Path, settings) -> tuple[tuple[int, int], int]:
    """Decode ``frames`` and write ``kind``'s file at ``output`` atomically; a bad frame or a failed encoder is a
    message naming it and exit 1, with nothing written."""
    from pipeline.content.atomic import atomic_path
    from pipeline.encode.frames import FrameError, load_frames
    from pipeline.encode.tools import EncodeError

    try:
        decoded = load_frames(frames, settings)
        with atomic_path(output) as tmp:
            kind.write(decoded, tuple(range(len(decoded))), tmp, settings)
    except FrameError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except EncodeError as e:
        click.echo(f"error: {output}: {e}", err=True)
        sys.exit(1)
    return decoded.size, len(decoded)
