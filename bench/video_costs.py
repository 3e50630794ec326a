"""Sections of bench/video_frontier.py about how the encoders run: threads and determinism, memory.

threads   each setting encoded twice at one thread, at two threads (x264 ``threads=2``; VP9 ``-threads 2`` with and
          without ``row-mt`` and tile columns; SVT-AV1 ``lp``), and with every SIMD path off (``-cpuflags 0``,
          x264 ``asm=0``, ``VPX_SIMD_CAPS_MASK=0``, SVT-AV1 ``asm=c``) or x264 limited to SSE2 (the x86-64 baseline), as stand-ins for
          other machines; "same" means identical bytes to the group's first row on every set.  Then MP4 + WebM of
          each set side by side at one thread each, against one after the other at one and at two threads.
memory    load + MP4 + WebM of one set in a fresh interpreter, peak PSS and RSS summed over the process tree
          (Python + ffmpeg, sampled by the bench's process-tree sampler): frames streamed (``encode_video``) against
          all frames joined into one bytes object and given to ``subprocess.run``, as before streaming.
"""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import threading
import time
from pathlib import Path

from video_measure import ROOT, encode, load_frames, override

from pipeline.encode.frames import Frames
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import parse_hex_colour, require
from pipeline.encode.video import codec_args, input_args, padded_size, to_video_rgb

NO_SIMD = {"VPX_SIMD_CAPS_MASK": "0"}


def _variant(p, suffix: str, args: list[str], env: dict | None = None):
    return dataclasses.replace(p, family=p.family + suffix, args=args, env=env, results={})


def no_simd(p):
    """``p`` with SIMD off in ffmpeg's own code (-cpuflags 0), in x264 (asm=0) and in libvpx."""
    args = ["-cpuflags", "0", *p.args]
    if "-x264-params" in args:
        args[args.index("-x264-params") + 1] += ":asm=0"
    return _variant(p, " no SIMD", args, NO_SIMD)


def sse2_only(p):
    k = p.args.index("-x264-params") + 1
    return _variant(p, " SSE2 only", override(p.args, {"-x264-params": p.args[k] + ":asm=MMX2,SSE,SSE2"}))


def thread_groups(s: EncodeSettings, x264, vp9, av1, svt: bool) -> list[tuple[str, list]]:
    """(group, [reference, variants...]) at the current defaults and today's."""
    groups = []
    for preset, crf in dict.fromkeys([(s.mp4_preset, s.mp4_crf), ("veryslow", 22)]):
        ref = x264(preset, crf)
        groups.append((ref.label, [ref, x264(preset, crf), x264(preset, crf, 2), x264(preset, crf, 2),
                                   sse2_only(ref), no_simd(ref)]))
    for cpu, crf in ((3, 26), (1, 24)):      # VP9 at its own knee, and today's
        ref = vp9(cpu, crf)
        vs = [ref, vp9(cpu, crf)]
        for t, rm, tc in ((2, 0, 0), (1, 1, 0), (2, 1, 0), (2, 1, 0), (1, 0, 1), (1, 0, 1), (2, 0, 1), (2, 0, 1),
                          (2, 1, 1)):
            vs.append(vp9(cpu, crf, threads=t, row_mt=rm, tiles=tc))
        groups.append((ref.label, vs + [no_simd(ref)]))
    if svt:
        speed, crf = (s.webm_cpu_used, s.webm_crf) if s.webm_codec == "av1" else (8, 22)
        ref = av1("libsvtav1", speed, crf)
        simd = _variant(ref, " no SIMD", ["-cpuflags", "0", *override(ref.args, {"-svtav1-params": ref.args[
            ref.args.index("-svtav1-params") + 1] + ":asm=c"})])
        groups.append((ref.label, [ref, av1("libsvtav1", speed, crf), av1("libsvtav1", speed, crf, 2),
                                   av1("libsvtav1", speed, crf, 2), simd]))
    return groups


def run_threads(seqs, scratch: Path, groups) -> None:
    print("\nthreads and determinism, sums over the sets; same: identical bytes to the group's first row on every "
          "set; digest: of all the sets' outputs")
    print(f"  {'point':58} {'bytes':>9} {'CPU s':>6} {'wall s':>6}  same  digest")
    for _, pts in groups:
        for p in pts:
            for seq in seqs:
                p.results[seq.name] = encode(seq, p.args, scratch / f"t.{p.container}", p.env)
        ref = pts[0]
        for p in pts:
            rs = list(p.results.values())
            if any("error" in r for r in rs):
                print(f"  {p.label:58} failed: {next(r['error'] for r in rs if 'error' in r)}")
                continue
            same = all(p.results[k].get("sha") == ref.results[k].get("sha") for k in p.results)
            digest = hashlib.sha256("".join(r["sha"] for r in rs).encode()).hexdigest()[:10]
            print(f"  {p.label:58} {sum(r['bytes'] for r in rs):>9,} {sum(r['cpu'] for r in rs):6.2f} "
                  f"{sum(r['wall'] for r in rs):6.2f}  {'ref' if p is ref else 'yes' if same else 'NO':4}  {digest}")


