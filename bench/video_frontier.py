#!/usr/bin/env python3
"""Size / CPU / quality frontier of the video encoders, and what the build's defaults cost.

Input sets (16 orientations at 600x800, kept under ``--cache``): the project's renders (``pipeline.renders``),
opaque and transparent, and the shared bench renders (``make_renders.py``, run from ``--shared``), opaque and
transparent.  See bench/video_measure.py for how one encode is run and scored.

Sections (``--sections``, all by default):

grid      x264 presets x CRF, VP9 ``cpu-used`` x CRF for ``-deadline good/realtime/best``, and AV1 in WebM (libaom,
          SVT-AV1, rav1e, those the bundled ffmpeg has), one encoder thread each.  Each point is the project's
          command line with only the named options changed.  Per point, summed over the sets: bytes, encoder CPU
          seconds (rusage of the ffmpeg process: the machine is shared, so wall time, also printed, is noisy), peak
          RSS of ffmpeg, and the worst set's mean SSIM / PSNR (decoded as BT.709 limited range).  Then, per encoder
          setting (a "family": a preset, a cpu-used), the highest CRF whose SSIM stays >= ``--floor`` on every set
          (found by bisecting between the grid's CRFs; these points and today's are encoded ``--reps`` times and
          keep their least CPU).  Among them ``*`` marks the Pareto frontier of (CPU, bytes) and ``K`` its knee:
          the frontier point farthest below the chord from the fastest to the smallest point, CPU on a log scale
          (bytes saved per doubling of CPU).  Ratios are to today's defaults (x264 veryslow CRF 22, VP9 cpu-used 1
          CRF 24), measured in the same run.
threads   byte-determinism and cost of threading, and MP4 + WebM side by side (bench/video_costs.py).
baseline  the project's encoders called as the build calls them, CPU of this process and its children: load +
          GIF alone, and a cold build's work (load, GIF, MP4, WebM, a thumbnail per frame) at today's and at the
          current defaults; with the grid, the CPU left for the two videos within 2.5x GIF alone and the smallest
          MP4 + WebM pair of frontier points that fits it.
memory    peak memory of load + MP4 + WebM in a fresh interpreter, frames streamed against one bytes object
          (bench/video_costs.py).

    python bench/video_frontier.py [--sections grid,threads,baseline,memory] [--quick] [--sets NAME,...]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from video_measure import (ROOT, SETS, FRAMES, SIZE, build_work, encode, load_set, override,  # noqa: E402
                           score)
from pipeline.encode.settings import EncodeSettings  # noqa: E402
from pipeline.encode.tools import require  # noqa: E402
from pipeline.encode.video import codec_args  # noqa: E402

TODAY = EncodeSettings(mp4_preset="veryslow", mp4_crf=22, webm_codec="vp9", webm_crf=24, webm_cpu_used=1)
GOAL_TIME, GOAL_BYTES = 2.5, 1.1


@dataclasses.dataclass
class Point:
    container: str          # "mp4" or "webm": the output it would be
    family: str             # the encoder and its speed setting
    q: int                  # CRF (qp for rav1e): higher is smaller and worse
    args: list[str]         # codec options after the project's input options
    env: dict | None = None
    results: dict = dataclasses.field(default_factory=dict)   # set name -> measurement

    @property
    def label(self) -> str:
        return f"{self.family} {'qp' if 'rav1e' in self.family else 'crf'} {self.q}"


def x264(preset: str, crf: int, threads: int = 1) -> Point:
    args = codec_args("mp4", dataclasses.replace(TODAY, mp4_preset=preset, mp4_crf=crf), threads)
    return Point("mp4", f"x264 {preset}" + (f" threads={threads}" if threads != 1 else ""), crf, args)


def vp9(cpu: int, crf: int, deadline: str = "good", threads: int = 1, row_mt: int = 0, tiles: int = 0) -> Point:
    args = codec_args("webm", dataclasses.replace(TODAY, webm_cpu_used=cpu, webm_crf=crf), threads)
    args = override(args, {"-deadline": deadline, "-row-mt": str(row_mt), "-tile-columns": str(tiles)})
    extra = f" threads {threads} row-mt {row_mt} tiles {tiles}" if (threads, row_mt, tiles) != (1, 0, 0) else ""
    return Point("webm", f"vp9 {deadline} cpu-used {cpu}{extra}", crf, args)


def av1(encoder: str, speed: int, q: int, threads: int = 1) -> Point:
    """AV1 in WebM: libaom (cpu-used, crf; cpu-used 7-8 with -usage realtime), SVT-AV1 (preset, crf), rav1e."""
    head = ["-threads", str(threads), "-c:v", encoder]
    if encoder == "libaom-av1":
        usage = "realtime" if speed >= 7 else "good"
        body = ["-usage", usage, "-cpu-used", str(speed), "-crf", str(q), "-b:v", "0", "-row-mt", "0",
                "-tiles", "1x1", "-tune", "ssim", "-lag-in-frames", "25" if usage == "good" else "0"]
        family = f"av1 libaom {usage} cpu-used {speed}"
    elif encoder == "libsvtav1":       # the project's own command line
        s = dataclasses.replace(TODAY, webm_codec="av1", webm_cpu_used=speed, webm_crf=q)
        return Point("webm", f"av1 svt preset {speed}" + (f" threads {threads}" if threads != 1 else ""), q,
                     codec_args("webm", s, threads))
    else:
        body = ["-speed", str(speed), "-qp", str(q), "-tiles", "1"]
        family = f"av1 rav1e speed {speed}"
    return Point("webm", family + (f" threads {threads}" if threads != 1 else ""), q,
                 [*head, *body, "-f", "webm"])


def av1_encoders() -> list[str]:
    out = subprocess.run([require("ffmpeg"), "-hide_banner", "-encoders"], capture_output=True, text=True).stdout
    return [e for e in ("libaom-av1", "libsvtav1", "librav1e") if f" {e} " in out]


def grid(quick: bool) -> list[Point]:
    presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]
    pts = [x264(p, c) for p in (presets[2::2] if quick else presets) for c in (20, 22, 24, 26, 28)]
    pts += [x264("veryslow", 22)]
    q = (16, 24, 32) if quick else (16, 20, 24, 28, 32)
    pts += [vp9(u, c) for u in ((1, 3, 5) if quick else range(6)) for c in q]
    pts += [vp9(u, c, "realtime") for u in ((6, 8) if quick else (5, 6, 7, 8)) for c in (8, 12, 16, 20, 24)]
    pts += [] if quick else [vp9(1, c, "best") for c in (20, 24, 28)]
    pts += [vp9(1, 24)]
    found = av1_encoders()
    for enc, speeds, qs in (("libsvtav1", (6, 8, 10, 12), (12, 18, 24, 30)), ("libaom-av1", (6, 8), (16, 24, 32)),
                            ("librav1e", (10,), (40, 60, 80))):
        if enc in found:
            pts += [av1(enc, s, c) for s in (speeds[-1:] if quick else speeds) for c in qs]
    d = EncodeSettings()  # the current defaults are always measured, --quick or not
    pts += [x264(d.mp4_preset, d.mp4_crf)]
    if d.webm_codec == "vp9":
        pts += [vp9(d.webm_cpu_used, d.webm_crf)]
    elif "libsvtav1" in found:
        pts += [av1("libsvtav1", d.webm_cpu_used, c) for c in (d.webm_crf - 4, d.webm_crf, d.webm_crf + 4)]
    return list({p.label: p for p in pts}.values())


def totals(p: Point) -> dict | None:
    rs = list(p.results.values())
    if not rs or any("error" in r for r in rs):
        return None
    return {"bytes": sum(r["bytes"] for r in rs), "cpu": sum(r["cpu"] for r in rs),
            "wall": sum(r["wall"] for r in rs), "rss_mb": max(r["rss_mb"] for r in rs),
            "ssim": min(r["ssim"] for r in rs), "ssim_min": min(r["ssim_min"] for r in rs),
            "psnr": min(r["psnr"] for r in rs)}


def run_points(points: list[Point], seqs, pool, scratch: Path) -> None:
    for i, p in enumerate(points, 1):
        for seq in seqs:
            dest = scratch / f"g.{p.container}"
            r = encode(seq, p.args, dest, p.env)
            if "error" not in r:
                r.update(score(pool, seq, dest))
            p.results[seq.name] = r
        t = totals(p)
        print(f"  [{i}/{len(points)}] {p.label}: " + (f"{t['bytes']:,} B {t['cpu']:.2f} s SSIM {t['ssim']:.4f}"
              if t else "failed " + str([r.get("error") for r in p.results.values()])), file=sys.stderr, flush=True)


def make_like(p: Point, q: int) -> Point:
    """The point ``p`` at another CRF / qp."""
    opt = "-qp" if "-qp" in p.args else "-crf"
    return dataclasses.replace(p, q=q, args=override(p.args, {opt: str(q)}), results={})


def refine(points: list[Point], floor: float, run) -> list[Point]:
    """Bisect between each family's last passing and first failing grid point for the highest passing CRF;
    ``run(points)`` measures new points. Returns the points measured."""
    extra = []
    for fam in dict.fromkeys(p.family for p in points):
        ps = sorted((p for p in points if p.family == fam and totals(p)), key=lambda p: p.q)
        for a, b in zip(ps, ps[1:]):
            if totals(a)["ssim"] >= floor > totals(b)["ssim"]:
                while b.q - a.q > 1:
                    mid = make_like(a, (a.q + b.q) // 2)
                    run([mid])
                    extra.append(mid)
                    if totals(mid) and totals(mid)["ssim"] >= floor:
                        a = mid
                    else:
                        b = mid
    return extra


def retime(points: list[Point], seqs, reps: int, scratch: Path) -> None:
    """Encode each point ``reps - 1`` more times per set and keep the least CPU and wall (noise on a shared machine
    only adds); a repeat that writes other bytes is reported."""
    for p in points:
        for seq in seqs:
            r = p.results[seq.name]
            for _ in range(reps - 1):
                again = encode(seq, p.args, scratch / f"r.{p.container}", p.env)
                if again.get("sha") != r["sha"]:
                    print(f"  NOT DETERMINISTIC: {p.label} on {seq.name}", file=sys.stderr)
                    r["repeat_differs"] = True
                r["cpu"], r["wall"] = min(r["cpu"], again.get("cpu", 1e9)), min(r["wall"], again.get("wall", 1e9))


def best_of_families(points: list[Point], floor: float) -> list[Point]:
    """Each family's highest CRF that keeps the floor on every set."""
    best: dict[str, Point] = {}
    for p in points:
        t = totals(p)
        if t and t["ssim"] >= floor and (p.family not in best or p.q > best[p.family].q):
            best[p.family] = p
    return list(best.values())


