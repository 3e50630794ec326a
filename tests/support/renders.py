"""Deterministic synthetic muscle renders.

Draws a small anatomical scene -- one to three fusiform muscle bellies (up to
four on request) with their tendons, beside one or two pale bone shafts -- and
turns it about the vertical axis over ``frames`` orientations (orientation
``k`` is the angle ``2*pi*(k-1)/frames``).  The frames stand in for the real 16-orientation render
sequences (``muscles/png/<Stem>-1.png ... -16.png``): they have smooth shading,
a specular highlight, fibre texture, soft contact shadows and anti-aliased
edges, so the GIF/MP4/WebM encoders and thumbnailer can be exercised and
measured on realistic input without shipping real renders.

How it draws (``scene`` builds the scene, ``raster`` draws it): every surface is a quadric (ellipsoid, or a capped cylinder for
the bone) seen through an orthographic camera, so each pixel's front hit is the
root of a quadratic that numpy solves for a whole bounding box at once.  The
surfaces are composited back to front with a *soft* depth test and an analytic
silhouette coverage (signed distance to the projected outline), which gives
anti-aliased outer edges, occlusion edges and intersection curves without
super-sampling.  Lighting (key + fill diffuse, Blinn-Phong specular, hemisphere
ambient, rim) is computed in linear light and converted to sRGB through a
lookup table.  Only numpy and Pillow are needed, and the output bytes depend
only on the arguments: no clocks, no global random state, no PNG metadata.

Command line (the seed defaults to ``seed_for(NAME)``); the demo renders are::

    python -m tests.support.renders --out raw/images/muscles/png --name Leg-Lateral --bellies 2
    python -m tests.support.renders --out raw/images/muscles/png --name Leg-LateralGastrocnemius --bellies 1
    python -m tests.support.renders --out raw/images/muscles/png --name Leg-MedialGastrocnemius --bellies 1
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import sys
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from PIL import Image

from pipeline.content.atomic import write_bytes
from tests.support.raster import Canvas
from tests.support.scene import Prim, build_scene

__all__ = [
    "DEFAULT_FRAMES",
    "DEFAULT_SIZE",
    "PNG_COMPRESS_LEVEL",
    "render_frame",
    "render_sequence",
    "write_sequence",
    "seed_for",
    "main",
]

DEFAULT_FRAMES = 16
DEFAULT_SIZE = (600, 800)  # (width, height)
# zlib level for the PNGs: 4 encodes a 600x800 frame about 40% faster than the
# default 6 for ~5% more bytes (the files are inputs to encoders, not deliverables).
PNG_COMPRESS_LEVEL = 4


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height), not {size!r}") from None
    if w < 8 or h < 8 or w * h > 40_000_000:
        raise ValueError(f"size out of range: {w}x{h}")
    return w, h


def render_frame(
    index: int,
    frames: int,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
) -> Image.Image:
    """Render orientation ``index`` (1-based) of ``frames``.

    ``size`` is (width, height).  Returns an RGB image on white, or with
    ``transparent=True`` an RGBA image whose background is fully transparent
    (stored as transparent white) with anti-aliased, partially transparent
    silhouette edges.  ``seed`` chooses the scene (number, shape, placement and
    colour of the muscle bellies, the bones); ``bellies`` (1-4) overrides the
    number of bellies the seed would pick.
    """
    if frames < 1:
        raise ValueError(f"frames must be >= 1, not {frames}")
    if not 1 <= index <= frames:
        raise ValueError(f"index must be in 1..{frames}, not {index}")
    w, h = _check_size(size)
    return _render(build_scene(int(seed), bellies), index, frames, w, h, transparent)


def _render(scene: tuple[Prim, ...], index: int, frames: int, w: int, h: int, transparent: bool) -> Image.Image:
    theta = 2.0 * math.pi * (index - 1) / frames
    ct, st = math.cos(theta), math.sin(theta)
    rot_y = np.array([[ct, 0.0, st], [0.0, 1.0, 0.0], [-st, 0.0, ct]])
    # back to front by camera-space depth of each centre (ties broken by scene order)
    order = sorted(range(len(scene)), key=lambda i: (float((rot_y @ np.asarray(scene[i].center))[2]), i))
    canvas = Canvas(w, h)
    for i in order:
        canvas.draw(scene[i], rot_y)
    canvas.occlusion(radius_px=max(4, round(18 * h / 800)))
    return canvas.to_image(transparent)


def render_sequence(
    frames: int = DEFAULT_FRAMES,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
) -> Iterator[Image.Image]:
    """Iterate over the ``frames`` orientations of one scene, orientation 1 first.

    Arguments are checked at the call; frames are rendered lazily, one at a time.
    """
    if frames < 1:
        raise ValueError(f"frames must be >= 1, not {frames}")
    w, h = _check_size(size)
    scene = build_scene(int(seed), bellies)
    return (_render(scene, k, frames, w, h, transparent) for k in range(1, frames + 1))


def _png_bytes(img: Image.Image, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes:
    buf = io.BytesIO()
    # No pnginfo / icc / dpi: the bytes depend on the pixels and the compress level only.
    img.save(buf, format="PNG", compress_level=compress_level, optimize=False)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:      # unchanged: keep the file (and its mtime) as is
            return
    except OSError:
        pass
    write_bytes(path, data)  # under a temporary name a build's sweep recognises, renamed into place


def write_sequence(
    out_dir: Path,
    stem: str,
    frames: int = DEFAULT_FRAMES,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
    compress_level: int = PNG_COMPRESS_LEVEL,
) -> list[Path]:
    """Write ``<stem>-1.png ... <stem>-<frames>.png`` into ``out_dir``; return the paths.

    Each file is written atomically (``pipeline.content.atomic``: a temporary
    name in ``out_dir``, then renamed); a file whose bytes would not change is
    left untouched.
    """
    if not 0 <= compress_level <= 9:
        raise ValueError(f"compress_level must be 0..9, not {compress_level}")
    if not stem or "/" in stem or "\\" in stem or stem in (".", ".."):
        raise ValueError(f"bad stem: {stem!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, img in enumerate(render_sequence(frames, size, seed=seed, transparent=transparent, bellies=bellies), 1):
        p = out / f"{stem}-{k}.png"
        _write_atomic(p, _png_bytes(img, compress_level))
        paths.append(p)
    return paths


def seed_for(stem: str) -> int:
    """A stable 32-bit seed for a sequence name (SHA-256 based, same in every process)."""
    return int.from_bytes(hashlib.sha256(stem.encode("utf-8")).digest()[:4], "big")


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return _check_size((int(w), int(h)))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 600x800, not {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.support.renders",
        description="Write a deterministic synthetic muscle render sequence NAME-1.png ... NAME-N.png.",
    )
    ap.add_argument("--frames", type=int, default=DEFAULT_FRAMES, help="orientations (default: %(default)s)")
    ap.add_argument("--size", type=_parse_size, default=DEFAULT_SIZE, metavar="WxH",
                    help="frame size (default: 600x800)")
    ap.add_argument("--seed", type=int, default=None, help="scene seed (default: derived from --name)")
    ap.add_argument("--bellies", type=int, choices=(1, 2, 3, 4), default=None,
                    help="number of muscle bellies (default: chosen by the seed)")
    ap.add_argument("--transparent", action="store_true", help="RGBA with a transparent background")
    ap.add_argument("--compress-level", type=int, choices=range(10), default=PNG_COMPRESS_LEVEL, metavar="0-9",
                    help="PNG zlib level (default: %(default)s)")
    ap.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created)")
    ap.add_argument("--name", required=True, metavar="STEM", help="file name stem, e.g. Leg-Lateral")
    args = ap.parse_args(argv)
    if args.frames < 1:
        ap.error("--frames must be >= 1")
    seed = seed_for(args.name) if args.seed is None else args.seed
    try:
        paths = write_sequence(args.out, args.name, args.frames, args.size, seed=seed,
                               transparent=args.transparent, bellies=args.bellies,
                               compress_level=args.compress_level)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} frames {args.size[0]}x{args.size[1]} (seed {seed}) to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
