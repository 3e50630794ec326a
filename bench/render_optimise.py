"""Bytes saved by publishing the gallery renders losslessly optimised (oxipng through pyoxipng), and what it costs.

Sets measured in one run:
  * the demo renders (raw/images/muscles/png, 48 PNGs);
  * realistic renders from the project's generator (tests/support/renders.py) at 600x800, 16 orientations of
    ``--sequences`` sequences (written once under .bench/render_optimise/);
  * when the encoder measuring instrument is beside the repository (../shared/bench/make_renders.py), its
    600x800 renders, ``--sequences`` opaque sequences and one transparent (written once under
    .bench/render_optimise/shared/).

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


SHARED_GENERATOR = REPO.parent / "shared" / "bench" / "make_renders.py"


def instrument(n: int) -> list[tuple[str, list[Path]]]:
    """The measuring instrument's renders: (label, files) for the opaque and the transparent sequences."""
    import subprocess

    if not SHARED_GENERATOR.is_file():
        print(f"(no {SHARED_GENERATOR}: its renders are not measured)")
        return []
    folder = REPO / ".bench" / "render_optimise" / "shared"
    sets = []
    for label, names, extra in (("instrument (600x800)", [f"seq{k}" for k in range(n)], []),
                                ("instrument RGBA (600x800)", ["alpha0"], ["--transparent"])):
        files = []
        for k, name in enumerate(names):
            if not (folder / f"{name}-16.png").is_file():
                subprocess.run([sys.executable, str(SHARED_GENERATOR), "--frames", "16", "--size", "600x800", "--seed", str(k),
                                "--out", str(folder), "--name", name, *extra], check=True, capture_output=True)
            files += [folder / f"{name}-{i}.png" for i in range(1, 17)]
        sets.append((label, files))
    return sets


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
    sets = [("demo (raw/images)", demo), ("realistic (600x800)", realistic(a.sequences)), *instrument(a.sequences)]
    print(f"load average {os.getloadavg()[0]:.2f}; " + "; ".join(f"{label}: {len(files)} renders" for label, files in sets))
    for level in (int(x) for x in a.levels.split(",")):
        for label, files in sets:
            measure(label, files, level)


if __name__ == "__main__":
    main()
