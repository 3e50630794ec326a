"""Measuring instrument for bench/video_frontier.py: input sets, one measured ffmpeg run, scoring, build work.

Every encode starts from the project's own command line (``pipeline.encode.video.input_args`` + ``codec_args``)
and reads the set's frames as the build converts them (``load_frames`` then ``to_video_rgb``); that RGB, alpha
composited on the matte, is also the reference the decoded output is scored against.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.encode.frames import Frames, load_frames  # noqa: E402
from pipeline.encode.settings import EncodeSettings  # noqa: E402
from pipeline.encode.tools import parse_hex_colour, require  # noqa: E402
from pipeline.encode.video import input_args, padded_size, to_video_rgb  # noqa: E402

SETS = ("project-opaque", "project-transparent", "shared-opaque", "shared-transparent")
SIZE, FRAMES = (600, 800), 16


@dataclasses.dataclass
class Seq:
    name: str
    paths: list[Path]
    frames: Frames
    raw: Path               # the RGB ffmpeg reads
    ref: list[np.ndarray]   # the same frames, cropped to the render size


def make_set(name: str, cache: Path, shared: Path) -> list[Path]:
    """The set's PNGs, rendered into ``cache`` on first use (the shared generator runs from its own folder)."""
    origin, kind = name.split("-")
    folder = cache / name
    paths = [folder / f"Bench-{k}.png" for k in range(1, FRAMES + 1)]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    if origin == "project":
        from tests.support.renders import write_sequence
        return write_sequence(folder, "Bench", FRAMES, SIZE, seed=1, transparent=kind == "transparent")
    script = shared / "make_renders.py"
    if not script.is_file():
        raise SystemExit(f"{script} not found: pass --shared, or --sets without the shared-* sets")
    cmd = [sys.executable, str(script), "--frames", str(FRAMES), "--size", "%dx%d" % SIZE,
           "--out", str(folder), "--name", "Bench"] + (["--transparent"] if kind == "transparent" else [])
    subprocess.run(cmd, cwd=shared, check=True, stdout=subprocess.DEVNULL)
    return paths


def load_set(name: str, cache: Path, shared: Path, scratch: Path) -> Seq:
    s = EncodeSettings()
    paths = make_set(name, cache, shared)
    frames = load_frames(paths, s)
    size, matte = padded_size(frames.size), parse_hex_colour(s.matte)
    rgb = [to_video_rgb(img, matte, size) for img in frames.images]
    raw = scratch / f"{name}.rgb"
    raw.write_bytes(b"".join(a.tobytes() for a in rgb))
    w, h = frames.size
    return Seq(name, paths, frames, raw, [np.ascontiguousarray(a[:h, :w]) for a in rgb])


def override(args: list[str], changes: dict[str, str]) -> list[str]:
    """``args`` with each option's value replaced (or the option added before the output format)."""
    out = list(args)
    for opt, value in changes.items():
        if opt in out:
            out[out.index(opt) + 1] = value
        else:
            at = out.index("-f")
            out[at:at] = [opt, value]
    return out


def _watch_peak_rss(pid: int, peak: list[int], stop: threading.Event) -> None:
    """Peak RSS (VmHWM, kB) of ``pid`` once it runs ffmpeg: rusage's maxrss would count the Python process it was
    forked from, and so would VmHWM before the exec."""
    while not stop.is_set():
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().startswith("ffmpeg"):
                    with open(f"/proc/{pid}/status") as g:
                        hwm = next((int(ln.split()[1]) for ln in g if ln.startswith("VmHWM:")), 0)
                    peak[0] = max(peak[0], hwm)
        except (OSError, ValueError):
            return
        stop.wait(0.02)


