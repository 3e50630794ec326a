"""Run the build plan incrementally: rebuild an output only when what produces it changed.

Flow (``build_paths``): take the output folder's lock -> sweep temporaries a killed build left -> plan the pages
(parsing only pages whose bytes changed) -> for each unit, decide from stats alone whether it is certainly up to
date (the stat cache gives the frames' content hashes, the manifest gives the outputs' fingerprints, size and
hash) -> run the other units, in parallel processes, where a worker hashes the frames it must, computes each
output's fingerprint, and decodes the frames once to write only the outputs that are stale -> record each
completed output in the manifest -> remove outputs whose page or sequence is gone -> write the manifest.

Every file is written under a temporary name in its folder and renamed into place (``pipeline.content.atomic``), and the
manifest only lists an output after it was renamed complete, so a build killed at any moment leaves each output
complete or absent, and the next build finishes the job. See ``manifest``, ``hashcache``, ``fingerprint``, ``lock``.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import multiprocessing
import os
import signal
import stat
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.content.atomic import atomic_path, sweep_temporaries, write_bytes
from pipeline.config import Config
from pipeline.encode.settings import EncodeSettings
from pipeline.content.files import ImageFiles
from pipeline.build.fingerprint import Fingerprinter, hash_file, sha256_bytes, tool_versions
from pipeline.build.hashcache import HashCache, stat_key
from pipeline.build.lock import BuildLock
from pipeline.build.manifest import Manifest
from pipeline.build.plan import Output, PagePlan, SitePlan, Skipped, Unit, combine, page_plan
from pipeline.build.progress import Progress

# The manifest (and stat cache) are also written during a build, so a killed build keeps what it finished: at most
# every SAVE_EVERY_S, and never more often than SAVE_COST_RATIO times what the last save took (<= 2% of the time).
SAVE_EVERY_S = 10.0
SAVE_COST_RATIO = 50


@dataclass
class Failure:
    page: str
    line: int
    message: str


@dataclass
class Stale:
    page: str
    line: int
    path: str
    reason: str


@dataclass
class BuildOptions:
    force: bool = False  # rebuild every output
    check: bool = False  # decide only; report what is stale (exit 1) or nothing (exit 0)
    dry_run: bool = False  # decide only; print the plan
    jobs: int | None = None  # worker processes (default: the CPUs this process may use)
    whole_site: bool = True  # the targets are every configured page: outputs of pages that are gone are removed
    lock_timeout: float | None = None  # seconds to wait for another build (None: as long as it takes)

    @property
    def decide_only(self) -> bool:
        return self.check or self.dry_run


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)  # written (encoded or copied from an identical output)
    reused: list[str] = field(default_factory=list)  # of ``built``: copied from an identical output elsewhere
    current: int = 0  # outputs already up to date
    removed: list[str] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)  # --check / --dry-run: what a build would write
    to_remove: list[str] = field(default_factory=list)  # --check / --dry-run: what a build would remove
    failures: list[Failure] = field(default_factory=list)  # one per page not built or sequence that failed
    findings: list = field(default_factory=list)  # the build-input findings of the pages not built (lint's Finding)
    skipped: list[Skipped] = field(default_factory=list)
    units: int = 0
    seconds: float = 0.0
    check: bool = False

    @property
    def exit_code(self) -> int:
        if self.failures or self.skipped:
            return 1
        if self.check and (self.stale or self.to_remove):
            return 1
        return 0


# --------------------------------------------------------------------------------------------------------------
# Work for one unit, in a worker process (or in this one with --jobs 1)


@dataclass
class OutputJob:
    output: Output
    prev: dict | None  # its manifest entry
    state: str  # 'ok' (stat matches what was recorded) | 'missing' | 'altered' (size differs) | 'verify' (re-hash)


@dataclass
class Job:
    index: int
    unit: Unit
    paths: list[str]  # the frame files, in unit order
    stats: list[list[int] | None]  # [size, mtime_ns, inode] as planned
    hashes: list[str | None]  # content hashes known from the stat cache
    outputs: list[OutputJob]
    build: bool
    force: bool


@dataclass
class OutputDone:
    path: str
    status: str  # 'current' | 'built' | 'reused' | 'stale' | 'failed' | 'unstable'
    reason: str = ""
    entry: dict | None = None  # the manifest entry (for current/built/reused)
    stat: list[int] | None = None  # output [size, mtime_ns, inode] for the stat cache


@dataclass
class Outcome:
    index: int
    outputs: list[OutputDone] = field(default_factory=list)
    frames: list[tuple[str, list[int], str, int]] = field(default_factory=list)  # (path, stat, sha, hashed_at)
    failure: str | None = None
    failure_line: int = 0  # the gallery line of the frame at fault, when one is
    seconds: float = 0.0


@dataclass
class WorkerContext:
    out: Path
    settings: EncodeSettings
    fingerprinter: Fingerprinter
    by_fingerprint: dict[str, list[tuple[str, str, int]]]  # fingerprint -> [(path, sha256, size)] recorded
    parent: int = 0


_CTX: WorkerContext | None = None


def _init_worker(ctx: WorkerContext) -> None:
    global _CTX
    _CTX = ctx
    _limit_arenas()
    if sys.platform.startswith("linux"):
        # die with the build: a killed build leaves no worker writing into the output folder
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001 - best effort; the lock still keeps the next build waiting
            pass
    if ctx.parent and os.getppid() != ctx.parent:
        os._exit(1)


_LIBC = None
_M_ARENA_MAX = -8


def _libc():
    global _LIBC
    if _LIBC is None:
        _LIBC = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                lib = ctypes.CDLL("libc.so.6")
                lib.malloc_trim, lib.mallopt  # glibc only
                _LIBC = lib
            except (OSError, AttributeError):
                pass
    return _LIBC


def _limit_arenas() -> None:
    """Two malloc arenas for the whole process. The decoders and encoders run thread pools, and glibc gives each
    thread its own arena; freed frames and buffers then stay scattered over many arenas and a worker's footprint
    grows unit after unit (measured: +30 MB over 30 sequences, 155 MB peaks instead of 120). Same speed."""
    lib = _libc()
    if lib:
        lib.mallopt(_M_ARENA_MAX, 2)


def _release_memory() -> None:
    """Give the heap a stage used (frames, encoder buffers) back to the system."""
    lib = _libc()
    if lib:
        lib.malloc_trim(0)


def _stale_reason(oj: OutputJob, fp: str, parts: dict, force: bool, out: Path) -> tuple[str | None, list[int] | None, str | None]:
    """(reason or None when current, output stat when verified, verified sha)."""
    prev = oj.prev
    if force:
        return "forced", None, None
    if prev is None:
        return ("not recorded in the manifest" if oj.state != "missing" else "new"), None, None
    if prev["fingerprint"] != fp:
        changed = [k for k in ("frames", "settings", "tools") if prev.get(k) != parts[k]]
        what = {"frames": "frames changed", "settings": "settings changed", "tools": "encoder or library version changed"}
        return ", ".join(what[k] for k in changed) or "fingerprint changed", None, None
    if oj.state == "missing":
        return "missing", None, None
    if oj.state == "altered":
        return "altered since it was built", None, None
    if oj.state == "verify":
        try:
            sha, st = hash_file(out / oj.output.path)
        except OSError:
            return "missing", None, None
        if sha != prev["sha256"] or st.st_size != prev["size"]:
            return "altered since it was built", None, None
        return None, stat_key(st), sha
    return None, None, None


def _reuse(ctx: WorkerContext, dest_rel: str, fp: str) -> tuple[str, list[int]] | None:
    """Copy an identical output recorded under another name (a renamed render folder) instead of encoding."""
    for src_rel, sha, size in ctx.by_fingerprint.get(fp, ()):
        if src_rel == dest_rel:
            continue
        try:
            data = (ctx.out / src_rel).read_bytes()
        except OSError:
            continue
        if len(data) != size or sha256_bytes(data) != sha:
            continue
        dest = ctx.out / dest_rel
        write_bytes(dest, data)
        return sha, stat_key(os.stat(dest))
    return None


def run_job(job: Job) -> Outcome:
    ctx = _CTX
    assert ctx is not None, "worker context not initialised"
    t0 = time.perf_counter()
    res = Outcome(job.index)
    unit = job.unit
    hashes = list(job.hashes)
    stats = list(job.stats)
    need_hash = job.build or any(oj.prev is not None and oj.state != "missing" for oj in job.outputs)
    if need_hash:
        for i, h in enumerate(hashes):
            if h is not None:
                continue
            at = time.time_ns()
            try:
                sha, st = hash_file(job.paths[i])
            except OSError as e:
                res.failure = f"frame '{unit.frames[i]}' cannot be read: {e.strerror or e}"
                res.failure_line = unit.frame_line(i)
                return res
            hashes[i], stats[i] = sha, stat_key(st)
            res.frames.append((job.paths[i], stats[i], sha, at))

    todo: list[tuple[Output, dict, str]] = []
    for oj in job.outputs:
        o = oj.output
        if not need_hash:
            res.outputs.append(OutputDone(o.path, "stale", "new" if oj.prev is None else "missing"))
            continue
        fp, parts = ctx.fingerprinter.fingerprint(o.kind, [hashes[i] for i in o.frames])
        entry = {"fingerprint": fp, **parts, "page": unit.page}
        reason, vstat, vsha = _stale_reason(oj, fp, parts, job.force, ctx.out)
        if reason is None:
            prev = oj.prev or {}
            entry.update(sha256=prev["sha256"], size=prev["size"])
            res.outputs.append(OutputDone(o.path, "current", entry=entry, stat=vstat))
        elif not job.build:
            res.outputs.append(OutputDone(o.path, "stale", reason))
        else:
            todo.append((o, entry, reason))
    if not todo:
        res.seconds = time.perf_counter() - t0
        return res

    # identical outputs already on disk under another name: copy them
    encode: list[tuple[Output, dict, str]] = []
    for o, entry, reason in todo:
        got = None if job.force else _reuse(ctx, o.path, entry["fingerprint"])
        if got is None:
            encode.append((o, entry, reason))
            continue
        sha, st = got
        entry.update(sha256=sha, size=st[0])
        res.outputs.append(OutputDone(o.path, "reused", reason, entry, st))

    if encode:
        _encode(job, ctx, encode, res)
        _release_memory()

    # a frame re-rendered while this unit was being built: the outputs are complete files, but from which
    # frames is not certain, so they are not recorded and the next build makes them again
    for i, p in enumerate(job.paths):
        try:
            now = stat_key(os.stat(p))
        except OSError:
            now = None
        if now != stats[i]:
            for d in res.outputs:
                if d.status in ("built", "reused"):
                    d.status, d.entry = "unstable", None
            res.frames = [f for f in res.frames if f[0] != p]
    res.seconds = time.perf_counter() - t0
    return res


def _encode(job: Job, ctx: WorkerContext, encode: list[tuple[Output, dict, str]], res: Outcome) -> None:
    from pipeline.encode.frames import FrameError, load_frames
    from pipeline.encode.gif import encode_gif
    from pipeline.encode.thumbs import write_thumbnail
    from pipeline.encode.video import encode_video

    unit = job.unit
    # always the whole sequence, even for one thumbnail: load_frames gives every frame an alpha channel when any
    # frame has transparency, so a subset could decode differently from the full set a clean build decodes
    needed = list(range(len(job.paths)))
    try:
        frames = load_frames([Path(job.paths[i]) for i in needed], ctx.settings)
    except FrameError as e:
        # name the frame as the page does, at its gallery line
        where = str(getattr(e, "path", "") or "")
        for i in needed:
            if where and where == job.paths[i]:
                res.failure = f"frame '{unit.frames[i]}' {getattr(e, 'reason', e)}"
                res.failure_line = unit.frame_line(i)
                break
        else:
            res.failure = str(e)
        return
    except OSError as e:
        res.failure = f"frames cannot be read: {e.strerror or e}"
        return
    index = {i: k for k, i in enumerate(needed)}
    problems = []
    for o, entry, reason in encode:
        dest = ctx.out / o.path
        try:
            with atomic_path(dest) as tmp:
                if o.kind == "gif":
                    encode_gif(frames, tmp, ctx.settings)
                elif o.kind in ("mp4", "webm"):
                    encode_video(frames, tmp, ctx.settings, o.kind)
                elif o.kind == "thumb":
                    write_thumbnail(frames.images[index[o.frames[0]]], tmp, ctx.settings)
                else:  # pragma: no cover - the plan only makes the kinds above
                    raise ValueError(f"unknown output kind {o.kind!r}")
                sha, _ = hash_file(tmp)
            st = stat_key(os.stat(dest))
        except Exception as e:  # noqa: BLE001 - an encoder failure fails this output; the others are still made
            problems.append(f"{o.path}: {e}")
            res.outputs.append(OutputDone(o.path, "failed", str(e)))
            continue
        entry.update(sha256=sha, size=st[0])
        res.outputs.append(OutputDone(o.path, "built", reason, entry, st))
        _release_memory()  # e.g. the GIF stage's buffers, before ffmpeg runs beside this process for the videos
    del frames
    if problems:
        res.failure = "; ".join(problems)


# --------------------------------------------------------------------------------------------------------------
# Planning in the main process


def _plan_context(config: Config, check) -> str:
    """What a page's cached record (plan and input findings) depends on besides the page and the files it names:
    a change drops the cached records. Code is named by import, so a module that is moved or renamed fails here
    instead of silently leaving stale records."""
    import inspect

    from pipeline.build import plan
    from pipeline.content import loader

    h = hashlib.sha256(f"{__version__}|{config.encode.video}|{config.max_page_bytes}|".encode())
    h.update(os.path.abspath(config.images).encode() + b"\0")
    for a in sorted(os.path.abspath(p) for p in config.articles):
        h.update(a.encode() + b"\0")
    for m in (plan, loader):
        h.update(m.__name__.encode() + b"\0" + Path(inspect.getsourcefile(m)).read_bytes())
    h.update(check.context().encode())
    return h.hexdigest()


def _page_key(f: Path, config: Config) -> str | None:
    from pipeline.content.loader import display_path

    try:
        if f.stat().st_size > config.max_page_bytes:
            return None
        return sha256_bytes(display_path(f).encode() + b"\0" + f.read_bytes())
    except OSError:
        return None


def _refs(page) -> dict:
    """What a page's build-input findings depend on besides its bytes: the files it names."""
    return {"gallery": [g.url for g in page.gallery if g.url], "gifs": [im.name for im in page.images if im.name]}


