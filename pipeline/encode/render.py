"""Gallery renders as the site serves them: each source PNG recompressed losslessly with oxipng (``pyoxipng``).

The gallery links every thumbnail to its full render ``X.png``, so the published folder needs the renders too.
oxipng rewrites the PNG with the smallest encoding it finds (row filters, colour type, bit depth and palette
reductions, libdeflater) without changing a pixel: transparent pixels keep their colour (``optimize_alpha`` off),
and the chunks that change how a browser shows the image (``KEEP``: colour profile, sRGB, gamma, chromaticities,
pixel size) are kept while text and time stamps go. A result that is not smaller is the source itself. Every
result is decoded and compared with its source, pixel for pixel, before it is written: should the two ever
differ, the source bytes are published instead.

oxipng rather than our own: it is a well-kept optimiser (MIT), shipped as a binary wheel, multi-threaded, and
its output depends only on its input and options.

Its threads (a rayon pool, started by its first call) do not survive ``fork``: in a child forked from a process
that has already called it (the build's workers are forked; a process may build serially, then in parallel),
a call would wait forever for threads that are not there. Such a child runs each optimisation in a fresh
interpreter instead (``python -m pipeline.encode.render LEVEL``, PNG on stdin, result on stdout).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError

KEEP = (b"cICP", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"pHYs")


_pool_pid: int | None = None  # the process whose oxipng thread pool is running


def optimise_png(data: bytes, level: int) -> bytes:
    """The smallest lossless re-encoding oxipng finds at preset ``level`` (0-6), or ``data`` when none is smaller."""
    global _pool_pid
    if _pool_pid is not None and _pool_pid != os.getpid():
        return _optimise_in_a_fresh_process(data, level)
    out = _optimise_here(data, level)
    _pool_pid = os.getpid()
    return out


def _optimise_in_a_fresh_process(data: bytes, level: int) -> bytes:
    r = subprocess.run([sys.executable, "-m", "pipeline.encode.render", str(int(level))], input=data, capture_output=True)
    if r.returncode != 0:
        raise EncodeError(r.stderr.decode(errors="replace").strip().splitlines()[-1] if r.stderr.strip()
                          else f"render: the optimiser stopped with status {r.returncode}")
    return r.stdout


def _optimise_here(data: bytes, level: int) -> bytes:
    import oxipng

    try:
        out = oxipng.optimize_from_memory(
            data, level=int(level), strip=oxipng.StripChunks.keep(list(KEEP)), optimize_alpha=False, fix_errors=False
        )
    except oxipng.PngError as e:
        raise EncodeError(f"render: oxipng cannot read it: {e}") from None
    return out if len(out) < len(data) else data


def same_pixels(a: bytes, b: bytes) -> bool:
    """Whether two PNGs decode to the same pixels (as RGBA, 16-bit samples compared in full)."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        if x.size != y.size:
            return False
        return np.array_equal(_samples(x), _samples(y))


def _samples(im):
    """Every sample of an image at full precision: 16-bit modes as they are, everything else as RGBA."""
    import numpy as np

    if im.mode in ("I;16", "I;16B", "I", "I;16L"):
        return np.asarray(im.convert("I"))
    return np.asarray(im.convert("RGBA"))


def publish_render(source: Path, dest: Path, settings: EncodeSettings) -> None:
    """Write the render at ``source`` to ``dest``, losslessly optimised at ``settings.render_level``."""
    try:
        data = Path(source).read_bytes()
    except OSError as e:
        raise EncodeError(f"render: cannot read {source}: {e.strerror or e}") from None
    out = optimise_png(data, settings.render_level)
    if out is not data and not same_pixels(data, out):
        out = data
    with open(dest, "wb") as f:
        f.write(out)


if __name__ == "__main__":  # a fresh interpreter for a forked child (see the module's docstring)
    try:
        sys.stdout.buffer.write(_optimise_here(sys.stdin.buffer.read(), int(sys.argv[1])))
    except EncodeError as e:
        sys.exit(f"{e}")