def frontier(points: list[Point]) -> tuple[list[Point], Point | None]:
    """The (CPU, bytes) Pareto frontier, fastest first, and its knee (log CPU)."""
    ts = {id(p): totals(p) for p in points}
    front = [p for p in points if not any(
        ts[id(u)]["cpu"] <= ts[id(p)]["cpu"] and ts[id(u)]["bytes"] <= ts[id(p)]["bytes"] and u is not p
        and (ts[id(u)]["cpu"], ts[id(u)]["bytes"]) != (ts[id(p)]["cpu"], ts[id(p)]["bytes"]) for u in points)]
    front.sort(key=lambda p: ts[id(p)]["cpu"])
    if len(front) < 3:
        return front, (front[0] if front else None)
    xs = [math.log(ts[id(p)]["cpu"]) for p in front]
    ys = [ts[id(p)]["bytes"] for p in front]
    k = max(range(len(front)), key=lambda i: 1 - (xs[i] - xs[0]) / (xs[-1] - xs[0])
            - (ys[i] - ys[-1]) / (ys[0] - ys[-1]))
    return front, front[k]


def is_today(p: Point) -> bool:
    return p.label in ("x264 veryslow crf 22", "vp9 good cpu-used 1 crf 24")


def is_default(p: Point) -> bool:
    s = EncodeSettings()
    webm = {"vp9": "vp9 good cpu-used", "av1": "av1 svt preset"}[s.webm_codec]
    return p.label in (f"x264 {s.mp4_preset} crf {s.mp4_crf}", f"{webm} {s.webm_cpu_used} crf {s.webm_crf}")


