"""What the build's state costs: a no-op build and a one-sequence rebuild of a generated 3,000-page site, this
checkout against a baseline revision of the project, in one run.

The site is `bench/lint_speed.py`'s generator (the real site's page shape, 16 frames a page, one folder of
frames). The baseline (``--baseline REV``, default: the last commit whose build kept its state in the output
folder) is exported with ``git archive`` and run from there; this checkout runs from its own tree. Each variant
gets its own copy of the site: the baseline's is built cold once (cached under ``.bench/``), and this checkout's
starts from a copy of the baseline's built site, so its first build is also a migration of the old state.

For each variant and each figure: the median wall time and the median CPU time (user + system of the command and
its children, from ``wait4``: what other work on a shared machine distorts least) of ``--reps`` runs, then the
ratios this checkout / baseline. Also printed: the size of the state on disk, and what the one-sequence rebuild
wrote to it.

    python bench/state_speed.py [--pages 3000] [--reps 3] [--baseline REV]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.lint_speed import FRAMES, cached_site  # noqa: E402

CACHE = REPO / ".bench"
BASELINE = "a84de8d"  # state in dist/: .pipeline-manifest.json, .pipeline-cache.json, .pipeline.lock
OLD_STATE = (".pipeline-manifest.json", ".pipeline-cache.json", ".pipeline.lock")


def run(code: Path, site: Path, *args: str) -> tuple[float, float, int]:
    """Wall and CPU seconds (the command and its children) and exit code of `pipeline build ARGS` run from
    ``code`` (a source tree) in ``site``."""
    env = dict(os.environ, PYTHONPATH=str(code))
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", *args], cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code_ = os.waitstatus_to_exitcode(status)
    if code_ not in (0, 1):
        sys.exit(f"pipeline build {' '.join(args)} in {site} exited {code_}:\n{err[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, code_


def export(rev: str) -> Path:
    sha = subprocess.run(["git", "rev-parse", "--short=12", rev], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    dest = CACHE / f"rev-{sha}"
    if not (dest / "pipeline" / "__init__.py").is_file():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "pipeline", "schemas"], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "pipeline")], check=True)
    return dest


def state_bytes(site: Path) -> int:
    """Bytes of build state: the old files in dist/ and the state folder beside the configuration."""
    n = sum((site / "dist" / name).stat().st_size for name in OLD_STATE if (site / "dist" / name).is_file())
    state = site / ".pipeline"
    if state.is_dir():
        n += sum(p.stat().st_size for p in state.rglob("*") if p.is_file())
    return n


def prepared(label: str, code: Path, source: Path, n: int) -> Path:
    """The variant's copy of the site, built (cold, or from ``source``'s built copy); cached."""
    site = CACHE / f"state-{n}-{label}"
    stamp = site / ".built"
    if stamp.is_file():
        return site
    if site.exists():
        shutil.rmtree(site)
    t = time.perf_counter()
    shutil.copytree(source, site, symlinks=True)
    wall, cpu, rc = run(code, site, "-q")
    print(f"  ({label}: first build {wall:.0f} s wall, {cpu:.0f} s CPU, exit {rc}; copy included {time.perf_counter() - t:.0f} s)", flush=True)
    stamp.write_text("")
    return site


def victim_frames(site: Path) -> list[Path]:
    """The frames of one page in the middle of the site."""
    pages = sorted((site / "pages").glob("*.md"))
    text = pages[len(pages) // 2].read_text(encoding="utf-8")
    urls = [ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.strip().startswith("- image_url:")]
    return [site / "images" / u for u in urls]


def measure(label: str, code: Path, site: Path, reps: int) -> dict[str, tuple[float, float]]:
    run(code, site, "-q")  # warm: every figure reads warm files
    noop = [run(code, site, "-q") for _ in range(reps)]
    check = [run(code, site, "--check") for _ in range(reps)]
    frames = victim_frames(site)
    originals = [f.read_bytes() for f in frames]
    one = []
    try:
        for k in range(reps):
            for f, data in zip(frames, originals):  # new bytes, same pixels: a re-render the encoders must redo
                f.write_bytes(data + f"bench{k}".encode())
                t = time.time() - 3600
                os.utime(f, (t, t))
            one.append(run(code, site, "-q"))
    finally:
        for f, data in zip(frames, originals):
            f.write_bytes(data)
            t = time.time() - 3600
            os.utime(f, (t, t))
        run(code, site, "-q")
    fig = {
        "no-op build": (statistics.median(w for w, _, _ in noop), statistics.median(c for _, c, _ in noop)),
        "build --check": (statistics.median(w for w, _, _ in check), statistics.median(c for _, c, _ in check)),
        "one-sequence rebuild": (statistics.median(w for w, _, _ in one), statistics.median(c for _, c, _ in one)),
    }
    print(f"{label}: state on disk {state_bytes(site) / 1e6:.1f} MB")
    for name, (wall, cpu) in fig.items():
        print(f"  {name:<22} {wall:7.3f} s wall  {cpu:7.3f} s CPU")
    return fig


# The state alone, in one process: load everything a no-op build reads (manifest, stat cache, every page record),
# then record one sequence's outputs and frames as rebuilt and save. Run on a copy of the variant's state.
_FLOOR_COMMON = """
import json, os, sys, time
from pathlib import Path
site, tmp = Path(sys.argv[1]), Path(sys.argv[2])
def clock():
    return time.perf_counter(), time.process_time()
