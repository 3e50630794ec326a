#!/usr/bin/env python3
"""Size, speed and quality of the project's encoders at default settings.

For each case it renders a synthetic orientation sequence (``tests.support.renders``, cached under
``.bench/encode/``), then measures with the project's own encoders:

* GIF: bytes, wall time (PNG loading + encoding, in this process; median of ``--reps``),
  PSNR and SSIM, and for transparent input the pixels whose GIF alpha is wrong;
* MP4 and WebM: bytes, ratio to the GIF's bytes, SSIM, wall time;
* thumbnails: wall time for all frames, one ``write_thumbnail`` call after another, and with
  ``write_thumbnails`` (threads).

Quality is measured as ``/work/shared/bench/gif_peers.py`` does, so figures are comparable:
each decoded frame (GIF frames as Pillow composes them, disposal applied; video frames decoded
by the bundled ffmpeg) and its source PNG are both alpha-composited on white; PSNR is over all
RGB samples; SSIM is ``skimage.metrics.structural_similarity(channel_axis=2, data_range=255)``
(7x7 uniform window, mean over the three channels); both are averaged over frames.  Wrong
alpha counts pixels where (GIF alpha >= 128) differs from (source alpha >= 128).

``--gifski PATH`` (or GIFSKI / PEERS as for gif_peers.py) also runs gifski at its default
quality 90 on the same frames and prints the ratios the project's goals are stated in.

    python bench/encode_quality.py [--cases opaque16,transparent16,opaque36,transparent36] [--reps 3]
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.encode.frames import load_frames  # noqa: E402
from pipeline.encode.gif import encode_gif  # noqa: E402
from pipeline.encode.settings import EncodeSettings  # noqa: E402
from pipeline.encode.thumbs import write_thumbnail, write_thumbnails  # noqa: E402
from pipeline.encode.video import encode_video  # noqa: E402

CASES = {
    "opaque16": dict(frames=16, size=(600, 800), transparent=False),
    "transparent16": dict(frames=16, size=(600, 800), transparent=True),
    "opaque36": dict(frames=36, size=(1000, 1000), transparent=False),
    "transparent36": dict(frames=36, size=(1000, 1000), transparent=True),
}


def renders(case: str, seed: int, cache: Path) -> list[Path]:
    from tests.support.renders import write_sequence

    spec = CASES[case]
    folder = cache / f"{case}-seed{seed}"
    paths = [folder / f"Bench-{k}.png" for k in range(1, spec["frames"] + 1)]
    if not all(p.is_file() for p in paths):
        t = time.perf_counter()
        folder.mkdir(parents=True, exist_ok=True)
        paths = write_sequence(folder, "Bench", spec["frames"], spec["size"], seed=seed,
                               transparent=spec["transparent"])
        print(f"  rendered {case} in {time.perf_counter() - t:.1f} s -> {folder}", file=sys.stderr)
    return paths


def composite(rgba: np.ndarray) -> np.ndarray:
    if rgba.shape[2] == 3:
        return rgba
    a = rgba[..., 3:4].astype(np.float32) / 255.0
    out = rgba[..., :3].astype(np.float32) * a + 255.0 * (1.0 - a)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 100.0 if mse == 0 else min(100.0, 10 * math.log10(255.0 ** 2 / mse))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    from skimage.metrics import structural_similarity
    return float(structural_similarity(a, b, channel_axis=2, data_range=255))


def sources(paths: list[Path]) -> list[np.ndarray]:
    out = []
    for p in paths:
        with Image.open(p) as im:
            out.append(np.asarray(im.convert("RGBA")))
    return out


def gif_quality(path: Path, src: list[np.ndarray]) -> dict:
    ps, ss, wrong = [], [], 0
    with Image.open(path) as im:
        n = im.n_frames
        durations = []
        for k in range(n):
            im.seek(k)
            dec = np.asarray(im.convert("RGBA"))
            durations.append(im.info.get("duration"))
            if k < len(src):
                ref, got = composite(src[k]), composite(dec)
                ps.append(psnr(ref, got))
                ss.append(ssim(ref, got))
                wrong += int(((dec[..., 3] >= 128) != (src[k][..., 3] >= 128)).sum())
    return {"frames": n, "psnr": float(np.mean(ps)), "ssim": float(np.mean(ss)),
            "wrong_alpha": wrong, "durations": sorted(set(durations))}


def video_quality(path: Path, src: list[np.ndarray]) -> dict:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    ss, n = [], 0
    for k, buf in enumerate(reader):
        n += 1
        got = np.frombuffer(buf, np.uint8).reshape(h, w, 3)
        if k < len(src):
            ref = composite(src[k])
            ss.append(ssim(ref, got[: ref.shape[0], : ref.shape[1]]))
    return {"frames": n, "ssim": float(np.mean(ss)), "size": (w, h)}


def timed(fn, reps: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(reps):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def find_gifski(explicit: str | None) -> str | None:
    cands = [explicit, os.environ.get("GIFSKI"), shutil.which("gifski")]
    if os.environ.get("PEERS"):
        cands += sorted(glob.glob(os.path.join(os.environ["PEERS"], "node_modules/gifski/bin/debian/gifski")))
    return next((c for c in cands if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


def run_case(case: str, args, settings: EncodeSettings, out: Path, gifski: str | None) -> list[str]:
    paths = renders(case, args.seed, Path(args.cache))
    src = sources(paths)
    n = len(paths)
    w, h = CASES[case]["size"]
    transparent = CASES[case]["transparent"]
    lines = [f"## {case}: {n} frames {w}x{h}, {'transparent' if transparent else 'opaque'} "
             f"(source PNGs {sum(p.stat().st_size for p in paths):,} bytes)"]

    gif = out / f"{case}.gif"

    def make_gif():
        frames = load_frames(paths, settings)
        encode_gif(frames, gif, settings)
        return frames

    t_gif, frames = timed(make_gif, args.reps)
    q = gif_quality(gif, src)
    gif_bytes = gif.stat().st_size
    alpha = (f", wrong alpha {q['wrong_alpha']} px ({100 * q['wrong_alpha'] / (n * w * h):.4f} %)"
             if transparent else "")
    lines.append(f"GIF   {gif_bytes:>10,} bytes  {t_gif:6.2f} s  PSNR {q['psnr']:.2f} dB  "
                 f"SSIM {q['ssim']:.4f}  frames {q['frames']}/{n}  delays {q['durations']} ms{alpha}")

    if gifski:
        ref = out / f"{case}-gifski.gif"
        cmd = [gifski, "--quiet", "--fps", f"{1000 / settings.duration_ms:g}", "-W", str(w),
               "-H", str(h), "-o", str(ref), *map(str, paths)]
        t_ref, _ = timed(lambda: subprocess.run(cmd, check=True, capture_output=True), args.reps)
        r = gif_quality(ref, src)
        rb = ref.stat().st_size
        ralpha = f", wrong alpha {r['wrong_alpha']} px" if transparent else ""
        lines.append(f"gifski q90 {rb:>7,} bytes  {t_ref:6.2f} s  PSNR {r['psnr']:.2f} dB  "
                     f"SSIM {r['ssim']:.4f}{ralpha}")
        lines.append(f"  -> GIF/gifski bytes {gif_bytes / rb:.3f} (goal <= 0.8), time {t_gif / t_ref:.2f}x "
                     f"(goal <= 1), PSNR {q['psnr'] - r['psnr']:+.2f} dB, SSIM {q['ssim'] - r['ssim']:+.4f}"
                     " (goal >= 0)")

    if not args.no_video:
        for codec in ("webm", "mp4"):
            dest = out / f"{case}.{codec}"
            t_v, _ = timed(lambda: encode_video(frames, dest, settings, codec), 1)
            v = video_quality(dest, src)
            vb = dest.stat().st_size
            lines.append(f"{codec.upper():5} {vb:>10,} bytes  {t_v:6.2f} s  {100 * vb / gif_bytes:5.1f} % of "
                         f"the GIF (goal < 10 %)  SSIM {v['ssim']:.4f} (goal >= 0.99)  "
                         f"frames {v['frames']}/{n}  {v['size'][0]}x{v['size'][1]}")

    thumbs = out / f"{case}-thumbs"
    thumbs.mkdir(exist_ok=True)
    dests = [thumbs / f"Bench-{k}-thumb.png" for k in range(1, n + 1)]

    def serial():
        for img, d in zip(frames.images, dests):
            write_thumbnail(img, d, settings)

    t_s, _ = timed(serial, args.reps)
    t_p, _ = timed(lambda: write_thumbnails(frames.images, dests, settings), args.reps)
    with Image.open(dests[0]) as im:
        tsize, tmode = im.size, im.mode
    lines.append(f"thumbs {n} x {tsize[0]}x{tsize[1]} {tmode}: {t_s:.3f} s one after another, "
                 f"{t_p:.3f} s with write_thumbnails; {sum(d.stat().st_size for d in dests):,} bytes")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", default="opaque16,transparent16,opaque36,transparent36",
                    help=f"comma-separated, from {', '.join(CASES)}")
    ap.add_argument("--reps", type=int, default=3, help="timed runs per measurement (median)")
    ap.add_argument("--seed", type=int, default=1, help="render seed")
    ap.add_argument("--cache", default=str(ROOT / ".bench" / "encode"), help="where renders are kept")
    ap.add_argument("--out", help="keep the outputs here (default: a temporary folder)")
    ap.add_argument("--gifski", help="gifski binary to compare against (default: GIFSKI, PEERS, PATH)")
    ap.add_argument("--no-video", action="store_true", help="skip MP4/WebM")
    args = ap.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s) {unknown}; choose from {list(CASES)}")
    settings = EncodeSettings()
    gifski = find_gifski(args.gifski)
    print(f"# encode_quality: default EncodeSettings, {os.cpu_count()} CPUs, reps {args.reps}, "
          f"gifski {'at ' + gifski if gifski else 'not compared'}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        for case in cases:
            for line in run_case(case, args, settings, out, gifski):
                print(line, flush=True)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