def row(p: Point, base: dict, mark: str = "  ") -> str:
    t = totals(p)
    tag = (" today" if is_today(p) else "") + (" default" if is_default(p) else "")
    return (f"{mark} {p.label:40} {t['bytes']:>9,} {t['bytes'] / base['bytes']:5.2f} {t['cpu']:6.2f} "
            f"{t['cpu'] / base['cpu']:5.2f} {t['wall']:6.2f} {t['ssim']:.4f} {t['ssim_min']:.4f} "
            f"{t['psnr']:5.2f} {t['rss_mb']:6.0f}{tag}")


HEAD = (f"{'':2} {'point':40} {'bytes':>9} {'x':>5} {'CPU s':>6} {'x':>5} {'wall s':>6} {'SSIM':>6} {'worst':>6} "
        f"{'PSNR':>5} {'RSS MB':>6}")


def print_grid(points: list[Point], floor: float, nsets: int) -> dict[str, tuple[list[Point], Point]]:
    """Every point, then each family's best point with the frontier and knee marked; returns them per container."""
    out = {}
    for container in ("mp4", "webm"):
        pts = [p for p in points if p.container == container and totals(p)]
        base = totals(next(p for p in pts if is_today(p)))
        print(f"\n{container.upper()}, every point: sums over {nsets} sets, ratios (x) to today's "
              f"{'x264 veryslow crf 22' if container == 'mp4' else 'vp9 good cpu-used 1 crf 24'}; "
              f"SSIM: the worst set's mean, worst: the worst frame; ! below {floor}")
        print(HEAD)
        for p in sorted(pts, key=lambda p: (p.family, p.q)):
            print(row(p, base, " !" if totals(p)["ssim"] < floor else "  "))
        for p in points:
            if p.container == container and not totals(p):
                print(f"   {p.label:40} failed: {next(r['error'] for r in p.results.values() if 'error' in r)}")
        fams = best_of_families(pts, floor)
        front, knee = frontier(fams)
        print(f"\n{container.upper()}, each setting at its highest CRF with SSIM >= {floor} on every set "
              f"(* frontier, K knee)")
        print(HEAD)
        for p in sorted(fams, key=lambda p: totals(p)["cpu"]):
            print(row(p, base, " K" if p is knee else " *" if p in front else "  "))
        if container == "webm":
            vp9_front, vp9_knee = frontier([p for p in fams if p.family.startswith("vp9")])
            if vp9_knee:
                print(f"   knee among the VP9 settings alone: {vp9_knee.label}")
        out[container] = (front, knee)
    return out