def _facts(refs: dict, frames: "_FrameFiles") -> str:
    """A digest of what the images root says about ``refs`` (each frame's resolution and stat, each animation's
    frames on disk): when it is unchanged, so are the findings of the rules that read those files."""
    from pipeline.content.model import gif_sequence

    h = hashlib.sha256()
    for url in refs["gallery"]:
        _p, st, why = frames.resolve(url)
        h.update(f"{url}\0{why or ''}\0{stat_key(st) if st is not None else ''}\n".encode())
    for name in refs["gifs"]:
        if name.endswith(".gif") and not frames.files.unsafe_reason(name):
            d, stem = gif_sequence(name)
            h.update(f"{name}\0{sorted(frames.files.sequence_numbers(d, stem))}\n".encode())
    return h.hexdigest()


def plan_pages(files: list[Path], config: Config, cache: HashCache | None, check, *, pages=None) -> list[PagePlan]:
    """Page plans for ``files`` (or for already loaded ``pages``), each with the findings that keep it from being
    built. A page whose bytes, and the files it names, are as when it was last planned is not parsed or checked
    again: its cached plan and findings are used."""
    from pipeline.content.loader import read_page

    frames = _FrameFiles(config.images, config.encode.max_pixels)
    records: list[list] = []  # [key, plan, refs, facts, problems | None, page | None]
    for f, page in ((p.path, p) for p in pages) if pages is not None else ((f, None) for f in files):
        key = _page_key(f, config) if cache is not None else None
        hit = cache.page(key) if key else None
        if page is None and hit is not None:
            try:
                plan, refs = PagePlan.from_json(hit["plan"]), hit["refs"]
                facts = _facts(refs, frames)
                if facts == hit["facts"]:
                    from pipeline.content.findings import Finding

                    records.append([key, plan, refs, facts, tuple(Finding.from_dict(d) for d in hit["problems"]), None])
                    continue
            except (KeyError, TypeError, ValueError):
                pass
        if page is None:
            page = read_page(f, article_roots=tuple(config.articles), max_bytes=config.max_page_bytes)
        refs = _refs(page)
        # the facts before the check: a file changed during the check makes the next build check again
        records.append([key, page_plan(page, video=config.encode.video), refs, _facts(refs, frames), None, page])
    to_check = [r[5] for r in records if r[4] is None]
    found = check.check(to_check, frames.files) if to_check else {}
    plans = []
    for key, plan, refs, facts, problems, page in records:
        if problems is None:
            problems = tuple(found.get(page.display, ()))
            if cache is not None and key:
                cache.record_page(key, {"plan": plan.to_json(), "refs": refs, "facts": facts, "problems": [f.to_dict() for f in problems]})
        plans.append(dataclasses.replace(plan, problems=problems) if problems else plan)
    return plans


