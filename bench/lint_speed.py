"""Lint speed against its floor, with the image checks on, on sites laid out like the real one.

Measures, in one run, each as a user runs it (`pipeline lint` as a new process, start-up included):
  * the real sample (../shared/corpus/muscle-atlas/pages, skipped when absent) with a placeholder PNG for every
    frame its galleries name (all in one folder ``muscles/png/``, as on the site; the render the site lacks stays
    absent);
  * generated sites of N pages in the site's shape (default 1,000, 3,000 and 10,000), 16 frames per page, every
    frame in one folder (``--frames-per-folder K`` also lays the frames out K to a folder);
  * a no-op `pipeline build` of a generated site (``--build-pages``, default 3,000; built once, cold, then timed).

For each site it prints the floor -- parsing every page's front matter with PyYAML's C loader, plus one
``scandir`` of each folder of the images root, plus reading each PNG's first 33 bytes: the least any checker must
do -- then `pipeline lint` with the image checks and `pipeline lint --no-files` (against the C loader alone, as
before), their ratios, and lint's peak memory (max RSS of the process). Linear growth shows as a ratio that stays
put from 1,000 to 10,000 pages. Generated sites are cached under .bench/ (delete it to regenerate).

With ``--instructions`` (valgrind installed) each site also gets instruction counts of the floor and of lint, whose
ratio the other work on a shared machine cannot move.

    python bench/lint_speed.py [--pages 1000,3000,10000] [--frames-per-folder 0,400] [--reps 1] [--build-pages 3000] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path
import struct

import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench"
CORPUS = ROOT.parent / "shared" / "corpus" / "muscle-atlas" / "pages"
ABSENT = "Shoulder-ScapularPartDeltoid"  # a render the real site lacks (its pages' findings are real)
REGIONS = ["abdomen", "arm", "back", "forearm", "hand", "head", "hip", "leg", "neck", "shoulder", "thigh", "foot"]
FRAMES = 16
GENERATOR = "5"  # bump when the generated sites change


def placeholder_png(w: int = 16, h: int = 16) -> bytes:
    """A small, complete RGB PNG (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes([200, 60, 50]) * w for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PNG = placeholder_png()


# -- the floor -------------------------------------------------------------------------------------------------

def floor_pages(files: list[Path]) -> tuple[float, float]:
    """Read each file and parse its front matter with the C loader: (wall, CPU) seconds."""
    t, c = time.perf_counter(), time.process_time()
    for f in files:
        text = f.read_text(encoding="utf-8")
        if text.startswith("---"):
            end = text.find("\n---", 3)
            yaml.load(text[3:end], Loader=yaml.CSafeLoader)
    return time.perf_counter() - t, time.process_time() - c


def floor_images(root: Path) -> tuple[float, float, int]:
    """One scandir per folder of the images root and the first 33 bytes of each PNG (signature + IHDR): (wall,
    CPU) seconds and the number of PNGs."""
    t, c = time.perf_counter(), time.process_time()
    n = 0
    todo = [str(root)]
    while todo:
        d = todo.pop()
        with os.scandir(d) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    todo.append(e.path)
                elif e.name.endswith(".png"):
                    fd = os.open(e.path, os.O_RDONLY)
                    os.read(fd, 33)
                    os.close(fd)
                    n += 1
    return time.perf_counter() - t, time.process_time() - c, n


# -- running the project's command ------------------------------------------------------------------------------

def run(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and peak RSS (KiB) of one command as a new process."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(args)} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def instructions(args: list[str], cwd: Path) -> int:
    """Instructions one command executes, counted by valgrind's cachegrind: a figure the other work on a shared
    machine cannot move (wall and CPU time can, by a factor of two)."""
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *args],
                          cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if not m:
        sys.exit(f"valgrind gave no instruction count for {' '.join(args)}:\n{proc.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def floor_instructions(pages: Path, images: Path) -> int:
    """The floor's instructions: this script doing the floor's work, less the same script stopping before it."""
    me = [sys.executable, str(Path(__file__).resolve()), "--floor-only", str(pages), str(images)]
    return instructions(me, ROOT) - instructions(me + ["--dry"], ROOT)


def lint_instructions(pages: Path, images: Path, cwd: Path) -> int:
    return instructions([sys.executable, "-m", "pipeline", "lint", "--images", str(images), "--format", "json", "-o",
                         os.devnull, str(pages)], cwd)


def lint(target: Path, images: Path | None, cwd: Path) -> tuple[float, float, int]:
    files = ["--images", str(images)] if images is not None else ["--no-files"]
    return run([sys.executable, "-m", "pipeline", "lint", *files, "--format", "json", "-o", os.devnull, str(target)], cwd)


# -- sites ------------------------------------------------------------------------------------------------------

def _words(name: str) -> list[str]:
    path = ROOT / "pipeline" / "lint" / "text" / "data" / name
    return sorted({w.strip() for w in path.read_text(encoding="utf-8").split() if not w.startswith("#")})


def common_english() -> list[str]:
    """Words of SCOWL's sizes 10 to 55 (the common ones), 3 to 10 letters: the vocabulary of ordinary prose. Drawing
    from the whole list instead fills pages with rare words and variants no real page carries."""
    data = ROOT / "pipeline" / "lint" / "text" / "data"
    words = (data / "english.txt").read_text(encoding="utf-8").split("\n")
    sizes = (data / "english-sizes.txt").read_text(encoding="ascii").strip()
    return [w for w, z in zip(words, sizes) if z in "12345" and w.isalpha() and w.islower() and 3 <= len(w) <= 10]


def frame_folder(index: int, per_folder: int) -> str:
    return "muscles/png" if not per_folder else f"muscles/png/{index // per_folder:04d}"


def generate(site: Path, n: int, per_folder: int = 0) -> None:
    """N pages in the site's shape (one region page per region, the rest muscle pages, 16 frames each), with a
    placeholder render for every frame, and a pyproject.toml pointing at them."""
    pages, images = site / "pages", site / "images"
    pages.mkdir(parents=True)
    rng = random.Random(20261121)
    latin = [w for w in _words("anatomy.txt") if w.isalpha() and w.islower() and len(w) > 4 and w != "muscle"]
    english = common_english()
    used: set[tuple[str, str]] = set()
    frame_no = 0
    for i in range(n):
        region = REGIONS[i % len(REGIONS)]
        if i < len(REGIONS):
            slug, stem, title, back = region, region.capitalize(), f"Muscles of the {region}", "/muscle/"
            permalink, tags, prose = f"/muscle/{region}/", "muscle", ""
        else:
            while True:  # a unique two-word Latin name per page
                w1, w2 = rng.choice(latin), rng.choice(latin)
                if w1 != w2 and (w1, w2) not in used:
                    used.add((w1, w2))
                    break
            slug, stem = f"{region}{w1}{w2}", f"{region.capitalize()}-{w1.capitalize()}{w2.capitalize()}"
            title, back = f"The {w1} {w2} muscle of the {region}", f"/muscle/{region}/"
            permalink, tags = f"/muscle/{region}/{w1}{w2}/", region
            prose = (f"The {w1} {w2} muscle " + " ".join(rng.choice(english) for _ in range(24)) + ". "
                     + " ".join(rng.choice(english) for _ in range(18)) + ".")
        folder = frame_folder(frame_no, per_folder)
        (images / folder).mkdir(parents=True, exist_ok=True)
        gallery = []
        for k in range(1, FRAMES + 1):
            (images / folder / f"{stem}-{k}.png").write_bytes(PNG)
            gallery.append(f"  - image_url: {folder}/{stem}-{k}.png\n    caption: '{title} - orientation {k}'\n    title: '{title} - orientation {k}'\n")
        frame_no += FRAMES
        (pages / f"muscle_{slug}.md").write_text(
            f"---\nlayout: page\npermalink: {permalink}\ntitle: '{title}'\nsubheadline: 'Images and description.'\n"
            f"header: no\ntags: {tags}\nimages:\n  - image_id: '{slug}'\n    image_name: 'muscles/gif/{stem}.gif'\n"
            f"    image_title: '{title}'\n    image_alt: '{title}'\ngallery:\n{''.join(gallery)}---\n\n"
            f"{prose}\n\n[Back››]({back})\n\n{{% include page-image im_id=\"{slug}\" %}}\n\n{{% include gallery %}}\n",
            encoding="utf-8",
        )
    (site / "pyproject.toml").write_text(
        '[tool.pipeline]\npages = ["pages"]\nimages = "images"\nout = "dist"\n\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/"]\n'
    )


def cached_site(n: int, per_folder: int) -> Path:
    site = CACHE / f"lint-{GENERATOR}-{n}-{per_folder}"
    if not (site / "pyproject.toml").is_file():
        if site.exists():
            import shutil

            shutil.rmtree(site)
        t = time.perf_counter()
        generate(site, n, per_folder)
        print(f"  (generated {n} pages and their frames in {time.perf_counter() - t:.0f} s)", flush=True)
    return site


def real_sample_images() -> Path:
    """A placeholder for every frame the real sample's galleries name, but the one the site lacks."""
    images = CACHE / f"real-images-{GENERATOR}"
    if not images.is_dir():
        names = set()
        for p in CORPUS.rglob("*.md"):
            for line in p.read_text(encoding="utf-8").splitlines():
                s = line.strip()
                if s.startswith("- image_url:") and ABSENT not in s:
                    names.add(s.split(":", 1)[1].strip().strip("'\""))
        for name in names:
            dest = images / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(PNG)
    return images


# -- measuring -------------------------------------------------------------------------------------------------

def measure(label: str, pages: Path, images: Path, cwd: Path, reps: int, counted: bool = False) -> tuple[float, ...]:
    """Print the floor and lint's figures for one site; return lint's ratios to the floor (wall, CPU[, instructions])."""
    files = sorted(pages.rglob("*.md"))
    floor_pages(files), floor_images(images), lint(pages, images, cwd)  # warm the caches: every figure reads warm files
    med = statistics.median
    fp_runs = [floor_pages(files) for _ in range(reps)]
    fi_runs = [floor_images(images) for _ in range(reps)]
    with_images = [lint(pages, images, cwd) for _ in range(reps)]
    no_files = [lint(pages, None, cwd) for _ in range(reps)]
    fp, fp_cpu = med(r[0] for r in fp_runs), med(r[1] for r in fp_runs)
    fi, fi_cpu, frames = med(r[0] for r in fi_runs), med(r[1] for r in fi_runs), fi_runs[0][2]
    wall, cpu = med(r[0] for r in with_images), med(r[1] for r in with_images)
    nf, nf_cpu = med(r[0] for r in no_files), med(r[1] for r in no_files)
    rss = max(r[2] for r in with_images) / 1024
    floor, floor_cpu = fp + fi, fp_cpu + fi_cpu
    print(f"{label}: {len(files)} pages, {frames} frames (wall s / CPU s)")
    print(f"  floor: C loader {fp:6.3f} / {fp_cpu:6.3f} + scandir and PNG headers {fi:6.3f} / {fi_cpu:6.3f}"
          f" = {floor:6.3f} / {floor_cpu:6.3f}")
    print(f"  pipeline lint (images)    {wall:7.3f} / {cpu:7.3f}   {wall / floor:5.2f}x / {cpu / floor_cpu:5.2f}x floor"
          f"   peak RSS {rss:6.0f} MiB")
    print(f"  pipeline lint --no-files  {nf:7.3f} / {nf_cpu:7.3f}   {nf / fp:5.2f}x / {nf_cpu / fp_cpu:5.2f}x the C loader",
          flush=True)
    if not counted:
        return wall / floor, cpu / floor_cpu
    fl, li = floor_instructions(pages, images), lint_instructions(pages, images, cwd)
    print(f"  instructions: floor {fl / 1e9:6.2f} G, pipeline lint (images, start-up included) {li / 1e9:6.2f} G"
          f"   {li / fl:5.2f}x floor", flush=True)
    return wall / floor, cpu / floor_cpu, li / fl


def noop_build(n: int) -> None:
    """A cold build of a generated site (once; cached), then a timed no-op build and --check."""
    site = cached_site(n, 0)
    if not (site / "dist" / ".pipeline-manifest.json").is_file() and not (site / ".pipeline").is_dir():
        t = time.perf_counter()
        run([sys.executable, "-m", "pipeline", "build", "-q"], site)
        print(f"  (cold build of {n} pages in {time.perf_counter() - t:.0f} s)", flush=True)
    run([sys.executable, "-m", "pipeline", "build", "-q"], site)  # warm the caches, as for lint
    wall, cpu, rss = run([sys.executable, "-m", "pipeline", "build", "-q"], site)
    check, check_cpu, _ = run([sys.executable, "-m", "pipeline", "build", "--check"], site)
    print(f"no-op build: {n} pages, {n * FRAMES} frames: pipeline build {wall:.3f} s wall / {cpu:.3f} s CPU (peak RSS "
          f"{rss / 1024:.0f} MiB), pipeline build --check {check:.3f} / {check_cpu:.3f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default="1000,3000,10000", help="comma-separated page counts of the generated sites")
    ap.add_argument("--frames-per-folder", default="0", help="comma-separated layouts: 0 = every frame in one folder")
    ap.add_argument("--reps", type=int, default=1, help="runs per figure (medians)")
    ap.add_argument("--build-pages", type=int, default=3000, help="pages of the no-op build site (0: skip)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions under valgrind (slow: about 50x; steady on a busy machine)")
    ap.add_argument("--floor-only", nargs=2, metavar=("PAGES", "IMAGES"), help=argparse.SUPPRESS)
    ap.add_argument("--dry", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.floor_only:  # the floor's work alone, for --instructions
        files = sorted(Path(a.floor_only[0]).rglob("*.md"))
        if not a.dry:
            floor_pages(files), floor_images(Path(a.floor_only[1]))
        return
    # as on a user's machine: every module starts from bytecode (compiled here in case PYTHONDONTWRITEBYTECODE is set)
    import sysconfig

    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(ROOT / "pipeline"), sysconfig.get_paths()["purelib"]],
                   stdout=subprocess.DEVNULL, check=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"])
    print(f"python start-up alone: {time.perf_counter() - t:.3f} s")
    if CORPUS.is_dir():
        measure("real sample", CORPUS, real_sample_images(), ROOT, a.reps, a.instructions)
    else:
        print(f"real sample: skipped ({CORPUS} not present)")
    ratios = {}
    for per in (int(x) for x in a.frames_per_folder.split(",")):
        for n in (int(x) for x in a.pages.split(",")):
            site = cached_site(n, per)
            layout = "one folder" if not per else f"{per} frames a folder"
            ratios[(per, n)] = measure(f"generated site ({layout})", site / "pages", site / "images", site, a.reps, a.instructions)
        ns = sorted(n for p, n in ratios if p == per)
        if len(ns) > 1:
            lo, hi = ratios[(per, ns[0])], ratios[(per, ns[-1])]
            print(f"growth ({layout}): ratio to floor at {ns[-1]} pages / at {ns[0]} pages = {hi[0] / lo[0]:.2f} wall, "
                  f"{hi[1] / lo[1]:.2f} CPU" + (f", {hi[2] / lo[2]:.2f} instructions" if a.instructions else ""))
    if a.build_pages:
        noop_build(a.build_pages)


if __name__ == "__main__":
    main()
