"""How fast is `pipeline build`, against what the work itself costs?

Generates a site the size of the real atlas (280 pages, 16 orientations each, 600x800 renders; ``--pages N`` for
quick runs) with the project's render generator, pages in the site's front-matter shape, then measures in one run:

  decode floor      every input PNG decoded once, one process (Pillow)
  encoders          the same outputs made by calling the encoders directly in one process:
                    load_frames + GIF + MP4 + WebM + a thumbnail per frame; no planning, hashing or manifest
  cold --jobs 1     `pipeline build` from an empty output folder
  cold --jobs 2
  no-op rebuild     `pipeline build` with nothing changed (whole command, interpreter start-up included)
  one sequence      `pipeline build` after re-rendering one sequence, against that sequence's own encoding cost

For each: wall time, peak RSS of the largest process and (sampled) of the whole process tree, and the ratios the
goals are stated in. The generated site is kept under ``--dir`` (default ``.bench/build_speed``) and reused
when it matches the requested shape.

    python bench/build_speed.py                 # full size: 280 pages
    python bench/build_speed.py --pages 20      # quick
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

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
    shape = {"pages": pages, "frames": frames, "size": list(size), "generator": (REPO / "pipeline" / "renders.py").stat().st_size}
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


def _maxrss_mb(ru) -> float:
    return ru.ru_maxrss / 1024 if sys.platform != "darwin" else ru.ru_maxrss / 2**20


def _tree_mem(root_pid: int) -> dict[str, float]:
    """Memory of root_pid and its descendants (Linux /proc), MB: 'pss' (shared pages split between the processes
    that map them; what the tree really costs), 'rss' (summed, shared pages counted in every process), and PSS by
    program ('python', 'ffmpeg', 'gifsicle', ...)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out: dict[str, float] = {"pss": 0.0, "rss": 0.0}
    stack = [root_pid]
    while stack:
        p = stack.pop()
        stack += children.get(p, [])
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = {ln.split(":")[0]: int(ln.split()[1]) for ln in f if ln.split()[-1:] == ["kB"]}
            with open(f"/proc/{p}/comm") as f:
                comm = f.read().strip()
        except (OSError, ValueError, IndexError):
            continue
        kind = "python" if comm.startswith("python") or comm == "pipeline" else comm
        out["pss"] += fields.get("Pss", 0) / 1024
        out["rss"] += fields.get("Rss", 0) / 1024
        out[kind] = out.get(kind, 0.0) + fields.get("Pss", 0) / 1024
    return out


class _Sampler:
    """Peak of the tree's PSS (and the breakdown at that moment), sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak: dict[str, float] = {"pss": 0.0, "rss": 0.0}
        self.peak_rss = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            if os.path.isdir("/proc"):
                m = _tree_mem(self.pid)
                self.peak_rss = max(self.peak_rss, m["rss"])
                if m["pss"] > self.peak["pss"]:
                    self.peak = m
            self.stop.wait(0.05)

    def done(self) -> dict:
        self.stop.set()
        self.thread.join()
        parts = {k: round(v) for k, v in self.peak.items() if k not in ("pss", "rss")}
        return {"tree_mb": self.peak["pss"], "tree_rss_mb": self.peak_rss, "tree_parts": parts}


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run a command; wall time, its exit code and output, peak RSS of its largest process and of its process tree."""
    t0 = time.perf_counter()
    load = os.getloadavg()[0]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid)
    out_chunks = []
    err_chunks = []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    t_out.start()
    t_err.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    mem = sampler.done()
    t_out.join()
    t_err.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "rc": proc.returncode,
        "out": "".join(out_chunks),
        "err": "".join(err_chunks),
        "max_process_mb": _maxrss_mb(ru),
        "load": (load + os.getloadavg()[0]) / 2,
        **mem,
    }