class _FrameFiles:
    """Gallery references -> (absolute path, stat, problem). As safe as ``ImageFiles.resolve`` (nothing outside the
    images root is ever opened, names must match case exactly) but with one ``realpath`` per folder, not per frame;
    a link, a folder or a missing name takes ``ImageFiles.resolve`` for the full check and its message."""

    _UNKNOWN = object()

    def __init__(self, root: Path, max_pixels: int | None = None) -> None:
        self.files = ImageFiles(root, max_pixels)
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(root)
        self.dirs: dict[str, object] = {}

    def _dir(self, rel_dir: str) -> str | None:
        """Absolute folder when it is listed name by name from the root and really inside it, else None."""
        d = self.dirs.get(rel_dir, self._UNKNOWN)
        if d is not self._UNKNOWN:
            return d  # type: ignore[return-value]
        ok = True
        parent = ""
        for part in rel_dir.split("/") if rel_dir else ():
            entries = self.files.listing(parent)
            if not entries or not entries.get(part):
                ok = False
                break
            parent = f"{parent}/{part}" if parent else part
        full = os.path.join(self.root, rel_dir) if rel_dir else self.root
        if ok:
            real = os.path.realpath(full)
            ok = real == self.real_root or real.startswith(self.real_root + os.sep)
        self.dirs[rel_dir] = full if ok else None
        return full if ok else None

    def resolve(self, url: str) -> tuple[str, os.stat_result | None, str | None]:
        if not self.files.unsafe_reason(url):
            rel_dir, _, name = url.rpartition("/")
            d = self._dir(rel_dir)
            entries = self.files.listing(rel_dir) if d else None
            if d and entries and entries.get(name) is False:
                p = os.path.join(d, name)
                try:
                    st = os.lstat(p)
                except OSError:
                    st = None
                if st is not None and stat.S_ISREG(st.st_mode):
                    return p, st, None
        r = self.files.resolve(url)
        if r.unsafe:
            return "", None, f"{r.unsafe}; not read"
        if r.missing:
            return "", None, r.missing
        p = os.path.abspath(r.path)
        try:
            return p, os.stat(p), None
        except OSError as e:
            return "", None, f"cannot be read: {e.strerror or e}"


