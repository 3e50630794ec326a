"""How fast is `pipeline build`, against what the work itself costs?

Generates a site the size of the real atlas (280 pages, 16 orientations each, 600x800 renders; ``--pages N`` for
quick runs) with the project's render generator, pages in the site's front-matter shape, then measures in one run:

  decode floor      every input PNG decoded once, one process (Pillow)
  GIF alone         the GIFs alone, by the project's GIF encoder (load_frames + encode_gif, as `pipeline encode
                    X.gif FRAME...` makes one), one process: the baseline of the cold build's goal (<= 2.5x)
  encoders          the same outputs made by calling the encoders directly in one process:
                    load_frames + GIF + MP4 + WebM + a thumbnail per frame; no planning, hashing or manifest
  cold --jobs 1     `pipeline build` from an empty output folder
  cold --jobs N     the same with N workers (default: the default --jobs, the usable CPUs)
  shards + merge    `pipeline build --shard K/N --jobs 1` for each K, then `pipeline merge` (``--shards N``)
  no-op rebuild     `pipeline build` with nothing changed (whole command, interpreter start-up included)
  one sequence      `pipeline build` after re-rendering one sequence, against that sequence's own encoding cost

For each: wall time, CPU time (getrusage of the process and the children it waited for: the figure to trust on a
shared machine, where wall times are noisy), CPU utilisation (CPU / wall / CPUs), peak RSS of the largest process
and (sampled) PSS of the whole process tree, the ratios the goals are stated in, the video bytes of the cold build,
and an estimate for the whole atlas (227 sequences, ``--atlas``) from the per-sequence figures. The generated site is kept under ``--dir`` (default ``.bench/build_speed``) and reused
when it matches the requested shape.

    python bench/build_speed.py                 # full size: 280 pages
    python bench/build_speed.py --pages 20      # quick
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.measure import in_child, run_measured  # noqa: E402
from tests.support.renders import seed_for, write_sequence  # noqa: E402

REGIONS = ["Leg", "Thigh", "Hip", "Foot", "Arm", "Forearm", "Hand", "Shoulder", "Neck", "Back", "Chest", "Abdomen", "Head", "Face"]
VIEWS = ["Lateral", "Medial", "Anterior", "Posterior", "Deep", "Superficial", "Dorsal", "Plantar", "Palmar", "Cross"]


def stems(n: int) -> list[str]:
    out = []
    k = 0
    while len(out) < n:
        r = REGIONS[k % len(REGIONS)]
        v = VIEWS[(k // len(REGIONS)) % len(VIEWS)]
        rep = k // (len(REGIONS) * len(VIEWS))
        out.append(f"{r}-{v}{rep + 1 if rep else ''}")
        k += 1
    return out


def page_text(stem: str, frames: int) -> str:
    slug = stem.lower().replace("-", "")
    title = f"Muscles of the {stem.replace('-', ' ').lower()}"
    gallery = "".join(
        f"  - image_url: muscles/png/{stem}-{n}.png\n    caption: '{title} - orientation {n}'\n    title: '{title} - orientation {n}'\n"
        for n in range(1, frames + 1)
    )
    return (
        "---\nlayout: page\n"
        f"permalink: /muscle/{stem.lower().replace('-', '/')}/\n\n"
        f"title: '{title}'\nsubheadline: 'Images and description.'\n\nheader: no\n\ntags: {stem.split('-')[0].lower()}\n\n"
        f"images:\n  - image_id: '{slug}'\n    image_name: 'muscles/gif/{stem}.gif'\n    image_title: '{title}'\n    image_alt: '{title}'\n\n"
        f"gallery:\n{gallery}\n---\n\n"
        f"The {title.lower()} act together on the joints they cross; this page shows them from {frames} orientations.\n\n"
        f"[Back››](/muscle/{stem.split('-')[0].lower()}/)\n\n"
        f'{{% include page-image im_id="{slug}" %}}\n\n{{% include gallery %}}\n'
    )


def _render(args) -> None:
    out_dir, stem, frames, size = args
    write_sequence(Path(out_dir), stem, frames, size, seed=seed_for(stem))


def generate(root: Path, pages: int, frames: int, size: tuple[int, int], workers: int) -> float:
    generator = hashlib.sha256(b"".join((REPO / "tests" / "support" / f"{m}.py").read_bytes() for m in ("renders", "scene", "raster")))
    shape = {"pages": pages, "frames": frames, "size": list(size), "generator": generator.hexdigest()}
    stamp = root / "site.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == shape:
        print(f"site: reusing {pages} pages x {frames} frames at {size[0]}x{size[1]} in {root}")
        return 0.0
    if root.exists():
        shutil.rmtree(root)
    t0 = time.perf_counter()
    (root / "raw" / "pages").mkdir(parents=True)
    png = root / "raw" / "images" / "muscles" / "png"
    png.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\nout = "dist"\n')
    names = stems(pages)
    for s in names:
        (root / "raw" / "pages" / f"{s.lower()}.md").write_text(page_text(s, frames), encoding="utf-8")
    with ProcessPoolExecutor(workers) as ex:
        list(ex.map(_render, [(str(png), s, frames, size) for s in names]))
    # renders are made before a build, not during it: age them out of the stat cache's racy window
    old = time.time() - 3600
    for p in png.iterdir():
        os.utime(p, (old, old))
    stamp.write_text(json.dumps(shape))
    dt = time.perf_counter() - t0
    print(f"site: generated {pages} pages x {frames} frames at {size[0]}x{size[1]} in {dt:.0f}s ({root})")
    return dt


# ---------------------------------------------------------------------------------------------------------------


def decode_floor(root: Path) -> dict:
    from PIL import Image

    n = 0
    for p in sorted((root / "raw" / "images").rglob("*.png")):
        with Image.open(p) as im:
            im.load()
        n += 1
    return {"frames": n}


def encoders_direct(root: Path, names: list[str], frames: int, scratch: Path) -> dict:
    """The outputs of ``names`` made by the encoders alone, in this process: every kind the settings enable
    (``pipeline.encode.kinds``), per animation and per frame, from frames decoded once."""
    from pipeline.config import load_config
    from pipeline.encode import kinds
    from pipeline.encode.frames import load_frames

    import resource

    def cpu() -> float:  # this process and the encoders it ran (ffmpeg, gifsicle)
        return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

    settings = load_config(root / "pyproject.toml").encode
    enabled = kinds.enabled(settings)
    scratch.mkdir(parents=True, exist_ok=True)
    png = root / "raw" / "images" / "muscles" / "png"
    per: dict[str, float] = {}
    by_kind = {k.name: 0.0 for k in enabled} | {"decode": 0.0}
    for s in names:
        t0 = time.perf_counter()
        paths = [png / f"{s}-{n}.png" for n in range(1, frames + 1)]
        c = cpu()
        fr = load_frames(paths, settings)
        by_kind["decode"] += cpu() - c
        for kind in enabled:
            c = cpu()
            if kind.per is kinds.Per.ANIMATION:
                kind.write(fr, tuple(range(frames)), scratch / Path(kind.output_name(f"{s}.gif")).name, settings, paths)
            else:
                for i in range(len(fr)):
                    kind.write(fr, (i,), scratch / Path(kind.output_name(f"{s}-{i + 1}.png")).name, settings, paths)
            by_kind[kind.name] += cpu() - c
        per[s] = time.perf_counter() - t0
        del fr
    shutil.rmtree(scratch, ignore_errors=True)
    return {"sequences": per, "cpu_by_kind": by_kind}


def gif_alone(root: Path, names: list[str], frames: int) -> dict:
    """The GIFs of ``names`` by the project's GIF encoder alone, frames decoded as it needs them, in this process."""
    import tempfile

    from pipeline.config import load_config
    from pipeline.encode.frames import load_frames
    from pipeline.encode.gif import encode_gif

    settings = load_config(root / "pyproject.toml").encode
    png = root / "raw" / "images" / "muscles" / "png"
    size = 0
    with tempfile.TemporaryDirectory(dir=root) as scratch:
        for s in names:
            dest = Path(scratch) / f"{s}.gif"
            encode_gif(load_frames([png / f"{s}-{n}.png" for n in range(1, frames + 1)], settings), dest, settings)
            size += dest.stat().st_size
    return {"bytes": size}


