"""Work for one unit, in a worker process (or in the build's own with one job): hash the frames it must, decide each
output (``decide``), copy outputs identical to one recorded under another name, decode the frames once and write
the stale outputs through their kind's encoder (``pipeline.encode.kinds``). ``run_all`` runs the jobs, in a pool
of forked processes when there is more than one worker, and yields each outcome as it completes.

A worker writes outputs and returns what it did (``Outcome``); it never touches the manifest or the stat cache,
which the build's main process alone records.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator

from pipeline.build import procs
from pipeline.build.decide import OutputJob, Verdict, decide, needs_frame_hashes
from pipeline.build.fingerprint import Fingerprinter, hash_file, sha256_bytes
from pipeline.build.hashcache import stat_key
from pipeline.build.plan import Output, Unit
from pipeline.build.progress import Progress
from pipeline.content.atomic import atomic_path, write_bytes
from pipeline.encode import kinds
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import set_thread_budget


@dataclass
class Job:
    index: int
    unit: Unit
    paths: list[str]  # the frame files, in unit order
    stats: list[list[int] | None]  # [size, mtime_ns, inode] as planned
    hashes: list[str | None]  # content hashes known from the stat cache
    outputs: list[OutputJob]
    build: bool  # False: decide only (--check, --dry-run)
    force: bool


class Status(Enum):
    CURRENT = "current"  # up to date
    BUILT = "built"
    REUSED = "reused"  # copied from an identical output recorded under another name
    STALE = "stale"  # would be built (decide only)
    FAILED = "failed"
    UNSTABLE = "unstable"  # written while its frames changed: complete, but not recorded


@dataclass
class OutputDone:
    path: str
    status: Status
    reason: str = ""
    entry: dict | None = None  # the manifest entry (current, built, reused)
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
    threads: int | None = None  # threads per encoder: the CPUs shared among the workers (None: all of them)


_CTX: WorkerContext | None = None


def _init_worker(ctx: WorkerContext) -> None:
    global _CTX
    _CTX = ctx
    procs.limit_arenas()
    procs.die_with_parent(ctx.parent)
    set_thread_budget(ctx.threads)


def run_job(job: Job) -> Outcome:
    ctx = _CTX
    assert ctx is not None, "worker context not initialised"
    t0 = time.perf_counter()
    res = Outcome(job.index)
    hashes, stats = list(job.hashes), list(job.stats)
    need_hash = needs_frame_hashes(job.outputs, job.build)
    if need_hash and not _hash_frames(job, hashes, stats, res):
        return res
    todo: list[tuple[Output, Verdict]] = []
    for oj in job.outputs:
        o = oj.output
        fpr = ctx.fingerprinter.fingerprint(o.kind, [hashes[i] for i in o.frames]) if need_hash else None
        v = decide(oj, fpr, job.unit.page, force=job.force, out=ctx.out)
        if v.current:
            res.outputs.append(OutputDone(o.path, Status.CURRENT, entry=v.entry(), stat=v.stat))
        elif not job.build:
            res.outputs.append(OutputDone(o.path, Status.STALE, v.reason))
        else:
            todo.append((o, v))
    if todo:
        encode = [(o, v) for o, v in todo if job.force or not _reuse(ctx, o.path, v, res)]
        if encode:
            _encode(job, ctx, encode, res)
            procs.release_memory()
        _drop_if_frames_changed(job, stats, res)
    res.seconds = time.perf_counter() - t0
    return res


def _hash_frames(job: Job, hashes: list, stats: list, res: Outcome) -> bool:
    """Hash the frames the stat cache does not know; False (and ``res.failure``) when one cannot be read."""
    for i, h in enumerate(hashes):
        if h is not None:
            continue
        at = time.time_ns()
        try:
            sha, st = hash_file(job.paths[i])
        except OSError as e:
            res.failure = f"frame '{job.unit.frames[i]}' cannot be read: {e.strerror or e}"
            res.failure_line = job.unit.frame_line(i)
            return False
        hashes[i], stats[i] = sha, stat_key(st)
        res.frames.append((job.paths[i], stats[i], sha, at))
    return True


def _reuse(ctx: WorkerContext, dest_rel: str, v: Verdict, res: Outcome) -> bool:
    """Copy an identical output recorded under another name (a renamed render folder) instead of encoding."""
    for src_rel, sha, size in ctx.by_fingerprint.get(v.fingerprint, ()):
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
        st = stat_key(os.stat(dest))
        res.outputs.append(OutputDone(dest_rel, Status.REUSED, v.reason, v.entry(sha, st[0]), st))
        return True
    return False


def _load(job: Job, ctx: WorkerContext, res: Outcome):
    """The unit's frames, decoded; None (and ``res.failure``, naming the frame as the page does) when they cannot be.

    Always the whole sequence, even for one thumbnail: ``load_frames`` gives every frame an alpha channel when any
    frame has transparency, so a subset could decode differently from the full set a clean build decodes."""
    from pipeline.encode.frames import FrameError, load_frames

    try:
        return load_frames([Path(p) for p in job.paths], ctx.settings)
    except FrameError as e:
        where = str(getattr(e, "path", "") or "")
        for i, p in enumerate(job.paths):
            if where and where == p:
                res.failure = f"frame '{job.unit.frames[i]}' {getattr(e, 'reason', e)}"
                res.failure_line = job.unit.frame_line(i)
                break
        else:
            res.failure = str(e)
    except OSError as e:
        res.failure = f"frames cannot be read: {e.strerror or e}"
    return None


def _encode(job: Job, ctx: WorkerContext, encode: list[tuple[Output, Verdict]], res: Outcome) -> None:
    frames = None
    if not all(kinds.get(o.kind).reads_file for o, _ in encode):  # only kinds that read pixels need them decoded
        frames = _load(job, ctx, res)
        if frames is None:
            return
    problems = []
    for o, v in encode:
        dest = ctx.out / o.path
        try:
            with atomic_path(dest) as tmp:
                kinds.get(o.kind).write(frames, o.frames, tmp, ctx.settings, job.paths)
                sha, _ = hash_file(tmp)
            st = stat_key(os.stat(dest))
        except Exception as e:  # noqa: BLE001 - an encoder failure fails this output; the others are still made
            problems.append(f"{o.path}: {e}")
            res.outputs.append(OutputDone(o.path, Status.FAILED, str(e)))
            continue
        res.outputs.append(OutputDone(o.path, Status.BUILT, v.reason, v.entry(sha, st[0]), st))
        procs.release_memory()  # e.g. the GIF stage's buffers, before ffmpeg runs beside this process for the videos
    del frames
    if problems:
        res.failure = "; ".join(problems)


def _drop_if_frames_changed(job: Job, stats: list, res: Outcome) -> None:
    """A frame re-rendered while this unit was being built: the outputs are complete files, but from which frames
    is not certain, so they are not recorded and the next build makes them again."""
    for i, p in enumerate(job.paths):
        try:
            now = stat_key(os.stat(p))
        except OSError:
            now = None
        if now != stats[i]:
            for d in res.outputs:
                if d.status in (Status.BUILT, Status.REUSED):
                    d.status, d.entry = Status.UNSTABLE, None
            res.frames = [f for f in res.frames if f[0] != p]


def run_all(jobs: list[Job], ctx: WorkerContext, workers: int, progress: Progress) -> Iterator[tuple[Job, Outcome]]:
    """Run ``jobs`` on ``workers`` processes (this one when 1); yield each job with its outcome as it completes."""
    global _CTX
    if workers <= 1:
        _CTX = ctx
        procs.limit_arenas()
        set_thread_budget(ctx.threads)
        try:
            for job in jobs:
                progress.working_on([job.unit.label])
                yield job, run_job(job)
        finally:
            _CTX = None
            set_thread_budget(None)
        return
    yield from _run_pool(jobs, ctx, workers, progress)


def _run_pool(jobs: list[Job], ctx: WorkerContext, workers: int, progress: Progress) -> Iterator[tuple[Job, Outcome]]:
    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else None)
    # objects made so far (pages, manifest, cache) stay out of the workers' garbage collection, so forked workers
    # share those pages with this process instead of copying them
    gc.collect()
    gc.freeze()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp, initializer=_init_worker, initargs=(ctx,))
    try:
        futures: dict[Future, Job] = {pool.submit(run_job, j): j for j in jobs}
        pending = list(futures)
        progress.working_on([j.unit.label for j in jobs[:workers]])
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                job = futures[fut]
                try:
                    oc = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker died (e.g. out of memory): report, go on
                    oc = Outcome(job.index, failure=f"worker failed: {type(e).__name__}: {e}")
                yield job, oc
            pending = [f for f in pending if f not in done]
            if pending:
                progress.working_on([futures[f].unit.label for f in pending[:workers]])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()
    pool.shutdown(wait=True)