def _output_state(out: str, rel: str, prev: dict | None, cache: HashCache) -> str:
    try:
        st = os.stat(os.path.join(out, rel))
    except OSError:
        return "missing"
    if prev is None:
        return "verify"
    if st.st_size != prev["size"]:
        return "altered"
    if cache.output_sha(rel, st) == prev["sha256"]:
        return "ok"
    return "verify"


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class _Run:
    def __init__(self, config: Config, options: BuildOptions, progress: Progress, check) -> None:
        self.config = config
        self.options = options
        self.progress = progress
        self.out = config.out
        self.result = BuildResult(check=options.check)
        self.manifest = Manifest.load(self.out)
        self.cache = HashCache.load(self.out, _plan_context(config, check))
        self.last_save = time.monotonic()
        self.save_cost = 0.0
        self.seen_files: set[str] = set()

    # -- decide
    def jobs_for(self, sp: SitePlan, fper: Fingerprinter) -> list[Job]:
        frames = _FrameFiles(self.config.images)
        out = os.path.abspath(self.out)
        jobs: list[Job] = []
        for unit in sp.units:
            paths, stats, hashes = [], [], []
            problem = None
            for i, url in enumerate(unit.frames):
                p, st, why = frames.resolve(url)
                if why:
                    problem = (unit.frame_line(i), f"frame '{url}' {why}")
                    break
                self.seen_files.add(p)
                paths.append(p)
                stats.append(stat_key(st))
                hashes.append(self.cache.lookup(p, st))
            if problem:
                self.result.failures.append(Failure(unit.page, problem[0], f"{unit.label}: {problem[1]}"))
                continue
            ojs = []
            for o in unit.outputs:
                prev = self.manifest.get(o.path)
                ojs.append(OutputJob(o, prev, _output_state(out, o.path, prev, self.cache)))
            if not self.options.force and all(h is not None for h in hashes) and all(oj.state == "ok" for oj in ojs):
                entries = []
                for oj in ojs:
                    fp, parts = fper.fingerprint(oj.output.kind, [hashes[i] for i in oj.output.frames])
                    if oj.prev["fingerprint"] != fp:
                        break
                    entries.append((oj, {"fingerprint": fp, **parts, "page": unit.page, "sha256": oj.prev["sha256"], "size": oj.prev["size"]}))
                else:
                    for oj, e in entries:
                        self._set_entry(oj.output.path, e)
                        self.progress.detail(f"up to date {oj.output.path}")
                    self.result.current += len(entries)
                    continue
            jobs.append(Job(len(jobs), unit, paths, stats, hashes, ojs, not self.options.decide_only, self.options.force))
        return jobs

    def _set_entry(self, path: str, entry: dict) -> None:
        self.manifest.set(path, entry)

    # -- results
    def take(self, job: Job, oc: Outcome) -> None:
        for path, st, sha, at in oc.frames:
            self.cache.record(path, st, sha, at)
        unit = job.unit
        for d in oc.outputs:
            if d.status == "current":
                self._set_entry(d.path, d.entry)
                if d.stat:
                    self.cache.record_output(d.path, d.stat, d.entry["sha256"])
                self.result.current += 1
                self.progress.detail(f"up to date {d.path}")
            elif d.status in ("built", "reused"):
                self._set_entry(d.path, d.entry)
                self.cache.record_output(d.path, d.stat, d.entry["sha256"])
                self.result.built.append(d.path)
                if d.status == "reused":
                    self.result.reused.append(d.path)
                self.progress.log(f"{'built ' if d.status == 'built' else 'copied'} {d.path}  ({d.reason})")
            elif d.status == "unstable":
                self.manifest.drop(d.path)
                self.cache.forget_output(d.path)
                self.result.built.append(d.path)
                self.progress.problem(f"{unit.page}:{unit.line}: warning: frames of {unit.label} changed while it was built; {d.path} will be rebuilt next time")
            elif d.status == "stale":
                self.result.stale.append(Stale(unit.page, unit.line, d.path, d.reason))
        if oc.failure:
            f = Failure(unit.page, oc.failure_line or unit.line, f"{unit.label}: {oc.failure}")
            self.result.failures.append(f)
            self.progress.problem(f"{f.page}:{f.line}: build failed: {f.message}")
        self.progress.detail(f"{unit.label}: {oc.seconds:.2f}s")
        self.progress.unit_done(len(job.outputs))
        if not self.options.decide_only and time.monotonic() - self.last_save > max(SAVE_EVERY_S, SAVE_COST_RATIO * self.save_cost):
            self.save()

    def save(self) -> None:
        t0 = time.monotonic()
        if self.manifest.dirty:
            self.manifest.save()
        if self.cache.dirty:
            self.cache.save()
        self.last_save = time.monotonic()
        self.save_cost = self.last_save - t0

    # -- run
    def run_jobs(self, jobs: list[Job], fper: Fingerprinter) -> None:
        if not jobs:
            return
        by_fp: dict[str, list[tuple[str, str, int]]] = {}
        for path, e in sorted(self.manifest.outputs.items()):
            by_fp.setdefault(e["fingerprint"], []).append((path, e["sha256"], e["size"]))
        ctx = WorkerContext(self.out, self.config.encode, fper, by_fp, os.getpid())
        n = min(self.options.jobs or _default_jobs(), len(jobs))
        self.progress.start(sum(len(j.outputs) for j in jobs), len(jobs))
        if n <= 1:
            global _CTX
            _CTX = ctx
            _limit_arenas()
            try:
                for job in jobs:
                    self.progress.working_on([job.unit.label])
                    self.take(job, run_job(job))
            finally:
                _CTX = None
            return
        methods = multiprocessing.get_all_start_methods()
        mp = multiprocessing.get_context("fork" if "fork" in methods else None)
        # objects made so far (pages, manifest, cache) stay out of the workers' garbage collection, so forked workers
        # share those pages with this process instead of copying them
        gc.collect()
        gc.freeze()
        pool = ProcessPoolExecutor(max_workers=n, mp_context=mp, initializer=_init_worker, initargs=(ctx,))
        try:
            futures: dict[Future, Job] = {pool.submit(run_job, j): j for j in jobs}
            pending = list(futures)
            self.progress.working_on([j.unit.label for j in jobs[:n]])
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    job = futures[fut]
                    try:
                        oc = fut.result()
                    except Exception as e:  # noqa: BLE001 - a worker died (e.g. out of memory): report, go on
                        oc = Outcome(job.index, failure=f"worker failed: {type(e).__name__}: {e}")
                    self.take(job, oc)
                pending = [f for f in pending if f not in done]
                if pending:
                    self.progress.working_on([futures[f].unit.label for f in pending[:n]])
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            gc.unfreeze()
        pool.shutdown(wait=True)

    def removals(self, sp: SitePlan, loaded: set[str]) -> list[str]:
        """Recorded outputs no page asks for any more. A page with a problem (unreadable, an animation skipped, a
        sequence that failed) keeps all its outputs until it is fixed: a half-done edit never deletes files."""
        planned = {o.path for u in sp.units for o in u.outputs}
        broken = {b.page for b in sp.broken + sp.blocked} | {s.page for s in sp.skipped} | {f.page for f in self.result.failures}
        gone = []
        for path, e in sorted(self.manifest.outputs.items()):
            if path in planned or e["page"] in broken:
                continue
            if e["page"] in loaded or self.options.whole_site:
                gone.append(path)
        return gone

    def remove(self, gone: list[str]) -> None:
        for rel in gone:
            p = self.out / rel
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                self.result.failures.append(Failure(self.manifest.get(rel)["page"], 1, f"cannot remove {rel}: {e.strerror or e}"))
                continue
            self.manifest.drop(rel)
            self.cache.forget_output(rel)
            self.result.removed.append(rel)
            self.progress.log(f"removed {rel}  (its page or sequence is gone)")
            _prune_dirs(p.parent, self.out)