def since(t):
    return [time.perf_counter() - t[0], time.process_time() - t[1]]
def one_sequence(m, c):
    page = sorted({e["page"] for e in m.outputs.values()})[len(m.outputs) // 40]
    stem = page.rsplit("_", 1)[-1][:-3]
    for k, e in list(m.outputs.items()):
        if e["page"] == page:
            m.set(k, {**e, "sha256": "0" * 64})
            c.record_output(k, [1, 2, 3], "0" * 64)
    frames = [k for k in c.files if stem in k.lower().replace("-", "")]
    for k in frames:
        c.record(k, [1, 2, 3], "1" * 64, 0)
    return len(frames)
"""
FLOOR_OLD = _FLOOR_COMMON + """
import shutil
from pipeline.build.hashcache import HashCache
from pipeline.build.manifest import Manifest
out = tmp / "dist"
out.mkdir(parents=True)
for name in (".pipeline-manifest.json", ".pipeline-cache.json"):
    shutil.copy(site / "dist" / name, out / name)
context = json.loads((out / ".pipeline-cache.json").read_bytes())["context"]
t = clock()
m, c = Manifest.load(out), HashCache.load(out, context)
load = since(t)
n = one_sequence(m, c)
t = clock()
m.save(); c.save()
print(json.dumps({"load": load, "save": since(t), "outputs": len(m.outputs), "frames": n}))
"""
FLOOR_NEW = _FLOOR_COMMON + """
import shutil, sqlite3
from pipeline.build.state import DB_NAME, BuildState, state_dir
src = state_dir(site, site / "dist") / DB_NAME
dest = state_dir(tmp, tmp / "dist")
dest.mkdir(parents=True)
shutil.copy(src, dest / DB_NAME)
with sqlite3.connect(dest / DB_NAME) as db:
    context = dict(db.execute("SELECT key, value FROM meta"))["context"]
t = clock()
state = BuildState.open(tmp, tmp / "dist", context, write=True)
for k in sorted(state.cache.page_keys):
    state.cache.page(k)
load = since(t)
n = one_sequence(state.manifest, state.cache)
t = clock()
state.save()
print(json.dumps({"load": load, "save": since(t), "outputs": len(state.manifest.outputs), "frames": n}))
"""


def state_floor(code: Path, site: Path, reps: int) -> dict[str, list[float]]:
    """The state's own load and one-sequence save, medians of ``reps`` runs (wall, CPU)."""
    import json
    import tempfile

    script = FLOOR_NEW if (code / "pipeline" / "build" / "state.py").is_file() else FLOOR_OLD
    runs = []
    for _ in range(reps):
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            out = subprocess.run([sys.executable, "-c", script, str(site), tmp], env=dict(os.environ, PYTHONPATH=str(code)), cwd=tmp,
                                 capture_output=True, text=True, check=True).stdout
            runs.append(json.loads(out))
    fig = {k: [statistics.median(r[k][i] for r in runs) for i in (0, 1)] for k in ("load", "save")}
    print(f"  state alone: load {fig['load'][0]:.3f} s wall {fig['load'][1]:.3f} s CPU; one-sequence save "
          f"{fig['save'][0]:.3f} s wall {fig['save'][1]:.3f} s CPU ({runs[0]['outputs']} outputs, {runs[0]['frames']} frames changed)")
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--reps", type=int, default=3, help="runs per figure (medians)")
    ap.add_argument("--baseline", default=BASELINE, help="revision to compare with (default: %(default)s)")
    a = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "pipeline")], check=False)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s); site: {a.pages} pages, {a.pages * FRAMES} frames", flush=True)
    site = cached_site(a.pages, 0)
    base_code = export(a.baseline)
    base_site = prepared(f"base-{base_code.name[4:]}", base_code, site, a.pages)
    this_site = prepared("this", REPO, base_site, a.pages)
    base = measure(f"baseline {a.baseline}", base_code, base_site, a.reps)
    floor = state_floor(base_code, base_site, a.reps)
    base.update({"state load (alone)": tuple(floor["load"]), "state save (alone)": tuple(floor["save"])})
    this = measure("this checkout", REPO, this_site, a.reps)
    floor = state_floor(REPO, this_site, a.reps)
    this.update({"state load (alone)": tuple(floor["load"]), "state save (alone)": tuple(floor["save"])})
    print("ratios, this checkout / baseline (wall; CPU):")
    for name in base:
        (bw, bc), (tw, tc) = base[name], this[name]
        print(f"  {name:<22} {tw / bw:5.2f}  {tc / bc:5.2f}")


if __name__ == "__main__":
    main()