def _in_child(fn, *args) -> dict:
    """Run fn(*args) in a fresh process (fork) and measure it like a command."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(r)
        try:
            res = fn(*args)
            os.write(w, json.dumps(res).encode())
        finally:
            os._exit(0)
    os.close(w)
    t0 = time.perf_counter()
    load = os.getloadavg()[0]
    sampler = _Sampler(pid)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    mem = sampler.done()
    os.close(r)
    return {
        "seconds": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "result": json.loads(data or b"null"),
        "max_process_mb": _maxrss_mb(ru),
        "load": (load + os.getloadavg()[0]) / 2,
        **mem,
    }


def decode_floor(root: Path) -> dict:
    from PIL import Image

    n = 0
    for p in sorted((root / "raw" / "images").rglob("*.png")):
        with Image.open(p) as im:
            im.load()
        n += 1
    return {"frames": n}


def encoders_direct(root: Path, names: list[str], frames: int, scratch: Path) -> dict:
    """The outputs of ``names`` made by the encoders alone, in this process."""
    from pipeline.config import load_config
    from pipeline.encode.frames import load_frames
    from pipeline.encode.gif import encode_gif
    from pipeline.encode.thumbs import write_thumbnail
    from pipeline.encode.video import encode_video

    settings = load_config(root / "pyproject.toml").encode
    scratch.mkdir(parents=True, exist_ok=True)
    png = root / "raw" / "images" / "muscles" / "png"
    per = {}
    for s in names:
        t0 = time.perf_counter()
        fr = load_frames([png / f"{s}-{n}.png" for n in range(1, frames + 1)], settings)
        encode_gif(fr, scratch / f"{s}.gif", settings)
        if settings.video:
            encode_video(fr, scratch / f"{s}.mp4", settings, "mp4")
            encode_video(fr, scratch / f"{s}.webm", settings, "webm")
        for i, a in enumerate(fr.images, 1):
            write_thumbnail(a, scratch / f"{s}-{i}-thumb.png", settings)
        per[s] = time.perf_counter() - t0
        del fr
    shutil.rmtree(scratch, ignore_errors=True)
    return per


def pipeline_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", *args]


def summary_line(res: dict) -> str:
    lines = [ln for ln in res["out"].splitlines() if ln.startswith("build:")]
    return lines[-1] if lines else (res["out"] + res["err"]).strip()[-300:]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=280, help="pages (sequences) in the site (default: %(default)s, the real atlas)")
    ap.add_argument("--frames", type=int, default=16, help="orientations per sequence (default: %(default)s)")
    ap.add_argument("--size", default="600x800", help="render size WxH (default: %(default)s)")
    ap.add_argument("--dir", type=Path, default=REPO / ".bench" / "build_speed", help="where the site is generated (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=2, help="the parallel build's --jobs (default: %(default)s)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--repeat", type=int, default=1, metavar="N", help="measure each figure N times and keep the fastest (a shared machine is noisy; default: %(default)s)")
    args = ap.parse_args(argv)
    w, h = (int(v) for v in args.size.lower().split("x"))
    root = args.dir.resolve()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cpus} CPU(s), Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} (other work on the machine skews wall times)")
    # an installed package has its bytecode; an editable checkout run with PYTHONDONTWRITEBYTECODE would
    # recompile every module on every command
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "pipeline")], check=False, stdout=subprocess.DEVNULL)
    generate(root, args.pages, args.frames, (w, h), max(1, cpus or 1))
    names = stems(args.pages)
    out = root / "dist"
    fig: dict[str, dict] = {}

    def show(label: str, r: dict, extra: str = "") -> None:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(r["tree_parts"].items(), key=lambda kv: -kv[1]))
        print(
            f"  {label:<34} {r['seconds']:8.2f} s wall {r['cpu']:8.2f} s CPU (load {r['load']:.1f})  "
            f"peak {r['max_process_mb']:4.0f} MB largest process, {r['tree_mb']:4.0f} MB PSS all [{parts}]  {extra}"
        )

    print("measuring:")
    def best(measure, *a) -> dict:
        runs = [measure(*a) for _ in range(max(1, args.repeat))]
        return min(runs, key=lambda r: r["seconds"])

    fig["decode_floor"] = best(_in_child, decode_floor, root)
    show("decode floor (Pillow, 1 process)", fig["decode_floor"], f"{fig['decode_floor']['result']['frames']} PNGs")
    fig["encoders"] = best(_in_child, encoders_direct, root, names, args.frames, root / "scratch")
    per_seq = fig["encoders"]["result"]
    show("encoders alone (1 process)", fig["encoders"], f"{sum(per_seq.values()) / len(per_seq):.2f} s/sequence")

    def cold(jobs: int) -> dict:
        shutil.rmtree(out, ignore_errors=True)
        r = run_measured(pipeline_cmd("--jobs", str(jobs), "--quiet"), root)
        if r["rc"] != 0:
            print(r["out"], r["err"])
            raise SystemExit(f"build --jobs {jobs} failed")
        return r

    fig["cold_j1"] = best(cold, 1)
    show("cold build --jobs 1", fig["cold_j1"], summary_line(fig["cold_j1"]))
    manifest_j1 = (out / ".pipeline-manifest.json").read_bytes()
    fig["cold_jN"] = best(cold, args.jobs)
    show(f"cold build --jobs {args.jobs}", fig["cold_jN"], summary_line(fig["cold_jN"]))
    manifest_jn = (out / ".pipeline-manifest.json").read_bytes()
    same = manifest_j1 == manifest_jn
    print(f"  manifest identical for --jobs 1 and --jobs {args.jobs}: {same}")
    if not same:
        a, b = json.loads(manifest_j1), json.loads(manifest_jn)
        diff = sorted(k for k in set(a["outputs"]) | set(b["outputs"]) if a["outputs"].get(k) != b["outputs"].get(k))
        parts = sorted({f for k in diff for f in ("fingerprint", "tools", "settings", "frames", "sha256") if (a["outputs"].get(k) or {}).get(f) != (b["outputs"].get(k) or {}).get(f)})
        print(f"    {len(diff)} output(s) differ, in: {', '.join(parts)}; tools then/now: {a['tools'] != b['tools']}")
    fig["noop"] = best(run_measured, pipeline_cmd("--quiet"), root)
    show("no-op rebuild (whole command)", fig["noop"], summary_line(fig["noop"]))
    fig["check"] = best(run_measured, pipeline_cmd("--check"), root)
    show("--check (whole command)", fig["check"], f"exit {fig['check']['rc']}")

    # one sequence re-rendered (other seed): its own encoding cost vs. the rebuild
    victim = names[len(names) // 2]
    png = root / "raw" / "images" / "muscles" / "png"
    try:
        owns, rebuilds = [], []
        for k in range(max(1, args.repeat)):
            write_sequence(png, victim, args.frames, (w, h), seed=seed_for(victim) + 1 + k)
            owns.append(_in_child(encoders_direct, root, [victim], args.frames, root / "scratch1"))
            rebuilds.append(run_measured(pipeline_cmd("--quiet"), root))
        fig["one_own"] = min(owns, key=lambda r: r["seconds"])
        fig["one_rebuild"] = min(rebuilds, key=lambda r: r["seconds"])
        show("one sequence: encoders alone", fig["one_own"])
        show("one sequence: rebuild (command)", fig["one_rebuild"], summary_line(fig["one_rebuild"]))
    finally:
        write_sequence(png, victim, args.frames, (w, h), seed=seed_for(victim))
        old = time.time() - 3600
        for n in range(1, args.frames + 1):
            os.utime(png / f"{victim}-{n}.png", (old, old))

    enc, floor = fig["encoders"]["seconds"], fig["decode_floor"]["seconds"]
    c1, cn = fig["cold_j1"]["seconds"], fig["cold_jN"]["seconds"]
    noop = fig["noop"]["seconds"]
    own, one = fig["one_own"]["seconds"], fig["one_rebuild"]["seconds"]
    peak = max(fig[k]["tree_mb"] for k in ("cold_j1", "cold_jN", "noop", "one_rebuild"))
    enc_peak = fig["encoders"]["tree_mb"]
    goals = [
        ("no-op rebuild < 1 s", noop, 1.0, f"{noop:.2f} s"),
        ("one sequence <= 1.2 x own + 1 s", one, 1.2 * own + 1.0, f"{one:.2f} s vs {1.2 * own + 1.0:.2f} s (own {own:.2f} s)"),
        ("cold --jobs 1 <= 1.1 x encoders + decode floor", c1, 1.1 * enc + floor, f"{c1:.1f} s vs {1.1 * enc + floor:.1f} s ({c1 / enc:.3f} x encoders)"),
        (f"--jobs {args.jobs} >= 1.8 x faster than --jobs 1", 1.8, c1 / cn, f"{c1 / cn:.2f} x"),
        ("peak memory < 500 MB (all processes, PSS)", peak, 500.0, f"{peak:.0f} MB (encoders alone, one at a time: {enc_peak:.0f} MB)"),
    ]
    print(f"load average now {os.getloadavg()[0]:.2f}")
    print("ratios (wall; CPU in brackets):")
    enc_cpu, c1_cpu = fig["encoders"]["cpu"], fig["cold_j1"]["cpu"]
    print(f"  cold --jobs 1 / encoders alone      {c1 / enc:.3f}  [{c1_cpu / enc_cpu:.3f}]")
    print(f"  cold --jobs 1 / (encoders + floor)  {c1 / (enc + floor):.3f}  [{c1_cpu / (enc_cpu + fig['decode_floor']['cpu']):.3f}]")
    print(f"  pipeline overhead at --jobs 1       {c1 - enc:+.1f} s ({(c1 - enc) / enc * 100:+.1f}% of the encoders' cost)  [{c1_cpu - enc_cpu:+.1f} s CPU]")
    print(f"  speed-up --jobs {args.jobs}                  {c1 / cn:.2f} x")
    print(f"  one-sequence rebuild / own cost     {one / own:.2f}")
    one_cpu, own_cpu = fig["one_rebuild"]["cpu"], fig["one_own"]["cpu"]
    floor_cpu = fig["decode_floor"]["cpu"]
    cn_cpu = fig["cold_jN"]["cpu"]
    print(f"  --jobs {args.jobs} CPU use                    {cn_cpu / cn:.2f} of {args.jobs} CPUs busy on average (--jobs 1: {c1_cpu / c1:.2f})")
    print("same goals in CPU seconds (insensitive to other work on the machine):")
    print(f"  one sequence: {one_cpu:.2f} s vs 1.2 x {own_cpu:.2f} + 1 = {1.2 * own_cpu + 1:.2f} s  -> {'met' if one_cpu <= 1.2 * own_cpu + 1 else 'MISS'}")
    print(f"  cold --jobs 1: {c1_cpu:.1f} s vs 1.1 x {enc_cpu:.1f} + {floor_cpu:.1f} = {1.1 * enc_cpu + floor_cpu:.1f} s  -> {'met' if c1_cpu <= 1.1 * enc_cpu + floor_cpu else 'MISS'}")
    print(f"  no-op: {fig['noop']['cpu']:.2f} s CPU")
    print("goals (wall time):")
    ok_all = True
    for name, value, limit, text in goals:
        ok = value <= limit
        ok_all &= ok
        print(f"  [{'met ' if ok else 'MISS'}] {name:<48} {text}")
    if args.json:
        args.json.write_text(json.dumps({k: {kk: vv for kk, vv in v.items() if kk not in ("out", "err")} for k, v in fig.items()}, indent=1))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