def pipeline_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", *args]


def summary_line(res: dict) -> str:
    lines = [ln for ln in res["out"].splitlines() if ln.startswith("build:")]
    return lines[-1] if lines else (res["out"] + res["err"]).strip()[-300:]


def show(label: str, r: dict, extra: str = "") -> None:
    parts = ", ".join(f"{k} {v}" for k, v in sorted(r["tree_parts"].items(), key=lambda kv: -kv[1]))
    print(
        f"  {label:<34} {r['seconds']:8.2f} s wall {r['cpu']:8.2f} s CPU (load {r['load']:.1f})  "
        f"peak {r['max_process_mb']:4.0f} MB largest process, {r['tree_mb']:4.0f} MB PSS all [{parts}]  {extra}"
    )


class Bench:
    """The measurements of one run, on the generated site at ``root``; ``fig`` holds every figure by name."""

    def __init__(self, args, root: Path, size: tuple[int, int]) -> None:
        self.args, self.root, self.size = args, root, size
        self.names = stems(args.pages)
        self.out = root / "dist"
        self.fig: dict[str, dict] = {}

    def best(self, measure, *a) -> dict:
        runs = [measure(*a) for _ in range(max(1, self.args.repeat))]
        return min(runs, key=lambda r: r["seconds"])

    def floors(self) -> None:
        fig, root = self.fig, self.root
        fig["decode_floor"] = self.best(in_child, decode_floor, root)
        show("decode floor (Pillow, 1 process)", fig["decode_floor"], f"{fig['decode_floor']['result']['frames']} PNGs")
        fig["gif_alone"] = self.best(in_child, gif_alone, root, self.names, self.args.frames)
        show("GIF alone (project's GIF encoder)", fig["gif_alone"], f"{fig['gif_alone']['seconds'] / len(self.names):.2f} s/sequence")
        fig["encoders"] = self.best(in_child, encoders_direct, root, self.names, self.args.frames, root / "scratch")
        per_seq, by_kind = fig["encoders"]["result"]["sequences"], fig["encoders"]["result"]["cpu_by_kind"]
        show("encoders alone (1 process)", fig["encoders"], f"{sum(per_seq.values()) / len(per_seq):.2f} s/sequence")
        n = len(per_seq)
        print("    CPU per sequence by output kind: " + ", ".join(f"{k} {v / n:.2f} s" for k, v in by_kind.items()))

    def manifest(self) -> bytes:
        """The recorded manifest of the output folder, as sorted JSON."""
        return self.manifest_of(self.out)

    def _cold(self, jobs: int) -> dict:
        from pipeline.build.state import state_dir

        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(state_dir(self.root, self.out), ignore_errors=True)
        r = run_measured(pipeline_cmd("--jobs", str(jobs), "--quiet"), self.root)
        if r["rc"] != 0:
            print(r["out"], r["err"])
            raise SystemExit(f"build --jobs {jobs} failed")
        return r

    def builds(self) -> None:
        fig, jobs = self.fig, self.args.jobs
        fig["cold_j1"] = self.best(self._cold, 1)
        show("cold build --jobs 1", fig["cold_j1"], summary_line(fig["cold_j1"]))
        manifest_j1 = self.manifest()
        fig["bytes"] = kind_bytes(manifest_j1)
        print("  output bytes of the cold build: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(fig["bytes"].items())))
        fig["cold_jN"] = self.best(self._cold, jobs)
        show(f"cold build --jobs {jobs}", fig["cold_jN"], summary_line(fig["cold_jN"]))
        manifest_jn = self.manifest()
        same = manifest_j1 == manifest_jn
        print(f"  manifest identical for --jobs 1 and --jobs {jobs}: {same}")
        if not same:
            a, b = json.loads(manifest_j1), json.loads(manifest_jn)
            diff = sorted(k for k in set(a["outputs"]) | set(b["outputs"]) if a["outputs"].get(k) != b["outputs"].get(k))
            parts = sorted({f for k in diff for f in ("fingerprint", "tools", "settings", "frames", "sha256") if (a["outputs"].get(k) or {}).get(f) != (b["outputs"].get(k) or {}).get(f)})
            print(f"    {len(diff)} output(s) differ, in: {', '.join(parts)}; tools then/now: {a['tools'] != b['tools']}")
        fig["noop"] = self.best(run_measured, pipeline_cmd("--quiet"), self.root)
        show("no-op rebuild (whole command)", fig["noop"], summary_line(fig["noop"]))
        fig["check"] = self.best(run_measured, pipeline_cmd("--check"), self.root)
        show("--check (whole command)", fig["check"], f"exit {fig['check']['rc']}")

    def shards(self) -> None:
        """`pipeline build --shard K/N --jobs 1` for every K, one after the other, then `pipeline merge`: what
        sharding costs beyond one cold build (every shard plans the whole site and hashes every frame)."""
        from pipeline.build.state import state_dir

        n = self.args.shards
        if n < 2:
            return
        dirs = [self.root / "shards" / str(k) for k in range(1, n + 1)]
        merged = self.root / "merged"
        for d in [*dirs, merged]:
            shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(state_dir(self.root, d), ignore_errors=True)
        runs = []
        for k, d in enumerate(dirs, 1):
            r = run_measured(pipeline_cmd("--shard", f"{k}/{n}", "--out", str(d.relative_to(self.root)), "--jobs", "1", "--quiet"), self.root)
            if r["rc"] != 0:
                raise SystemExit(f"build --shard {k}/{n} failed: {r['out']}{r['err']}")
            runs.append(r)
        m = run_measured([sys.executable, "-m", "pipeline", "merge", "--out", "merged", *[str(d.relative_to(self.root)) for d in dirs]], self.root)
        if m["rc"] != 0:
            raise SystemExit(f"merge failed: {m['out']}{m['err']}")
        same = self.manifest_of(merged) == self.manifest()
        self.fig["shards"] = {"seconds": max(r["seconds"] for r in runs), "cpu": sum(r["cpu"] for r in runs), "each_cpu": [r["cpu"] for r in runs]}
        self.fig["merge"] = m
        each = ", ".join(f"{c:.1f}" for c in self.fig["shards"]["each_cpu"])
        print(f"  {n} shards, --jobs 1 each, one after the other: {sum(r['seconds'] for r in runs):8.2f} s wall {self.fig['shards']['cpu']:8.2f} s CPU [{each}]; slowest shard {self.fig['shards']['seconds']:.2f} s wall")
        show("merge of the shards", m, f"{m['out'].strip()}; manifest identical to the cold build's: {same}")
        for d in [*dirs, merged]:
            shutil.rmtree(d, ignore_errors=True)

    def manifest_of(self, out: Path) -> bytes:
        from pipeline.build.state import read_state

        state = read_state(self.root, out)
        try:
            return state.manifest.dumps()
        finally:
            state.close()

    def one_sequence(self) -> None:
        """One sequence re-rendered (other seed): its own encoding cost vs. the rebuild."""
        frames, root = self.args.frames, self.root
        victim = self.names[len(self.names) // 2]
        png = root / "raw" / "images" / "muscles" / "png"
        try:
            owns, rebuilds = [], []
            for k in range(max(1, self.args.repeat)):
                write_sequence(png, victim, frames, self.size, seed=seed_for(victim) + 1 + k)
                owns.append(in_child(encoders_direct, root, [victim], frames, root / "scratch1"))
                rebuilds.append(run_measured(pipeline_cmd("--quiet"), root))
            self.fig["one_own"] = min(owns, key=lambda r: r["seconds"])
            self.fig["one_rebuild"] = min(rebuilds, key=lambda r: r["seconds"])
            show("one sequence: encoders alone", self.fig["one_own"])
            show("one sequence: rebuild (command)", self.fig["one_rebuild"], summary_line(self.fig["one_rebuild"]))
        finally:
            write_sequence(png, victim, frames, self.size, seed=seed_for(victim))
            old = time.time() - 3600
            for n in range(1, frames + 1):
                os.utime(png / f"{victim}-{n}.png", (old, old))


def kind_bytes(manifest: bytes) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in json.loads(manifest)["outputs"].values():
        out[e["kind"]] = out.get(e["kind"], 0) + e["size"]
    return out


def busy(r: dict, cpus: int) -> float:
    """CPU utilisation: CPU seconds of the process and its children / wall seconds / CPUs."""
    return r["cpu"] / r["seconds"] / cpus


def ratios(fig: dict, jobs: int, cpus: int) -> None:
    enc, floor, gif = fig["encoders"]["seconds"], fig["decode_floor"]["seconds"], fig["gif_alone"]["seconds"]
    c1, cn = fig["cold_j1"]["seconds"], fig["cold_jN"]["seconds"]
    own, one = fig["one_own"]["seconds"], fig["one_rebuild"]["seconds"]
    enc_cpu, c1_cpu, cn_cpu, gif_cpu = fig["encoders"]["cpu"], fig["cold_j1"]["cpu"], fig["cold_jN"]["cpu"], fig["gif_alone"]["cpu"]
    print(f"load average now {os.getloadavg()[0]:.2f} (wall figures are noisy on a shared machine; CPU figures in brackets are not)")
    print("ratios (wall; CPU in brackets):")
    print(f"  cold --jobs 1 / GIF alone           {c1 / gif:.3f}  [{c1_cpu / gif_cpu:.3f}]")
    print(f"  cold --jobs 1 / encoders alone      {c1 / enc:.3f}  [{c1_cpu / enc_cpu:.3f}]")
    print(f"  cold --jobs 1 / (encoders + floor)  {c1 / (enc + floor):.3f}  [{c1_cpu / (enc_cpu + fig['decode_floor']['cpu']):.3f}]")
    print(f"  pipeline overhead at --jobs 1       {c1 - enc:+.1f} s ({(c1 - enc) / enc * 100:+.1f}% of the encoders' cost)  [{c1_cpu - enc_cpu:+.1f} s CPU]")
    print(f"  speed-up --jobs {jobs} / --jobs 1        {c1 / cn:.2f} x  [CPU --jobs {jobs} / --jobs 1: {cn_cpu / c1_cpu:.2f}]")
    print(f"  CPU utilisation (CPU / wall / {cpus} CPUs) --jobs 1 {busy(fig['cold_j1'], cpus) * 100:.0f}%, --jobs {jobs} {busy(fig['cold_jN'], cpus) * 100:.0f}%"
          f"  (load average {fig['cold_jN']['load']:.1f}: what other work left of the CPUs bounds both)")
    print(f"  speed-up --jobs {jobs} with the CPUs free, from CPU time   {min(jobs, cpus) * c1_cpu / cn_cpu:.2f} x at most"
          f" (--jobs {jobs} costs {cn_cpu / c1_cpu:.2f}x the CPU of --jobs 1)")
    print(f"  one-sequence rebuild / own cost     {one / own:.2f}")
    if "shards" in fig:
        print(f"  shards' CPU, all together / cold --jobs 1   [{fig['shards']['cpu'] / c1_cpu:.3f}]  (+ merge {fig['merge']['cpu']:.2f} s CPU)")
    one_cpu, own_cpu = fig["one_rebuild"]["cpu"], fig["one_own"]["cpu"]
    floor_cpu = fig["decode_floor"]["cpu"]
    print("same goals in CPU seconds (insensitive to other work on the machine):")
    print(f"  one sequence: {one_cpu:.2f} s vs 1.2 x {own_cpu:.2f} + 1 = {1.2 * own_cpu + 1:.2f} s  -> {'met' if one_cpu <= 1.2 * own_cpu + 1 else 'MISS'}")
    print(f"  cold --jobs 1: {c1_cpu:.1f} s vs 1.1 x {enc_cpu:.1f} + {floor_cpu:.1f} = {1.1 * enc_cpu + floor_cpu:.1f} s  -> {'met' if c1_cpu <= 1.1 * enc_cpu + floor_cpu else 'MISS'}")
    print(f"  cold --jobs 1: {c1_cpu:.1f} s vs 2.5 x GIF alone {gif_cpu:.1f} = {2.5 * gif_cpu:.1f} s  -> {'met' if c1_cpu <= 2.5 * gif_cpu else 'MISS'}")
    renders = fig["encoders"]["result"]["cpu_by_kind"].get("render", 0.0)
    if renders:
        print(f"  the same without publishing the renders (GIF, MP4, WebM, thumbnails: the goal's set; the renders' encoder"
              f" CPU taken off): {c1_cpu - renders:.1f} s = {(c1_cpu - renders) / gif_cpu:.2f} x GIF alone"
              f" -> {'met' if c1_cpu - renders <= 2.5 * gif_cpu else 'MISS'}")
    print(f"  no-op: {fig['noop']['cpu']:.2f} s CPU")


def atlas(fig: dict, pages: int, jobs: int, cpus: int, sequences: int, shape: str) -> None:
    """The whole atlas, from the per-sequence figures of the cold builds."""
    per_cpu = fig["cold_j1"]["cpu"] / pages
    per_cpu_n = fig["cold_jN"]["cpu"] / pages
    per_wall_1, per_wall_n = fig["cold_j1"]["seconds"] / pages, fig["cold_jN"]["seconds"] / pages
    cpu, cpu_n = per_cpu * sequences, per_cpu_n * sequences
    print(f"whole atlas, estimated ({sequences} sequences of {shape}, from {pages} measured):")
    print(f"  --jobs 1: {per_cpu:.2f} s CPU per sequence -> {cpu / 60:.1f} min of CPU (wall at this run's pace: {per_wall_1 * sequences / 60:.1f} min)")
    print(f"  --jobs {jobs}: {per_cpu_n:.2f} s CPU per sequence -> {cpu_n / 60:.1f} min of CPU; {cpu_n / min(jobs, cpus) / 60:.1f} min on {min(jobs, cpus)} free CPUs"
          f" (wall at this run's pace: {per_wall_n * sequences / 60:.1f} min)")
    for shards in (2, 4):
        print(f"  {shards} shards of {cpus} free CPUs each (a CI matrix): about {cpu_n / cpus / shards / 60:.1f} min each, then a merge (a copy)")


def goals(fig: dict, jobs: int, cpus: int, default_jobs: int) -> bool:
    enc, floor, gif = fig["encoders"]["seconds"], fig["decode_floor"]["seconds"], fig["gif_alone"]["seconds"]
    c1, cn = fig["cold_j1"]["seconds"], fig["cold_jN"]["seconds"]
    noop = fig["noop"]["seconds"]
    own, one = fig["one_own"]["seconds"], fig["one_rebuild"]["seconds"]
    peak = max(fig[k]["tree_mb"] for k in ("cold_j1", "cold_jN", "noop", "one_rebuild"))
    peak_default = fig["cold_jN"]["tree_mb"] if jobs == default_jobs else float("nan")
    enc_peak = fig["encoders"]["tree_mb"]
    speedup, busy_n = c1 / cn, busy(fig["cold_jN"], cpus)
    rows = [
        ("no-op rebuild < 1 s", noop <= 1.0, f"{noop:.2f} s"),
        ("one sequence <= 1.2 x own + 1 s", one <= 1.2 * own + 1.0, f"{one:.2f} s vs {1.2 * own + 1.0:.2f} s (own {own:.2f} s)"),
        ("cold --jobs 1 <= 1.1 x encoders + decode floor", c1 <= 1.1 * enc + floor, f"{c1:.1f} s vs {1.1 * enc + floor:.1f} s ({c1 / enc:.3f} x encoders)"),
        ("cold --jobs 1 <= 2.5 x GIF alone", c1 <= 2.5 * gif, f"{c1:.1f} s vs {2.5 * gif:.1f} s ({c1 / gif:.2f} x; CPU {fig['cold_j1']['cpu'] / fig['gif_alone']['cpu']:.2f} x)"),
        (f"--jobs {jobs} >= 1.6 x --jobs 1, or >= 90% of CPUs busy", speedup >= 1.6 or busy_n >= 0.9, f"{speedup:.2f} x, {busy_n * 100:.0f}% busy"),
        (f"peak memory < 400 MB at the default --jobs ({default_jobs})", peak_default < 400.0,
         f"{peak_default:.0f} MB PSS, all processes" if jobs == default_jobs else f"not measured: run with --jobs {default_jobs}"),
        ("peak memory < 500 MB (all processes, PSS)", peak < 500.0, f"{peak:.0f} MB (encoders alone, one at a time: {enc_peak:.0f} MB)"),
    ]
    print("goals (wall time; noisy on a shared machine, see the CPU figures above):")
    ok_all = True
    for name, ok, text in rows:
        ok_all &= ok
        print(f"  [{'met ' if ok else 'MISS'}] {name:<52} {text}")
    return ok_all


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=280, help="pages (sequences) in the site (default: %(default)s, the real atlas)")
    ap.add_argument("--frames", type=int, default=16, help="orientations per sequence (default: %(default)s)")
    ap.add_argument("--size", default="600x800", help="render size WxH (default: %(default)s)")
    ap.add_argument("--dir", type=Path, default=REPO / ".bench" / "build_speed", help="where the site is generated (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=None, help="the parallel build's --jobs (default: the build's default, the usable CPUs, at least 2)")
    ap.add_argument("--shards", type=int, default=2, metavar="N", help="also build N shards and merge them (0: not; default: %(default)s)")
    ap.add_argument("--atlas", type=int, default=227, metavar="N", help="sequences of the whole atlas, for the estimate (default: %(default)s)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--repeat", type=int, default=1, metavar="N", help="measure each figure N times and keep the fastest (a shared machine is noisy; default: %(default)s)")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))
    root = args.dir.resolve()
    from pipeline.build.procs import default_jobs

    cpus = default_jobs()
    args.jobs = args.jobs or max(2, cpus)
    print(f"machine: {cpus} CPU(s), Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} (other work on the machine skews wall times)")
    # an installed package has its bytecode; an editable checkout run with PYTHONDONTWRITEBYTECODE would
    # recompile every module on every command
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "pipeline")], check=False, stdout=subprocess.DEVNULL)
    generate(root, args.pages, args.frames, (w, h), max(1, cpus or 1))
    bench = Bench(args, root, (w, h))
    print("measuring:")
    bench.floors()
    bench.builds()
    bench.shards()
    bench.one_sequence()
    ratios(bench.fig, args.jobs, cpus)
    atlas(bench.fig, args.pages, args.jobs, cpus, args.atlas, f"{w}x{h}x{args.frames}")
    ok_all = goals(bench.fig, args.jobs, cpus, default_jobs())
    if args.json:
        args.json.write_text(json.dumps({k: {kk: vv for kk, vv in v.items() if kk not in ("out", "err")} for k, v in bench.fig.items()}, indent=1))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
