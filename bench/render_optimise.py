"""Bytes saved by publishing the gallery renders losslessly optimised (oxipng through pyoxipng), and what it costs.

Two sets, measured in one run:
  * the demo renders (raw/images/muscles/png, 48 PNGs);
  * realistic renders from the project's generator (tests/support/renders.py) at 600x800, 16 orientations of
    ``--sequences`` sequences (written once under .bench/render_optimise/).

For each oxipng preset (``--levels``) and each set: the bytes before and after, the ratio to the input (the
baseline of the same run), the CPU time per render (process time: what the build's workers spend; other work on a
shared machine distorts it least), and whether every render decodes to the same pixels (Pillow, RGBA) as its
source. The build's own preset is ``pipeline.encode.render``'s defaults.

    python bench/render_optimise.py [--levels 1,2,3,4] [--sequences 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.renders import seed_for, write_sequence  # noqa: E402

STEMS = ("Thigh-Anterior", "Back-Deep", "Forearm-Posterior", "Neck-Lateral", "Hip-Lateral", "Arm-Anterior")


def realistic(n: int) -> list[Path]:
    folder = REPO / ".bench" / "render_optimise"
    out = []
    for stem in STEMS[:n]:
        if not (folder / f"{stem}-16.png").is_file():
            write_sequence(folder, stem, 16, (600, 800), seed=seed_for(stem))
        out += [folder / f"{stem}-{k}.png" for k in range(1, 17)]
    return out


def pixels(data: bytes | Path) -> np.ndarray:
    import io

    with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as im:
        return np.asarray(im.convert("RGBA"))


def measure(label: str, files: list[Path], level: int) -> None:
    from pipeline.encode.render import optimise_png

    before = after = 0
    cpu = 0.0
    identical = True
    for f in files:
        data = f.read_bytes()
        t = time.process_time()
        out = optimise_png(data, level)
        cpu += time.process_time() - t
        before += len(data)
        after += len(out)
        identical &= np.array_equal(pixels(out), pixels(data))
    saved = before - after
    print(f"  {label:<26} level {level}: {before / 1e6:8.2f} MB -> {after / 1e6:8.2f} MB  saved {saved / 1e6:7.2f} MB "
          f"({saved / before * 100:4.1f} %, ratio {after / before:.3f})  {cpu / len(files) * 1000:6.0f} ms CPU/render  "
          f"pixels identical: {identical}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", default="1,2,3,4", help="oxipng presets to measure (0-6)")
    ap.add_argument("--sequences", type=int, default=3, help="realistic 600x800 sequences (16 renders each)")
    a = ap.parse_args()
    demo = sorted((REPO / "raw" / "images" / "muscles" / "png").glob("*.png"))
    demo = [p for p in demo if not p.name.endswith("-thumb.png")]
    real = realistic(a.sequences)
    print(f"load average {os.getloadavg()[0]:.2f}; demo: {len(demo)} renders; realistic: {len(real)} renders at 600x800")
    for level in (int(x) for x in a.levels.split(",")):
        measure("demo (raw/images)", demo, level)
        measure("realistic (600x800)", real, level)


if __name__ == "__main__":
    main()