def _prune_dirs(d: Path, root: Path) -> None:
    root = root.resolve()
    d = d.resolve()
    while d != root and root in d.parents:
        try:
            d.rmdir()
        except OSError:
            return
        d = d.parent


def execute(plans: list[PagePlan], config: Config, options: BuildOptions, progress: Progress, run: _Run) -> BuildResult:
    t0 = time.perf_counter()
    sp = combine(plans)
    res = run.result
    res.units = len(sp.units)
    res.skipped = list(sp.skipped)
    for s in sp.skipped:
        progress.problem(f"{s.page}:{s.line}: skipped: {s.reason}")
    for b in sp.broken:
        res.failures.append(Failure(b.page, b.line, f"page not read ({b.reason}); its outputs are kept as they are"))
        progress.problem(f"{b.page}:{b.line}: skipped: page not read: {b.reason}")
    for b in sp.blocked:
        first = b.problems[0]
        more = f" and {len(b.problems) - 1} more" if len(b.problems) > 1 else ""
        res.failures.append(Failure(b.page, first.line, f"not built: {first.code} {first.message}{more}; its previous outputs are kept"))
        res.findings += b.problems
        for f in b.problems:
            progress.problem(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
        progress.problem(f"{b.page}:{first.line}: build failed: page not built ({len(b.problems)} problem(s) above); its previous outputs are kept")
    planned_failures = len(res.failures)
    kinds = {o.kind for u in sp.units for o in u.outputs}
    tools = tool_versions(kinds, run.cache.programs)
    fper = Fingerprinter(config.encode, tools)
    jobs = run.jobs_for(sp, fper)
    for f in res.failures[planned_failures:]:  # frames missing or refused, found while planning
        progress.problem(f"{f.page}:{f.line}: build failed: {f.message}")
    try:
        run.run_jobs(jobs, fper)
    finally:
        progress.finish()
        if not options.decide_only:
            settings = {k: fper.settings[k] for k in sorted(kinds)}
            tool_table = {k: tools[k] for k in sorted(kinds)}
            if (settings, tool_table) != (run.manifest.settings, run.manifest.tools):
                run.manifest.settings, run.manifest.tools = settings, tool_table
                run.manifest.dirty = True
            run.save()
    gone = run.removals(sp, set(sp.pages))
    if options.decide_only:
        res.to_remove = gone
        if run.cache.dirty and run.out.is_dir():
            run.cache.save()  # the hashes it computed: a shortcut for the next check or build, not an output
    else:
        run.remove(gone)
        if options.whole_site:
            run.cache.prune(files=run.seen_files, outputs=set(run.manifest.outputs))
        run.save()
    res.seconds = time.perf_counter() - t0
    return res


def build_paths(
    config: Config, targets: list[Path], options: BuildOptions | None = None, progress: Progress | None = None, *, check, pages=None
) -> tuple[BuildResult, list[str]]:
    """Build the pages under ``targets`` (or the already loaded ``pages``, e.g. by lint: they are not parsed again).
    ``check`` (``pipeline.lint.inputs.BuildInputCheck``) finds what keeps a page from being built.
    Returns the result and the targets that do not exist."""
    from pipeline.content.loader import discover

    options = options or BuildOptions()
    progress = progress or Progress()
    t0 = time.perf_counter()
    lock = BuildLock(config.out)
    if not (options.decide_only and not config.out.exists()):  # a check of a folder never built creates nothing
        lock.acquire(timeout=options.lock_timeout, on_wait=lambda pid: progress.info(f"waiting for another build (pid {pid or '?'}) to finish writing to {config.out} …"))
    try:
        if not options.decide_only:
            sweep_temporaries(config.out)
        files, missing = ([], []) if pages is not None else discover(targets)
        if missing:
            return BuildResult(check=options.check), missing
        run = _Run(config, options, progress, check)
        plans = plan_pages(files, config, run.cache, check, pages=pages)
        result = execute(plans, config, options, progress, run)
    finally:
        lock.release()
    result.seconds = time.perf_counter() - t0
    return result, []