def side_by_side(seqs, scratch: Path, s: EncodeSettings) -> None:
    """MP4 + WebM at one thread each, run together, against one after the other at one and at two threads."""
    print("\nMP4 + WebM of each set at the current defaults, sums over the sets (2 threads: x264 threads=2, "
          "SVT-AV1 lp=2, VP9 -threads 2 with tile-columns 1)")
    for label, threads, together in (("one after another, 1 thread each", 1, False),
                                     ("one after another, 2 threads each", 2, False),
                                     ("side by side, 1 thread each", 1, True)):
        wall = cpu = 0.0
        for seq in seqs:
            a, b = codec_args("mp4", s, threads), codec_args("webm", s, threads)
            if threads > 1 and s.webm_codec == "vp9":
                b = override(b, {"-tile-columns": "1"})
            t0 = time.perf_counter()
            if together:
                got: dict = {}
                th = threading.Thread(target=lambda: got.update(m=encode(seq, a, scratch / "p.mp4")))
                th.start()
                r2 = encode(seq, b, scratch / "p.webm")
                th.join()
                r1 = got["m"]
            else:
                r1, r2 = encode(seq, a, scratch / "p.mp4"), encode(seq, b, scratch / "p.webm")
            wall += time.perf_counter() - t0
            cpu += r1["cpu"] + r2["cpu"]
        print(f"  {label:36} wall {wall:6.2f} s  CPU {cpu:6.2f} s  CPU/wall {cpu / wall:4.2f}")


# ---------------------------------------------------------------------------------------------------------------
# memory

def _whole(frames: Frames, dest: Path, s: EncodeSettings, codec: str) -> None:
    """How the frames were passed before streaming: joined into one bytes object, given to subprocess.run."""
    size, matte = padded_size(frames.size), parse_hex_colour(s.matte)
    raw = b"".join(to_video_rgb(img, matte, size).tobytes() for img in frames.images)
    cmd = [require("ffmpeg"), *input_args(size, s), *codec_args(codec, s), str(dest)]
    subprocess.run(cmd, input=raw, capture_output=True, check=True)


def memory_child(mode: str, folder: str, out: str) -> None:
    from pipeline.encode.video import encode_video

    s = EncodeSettings()
    frames = load_frames(sorted(Path(folder).glob("Bench-*.png"), key=lambda p: int(p.stem.split("-")[1])), s)
    for codec in ("mp4", "webm"):
        (encode_video if mode == "stream" else _whole)(frames, Path(out) / f"m.{codec}", s, codec)


def run_memory(seq, scratch: Path, reps: int, script: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from measure import run_measured

    folder = seq.paths[0].parent
    print(f"\npeak memory, load + MP4 + WebM of {seq.name} ({len(seq.paths)} x {seq.frames.size[0]}x"
          f"{seq.frames.size[1]}) in a fresh interpreter, current defaults; tree = Python + ffmpeg, largest of {reps}")
    res = {}
    for mode, label in (("whole", "one bytes object (before)"), ("stream", "streamed (encode_video)")):
        runs = [run_measured([sys.executable, str(script), "--memory-child", mode, str(folder), str(scratch)], ROOT)
                for _ in range(reps)]
        bad = [r for r in runs if r["rc"] != 0]
        if bad:
            raise SystemExit(f"memory child failed: {bad[0]['err'][-500:]}")
        r = res[mode] = {k: max(x[k] for x in runs) for k in ("tree_mb", "tree_rss_mb")}
        parts = max(runs, key=lambda x: x["tree_mb"])["tree_parts"]
        print(f"  {label:26} tree PSS {r['tree_mb']:6.1f} MB  tree RSS {r['tree_rss_mb']:6.1f} MB  "
              f"PSS at the peak: {parts}")
    w, st = res["whole"], res["stream"]
    print(f"  streamed / before: tree PSS {st['tree_mb'] / w['tree_mb']:.2f}x ({st['tree_mb'] - w['tree_mb']:+.1f} MB),"
          f" tree RSS {st['tree_rss_mb'] / w['tree_rss_mb']:.2f}x ({st['tree_rss_mb'] - w['tree_rss_mb']:+.1f} MB)")