def per_set(points: list[Point]) -> None:
    names = list(points[0].results)
    print(f"\nper set (bytes / CPU s / SSIM): {', '.join(names)}")
    for p in points:
        print(f"  {p.label:40} " + "  ".join(f"{r['bytes']:>7,} {r['cpu']:5.2f} {r['ssim']:.4f}"
                                             for r in p.results.values()))


# ---------------------------------------------------------------------------------------------------------------
# the project's encoders as the build calls them

def run_baseline(seqs, scratch: Path, reps: int, pool) -> dict:
    """CPU (this process + children) of GIF alone and of a cold build's work, fastest of ``reps``, summed."""
    new = EncodeSettings()
    rows = {"GIF alone (load + GIF)": (new, False), "cold build, today's defaults": (TODAY, True),
            "cold build, current defaults": (new, True)}
    res = {k: {"parts": {}, "wall": 0.0, "bytes": 0, "ssim": 1.0} for k in rows}
    for seq in seqs:
        for label, (s, video) in rows.items():
            runs = [build_work(seq.paths, scratch, s, video) for _ in range(reps)]
            best = min(runs, key=lambda r: sum(a + b for a, b in r.values()))
            for k, (a, b) in best.items():
                pa, pb = res[label]["parts"].get(k, (0.0, 0.0))
                res[label]["parts"][k] = (pa + a, pb + b)
            if video:
                for codec in ("mp4", "webm"):
                    res[label]["bytes"] += (scratch / f"b.{codec}").stat().st_size
                    res[label]["ssim"] = min(res[label]["ssim"], score(pool, seq, scratch / f"b.{codec}")["ssim"])
    gif = sum(a + b for a, b in res["GIF alone (load + GIF)"]["parts"].values())
    today_bytes = res["cold build, today's defaults"]["bytes"]
    print(f"\nthe project's encoders as the build calls them, {len(seqs)} sets, fastest of {reps}; CPU s of this "
          f"process + its children; current defaults: x264 {new.mp4_preset} crf {new.mp4_crf}, WebM "
          f"{new.webm_codec} speed {new.webm_cpu_used} crf {new.webm_crf}, one encoder thread each")
    for label, r in res.items():
        cpu = sum(a + b for a, b in r["parts"].values())
        parts = "  ".join(f"{k} {a + b:.2f}" for k, (a, b) in r["parts"].items())
        extra = "" if not r["bytes"] else (f"\n  {'':30} MP4+WebM {r['bytes']:,} B = {r['bytes'] / today_bytes:.2f}x "
                                           f"today's (goal <= {GOAL_BYTES}), worst SSIM {r['ssim']:.4f}")
        print(f"  {label:30} CPU {cpu:6.2f} = {cpu / gif:4.2f}x GIF alone (goal <= {GOAL_TIME})  [{parts}]{extra}")
    cores = os.cpu_count() or 1
    for label in list(rows)[1:]:
        minutes = 227 * sum(a + b for a, b in res[label]["parts"].values()) / len(seqs) / 60
        print(f"  whole atlas (227 sequences), {label}: {minutes:.1f} CPU min, {minutes / cores:.1f} min on "
              f"{cores} cores kept busy")
    return {"gif": gif, "parts": res["cold build, current defaults"]["parts"]}