def encode(seq: Seq, args: list[str], dest: Path, env: dict | None = None) -> dict:
    """One ffmpeg run reading the set's RGB: bytes, digest, CPU seconds and peak RSS of that process, wall."""
    cmd = [require("ffmpeg"), *input_args(seq.frames.size, EncodeSettings()), *args, str(dest)]
    t0 = time.perf_counter()
    peak, stop = [0], threading.Event()
    with open(seq.raw, "rb") as f:
        proc = subprocess.Popen(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, **(env or {})})
        watch = threading.Thread(target=_watch_peak_rss, args=(proc.pid, peak, stop), daemon=True)
        watch.start()
        err = proc.stderr.read()
        stop.set()
        watch.join()
        _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"error": (err.decode(errors="replace").strip().splitlines() or ["exit status %d" % status])[-1]}
    data = dest.read_bytes()
    return {"bytes": len(data), "sha": hashlib.sha256(data).hexdigest()[:12], "cpu": ru.ru_utime + ru.ru_stime,
            "wall": wall, "rss_mb": peak[0] / 1024}


def decode(path: Path, size: tuple[int, int]) -> list[np.ndarray]:
    """Decoded frames as a browser shows them: BT.709 matrix, limited range, cropped to ``size``."""
    w, h = padded_size(size)
    cmd = [require("ffmpeg"), "-v", "error", "-i", str(path), "-vf",
           "scale=in_color_matrix=bt709:in_range=tv:flags=bicubic+accurate_rnd+full_chroma_int,format=rgb24",
           "-f", "rawvideo", "pipe:1"]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    n = len(out) // (w * h * 3)
    return [np.frombuffer(out, np.uint8, w * h * 3, k * w * h * 3).reshape(h, w, 3)[: size[1], : size[0]]
            for k in range(n)]


def _frame_scores(pair) -> tuple[float, float]:
    """SSIM as encode_quality.py computes it (skimage, 7x7 uniform window, mean of R, G, B) and PSNR over RGB."""
    from skimage.metrics import structural_similarity
    a, b = pair
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    p = 100.0 if mse == 0 else min(100.0, 10 * math.log10(255.0 ** 2 / mse))
    return float(structural_similarity(a, b, channel_axis=2, data_range=255)), p


def score(pool, seq: Seq, path: Path) -> dict:
    """Mean SSIM and PSNR over the frames (the worst frame's SSIM too); a frame count mismatch scores 0."""
    got = decode(path, seq.frames.size)
    if len(got) != len(seq.ref):
        return {"ssim": 0.0, "ssim_min": 0.0, "psnr": 0.0}
    s = list(pool.map(_frame_scores, zip(seq.ref, got)))
    return {"ssim": float(np.mean([x for x, _ in s])), "ssim_min": min(x for x, _ in s),
            "psnr": float(np.mean([y for _, y in s]))}


def cpu_now() -> tuple[float, float]:
    """CPU seconds of this process and of its reaped children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime, b.ru_utime + b.ru_stime


def build_work(paths: list[Path], out: Path, s: EncodeSettings, video: bool) -> dict[str, tuple[float, float]]:
    """(this process, children) CPU seconds of each step of one sequence's cold build, called as the build calls
    the encoders: load, GIF, and with ``video`` MP4, WebM and a thumbnail per frame."""
    from pipeline.encode.gif import encode_gif
    from pipeline.encode.thumbs import write_thumbnail
    from pipeline.encode.video import encode_video

    parts: dict[str, tuple[float, float]] = {}
    frames = None

    def step(name, fn):
        c0 = cpu_now()
        r = fn()
        c1 = cpu_now()
        parts[name] = (c1[0] - c0[0], c1[1] - c0[1])
        return r

    frames = step("load", lambda: load_frames(paths, s))
    step("gif", lambda: encode_gif(frames, out / "b.gif", s))
    if video:
        step("mp4", lambda: encode_video(frames, out / "b.mp4", s, "mp4"))
        step("webm", lambda: encode_video(frames, out / "b.webm", s, "webm"))
        step("thumbs", lambda: [write_thumbnail(img, out / f"b-{k}-thumb.png", s)
                                for k, img in enumerate(frames.images, 1)])
    return parts