def best_pair(base: dict, fronts: dict, points: list[Point], floor: float) -> None:
    """The CPU the two ffmpeg runs may use within GOAL_TIME x GIF alone, and the smallest pair that fits."""
    parts = base["parts"]
    fixed = sum(a + b for k, (a, b) in parts.items() if k not in ("mp4", "webm"))
    fixed += parts["mp4"][0] + parts["webm"][0]      # converting and writing the frames, in this process
    budget = GOAL_TIME * base["gif"] - fixed
    today = {c: totals(next(p for p in points if p.container == c and is_today(p))) for c in ("mp4", "webm")}
    today_bytes = today["mp4"]["bytes"] + today["webm"]["bytes"]
    mp4s = best_of_families([p for p in points if p.container == "mp4"], floor)
    webms = best_of_families([p for p in points if p.container == "webm"], floor)
    pairs = sorted(((totals(m)["bytes"] + totals(w)["bytes"], totals(m)["cpu"] + totals(w)["cpu"], m, w)
                    for m in mp4s for w in webms), key=lambda x: x[:2])
    print(f"\nbudget: {GOAL_TIME} x GIF alone {base['gif']:.2f} s - load, GIF, thumbnails and frame conversion "
          f"{fixed:.2f} s = {budget:.2f} CPU s for the two ffmpeg runs (today's take "
          f"{today['mp4']['cpu'] + today['webm']['cpu']:.2f} s)")
    fits = [x for x in pairs if x[1] <= budget]
    knees = (fronts["mp4"][1], fronts["webm"][1])
    for label, pick in (("smallest pair within the budget", fits[0] if fits else None),
                        ("fastest pair", min(pairs, key=lambda x: x[1]) if pairs else None),
                        ("the knees", (totals(knees[0])["bytes"] + totals(knees[1])["bytes"],
                                       totals(knees[0])["cpu"] + totals(knees[1])["cpu"], *knees))):
        if pick is None:
            print(f"  {label}: none")
            continue
        b, c, m, w = pick
        print(f"  {label:32} {m.label} + {w.label}: {b:,} B = {b / today_bytes:.2f}x today's, {c:.2f} CPU s "
              f"-> cold build {(fixed + c) / base['gif']:.2f}x GIF alone")


# ---------------------------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    import video_costs

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--memory-child"]:
        video_costs.memory_child(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sections", default="grid,threads,baseline,memory")
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from {', '.join(SETS)}")
    ap.add_argument("--quick", action="store_true", help="a coarser grid")
    ap.add_argument("--floor", type=float, default=0.99, help="SSIM every set must keep (default 0.99)")
    ap.add_argument("--reps", type=int, default=3, help="runs per frontier point, baseline and memory figure "
                                                        "(least CPU / largest memory kept)")
    ap.add_argument("--cache", default=str(ROOT / ".bench" / "video_frontier"), help="where the renders are kept")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "bench"), help="folder of make_renders.py")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    if any(n not in SETS for n in names) or any(s not in ("grid", "threads", "baseline", "memory") for s in sections):
        ap.error(f"sets come from {list(SETS)}; sections from grid, threads, baseline, memory")
    ff = subprocess.run([require("ffmpeg"), "-hide_banner", "-version"], capture_output=True, text=True).stdout
    print(f"# video_frontier: {ff.splitlines()[0].split(' Copyright')[0]}; AV1 encoders: "
          f"{', '.join(av1_encoders()) or 'none'}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    print(f"# sets: {', '.join(names)} ({FRAMES} x {SIZE[0]}x{SIZE[1]}); SSIM floor {args.floor}")
    points, fronts, s = [], {}, EncodeSettings()
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(2) as pool:
        scratch = Path(tmp)
        seqs = [load_set(n, Path(args.cache), Path(args.shared), scratch) for n in names]
        if "grid" in sections:
            points = grid(args.quick)
            run_points(points, seqs, pool, scratch)
            points += refine(points, args.floor, lambda ps: run_points(ps, seqs, pool, scratch))
            chosen = best_of_families(points, args.floor) + [p for p in points if is_today(p) or is_default(p)]
            retime(list({id(p): p for p in chosen}.values()), seqs, args.reps, scratch)
            fronts = print_grid(points, args.floor, len(seqs))
            per_set([p for p in points if is_today(p) or is_default(p)]
                    + [k for _, k in fronts.values() if k and not (is_today(k) or is_default(k))])
        if "threads" in sections:
            video_costs.run_threads(seqs, scratch, video_costs.thread_groups(s, x264, vp9, av1,
                                                                             "libsvtav1" in av1_encoders()))
            video_costs.side_by_side(seqs, scratch, s)
        if "baseline" in sections:
            base = run_baseline(seqs, scratch, args.reps, pool)
            if points:
                best_pair(base, fronts, points, args.floor)
        if "memory" in sections:
            video_costs.run_memory(seqs[0], scratch, args.reps, Path(__file__).resolve())
    print(f"# load {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
