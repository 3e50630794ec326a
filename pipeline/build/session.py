"""One build of one output folder, from the pages to the saved state (``BuildSession``)."""

from __future__ import annotations

import os
import time
from contextlib import closing
from pathlib import Path

from pipeline.build import previous, procs
from pipeline.build.decide import OutputJob, State, decide, output_state
from pipeline.build.fingerprint import Fingerprinter, tool_versions
from pipeline.build.hashcache import stat_key
from pipeline.build.pages import plan_context, plan_pages
from pipeline.build.plan import SitePlan, Unit, combine
from pipeline.build.progress import Progress
from pipeline.build.result import BuildOptions, BuildResult, Failure, Stale
from pipeline.build.shard import Sharding, clear_record
from pipeline.build.state import BuildState
from pipeline.build.worker import Job, Outcome, OutputDone, Status, WorkerContext, run_all
from pipeline.config import Config
from pipeline.content.files import ImageFiles

# The state (manifest and stat cache) is also saved during a build, so a killed build keeps what it finished: at
# most every SAVE_EVERY_S, and never more often than SAVE_COST_RATIO times what the last save took (<= 2% of the time).
SAVE_EVERY_S = 10.0
SAVE_COST_RATIO = 50


class BuildSession:
    """One build of one output folder: plan -> decide -> run -> record -> prune.

    * plan: a plan per page (``pages``: cached by the page's bytes and the files it names), merged for the site;
      pages that cannot be built are reported and keep their outputs;
    * decide: per unit, from stats alone when that proves every output up to date (``decide``), else a job;
    * run: the jobs, in worker processes (``worker.run_all``), which hash, decide again and encode;
    * record: each outcome, as it arrives, into the manifest and the stat cache, saved during the build at a
      measured pace so that a killed build keeps what it finished, and at the end;
    * prune: outputs no page asks for any more are removed (``--check``/``--dry-run``: listed).

    The session owns the manifest, the stat cache (its ``state``) and the result: nothing else writes them. Its
    caller holds the output folder's lock (``api.build_paths``). ``check`` finds what keeps a page from being built.
    """

    def __init__(self, config: Config, options: BuildOptions, progress: Progress, check, state: BuildState | None = None) -> None:
        self.config = config
        self.options = options
        self.progress = progress
        self.check = check
        self.out = config.out
        self.images = ImageFiles.of(config)
        self.result = BuildResult(check=options.check)
        if state is None:
            state = BuildState.open(config.root, self.out, plan_context(config, check), write=not options.decide_only)
        self.state = state
        self.manifest = state.manifest
        self.cache = state.cache
        self.seen_files: set[str] = set()
        self._last_save = time.monotonic()
        self._save_cost = 0.0
        self.keeper = None  # previous.Keeper: the GIFs this build replaces, kept for `pipeline review`

    def run(self, files: list[Path], pages=None) -> BuildResult:
        """Build ``files`` (or the already loaded ``pages``)."""
        site = combine(plan_pages(files, self.config, self.cache, self.check, self.images, pages=pages))
        kinds = sorted({o.kind for u in site.units for o in u.outputs})  # of the whole site, also for a shard
        sharding = Sharding(self.options.shard, site) if self.options.shard is not None else None
        if sharding is not None:
            site = sharding.select(site)
        self._report_plan(site)
        probe = dict(self.cache.programs)
        tools = tool_versions(kinds, probe)
        for key, version in probe.items():
            self.cache.record_program(key, version)
        fper = Fingerprinter(self.config.encode, tools)
        failures_before = len(self.result.failures)
        jobs = self._decide(site, fper)
        for f in self.result.failures[failures_before:]:  # frames missing or refused, found while deciding
            self.progress.problem(f"{f.page}:{f.line}: build failed: {f.message}")
        if not self.options.decide_only:
            clear_record(self.state)
        try:
            self._run(jobs, fper)
        finally:
            self.progress.finish()
            if not self.options.decide_only:
                self.manifest.set_tables({k: fper.settings[k] for k in kinds}, {k: tools[k] for k in kinds})
                self._save()
                if self.keeper is not None:
                    self.keeper.finish(self.manifest)
        shard_record = sharding is not None and not self.options.decide_only
        if shard_record:
            sharding.hash_site(self, fper)
        self._prune(site)
        if shard_record:
            sharding.finish(self)
        return self.result

    # -- plan
    def _report_plan(self, site: SitePlan) -> None:
        res, progress = self.result, self.progress
        res.units = len(site.units)
        res.skipped = list(site.skipped)
        for s in site.skipped:
            progress.problem(f"{s.page}:{s.line}: skipped: {s.reason}")
        for b in site.broken:
            res.failures.append(Failure(b.page, b.line, f"page not read ({b.reason}); its outputs are kept as they are"))
            progress.problem(f"{b.page}:{b.line}: skipped: page not read: {b.reason}")
        for b in site.blocked:
            first = b.problems[0]
            more = f" and {len(b.problems) - 1} more" if len(b.problems) > 1 else ""
            res.failures.append(Failure(b.page, first.line, f"not built: {first.code} {first.message}{more}; its previous outputs are kept"))
            res.findings += b.problems
            for f in b.problems:
                progress.problem(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
            progress.problem(f"{b.page}:{first.line}: build failed: page not built ({len(b.problems)} problem(s) above); its previous outputs are kept")

    # -- decide
    def _decide(self, site: SitePlan, fper: Fingerprinter) -> list[Job]:
        out = os.path.abspath(self.out)
        jobs: list[Job] = []
        for unit in site.units:
            frames = self._frames_of(unit)
            if frames is None:
                continue
            paths, stats, hashes = frames
            ojs = []
            for o in unit.outputs:
                prev = self.manifest.get(o.path)
                ojs.append(OutputJob(o, prev, output_state(out, o.path, prev, self.cache)))
            if not self._up_to_date(unit, ojs, hashes, fper):
                jobs.append(Job(len(jobs), unit, paths, stats, hashes, ojs, not self.options.decide_only, self.options.force))
        return jobs

    def _frames_of(self, unit: Unit) -> tuple[list[str], list, list] | None:
        """The unit's frame files, their stats and the content hashes the stat cache knows; None (and a failure)
        when one cannot be used."""
        paths, stats, hashes = [], [], []
        for i, url in enumerate(unit.frames):
            r = self.images.resolve(url, stat=True)
            if r.file is None:
                why = f"{r.unsafe}; not read" if r.unsafe else r.missing
                self.result.failures.append(Failure(unit.page, unit.frame_line(i), f"{unit.label}: frame '{url}' {why}"))
                return None
            p = os.path.abspath(r.file)
            self.seen_files.add(p)
            paths.append(p)
            stats.append(stat_key(r.stat))
            hashes.append(self.cache.lookup(p, r.stat))
        return paths, stats, hashes

    def _up_to_date(self, unit: Unit, ojs: list[OutputJob], hashes: list, fper: Fingerprinter) -> bool:
        """From stats alone: every frame hash known, every output as recorded and its fingerprint unchanged. Then
        the outputs are recorded as current here, and no worker is needed."""
        if self.options.force or any(h is None for h in hashes) or any(oj.state is not State.OK for oj in ojs):
            return False
        verdicts = []
        for oj in ojs:
            fpr = fper.fingerprint(oj.output.kind, [hashes[i] for i in oj.output.frames])
            v = decide(oj, fpr, unit.page, force=False, out=self.out)
            if not v.current:
                return False
            verdicts.append((oj.output.path, v))
        for path, v in verdicts:
            self._record_current(path, v.entry(), None)
        return True

    # -- run
    def _run(self, jobs: list[Job], fper: Fingerprinter) -> None:
        if not jobs:
            return
        if not self.options.decide_only:
            self.keeper = previous.Keeper.start(self.state.folder, self.out, jobs)
        by_fp: dict[str, list[tuple[str, str, int]]] = {}
        for path, e in sorted(self.manifest.outputs.items()):
            by_fp.setdefault(e["fingerprint"], []).append((path, e["sha256"], e["size"]))
        workers = min(self.options.jobs or procs.default_jobs(), len(jobs))
        # the CPUs shared: jobs x threads per encoder <= CPUs (the video encoders run one thread each)
        ctx = WorkerContext(self.out, self.config.encode, fper, by_fp, os.getpid(), max(1, procs.usable_cpus() // workers))
        self.progress.start(sum(len(j.outputs) for j in jobs), len(jobs))
        with closing(run_all(jobs, ctx, workers, self.progress)) as outcomes:
            for job, oc in outcomes:
                self._take(job, oc)

    # -- record
    def _take(self, job: Job, oc: Outcome) -> None:
        for path, st, sha, at in oc.frames:
            self.cache.record(path, st, sha, at)
        unit = job.unit
        for d in oc.outputs:
            self._take_output(unit, d)
        if oc.failure:
            f = Failure(unit.page, oc.failure_line or unit.line, f"{unit.label}: {oc.failure}")
            self.result.failures.append(f)
            self.progress.problem(f"{f.page}:{f.line}: build failed: {f.message}")
        self.progress.detail(f"{unit.label}: {oc.seconds:.2f}s")
        self.progress.unit_done(len(job.outputs))
        if not self.options.decide_only and time.monotonic() - self._last_save > max(SAVE_EVERY_S, SAVE_COST_RATIO * self._save_cost):
            self._save()

    def _take_output(self, unit: Unit, d: OutputDone) -> None:
        if d.status is Status.CURRENT:
            self._record_current(d.path, d.entry, d.stat)
        elif d.status in (Status.BUILT, Status.REUSED):
            self.manifest.set(d.path, d.entry)
            self.cache.record_output(d.path, d.stat, d.entry["sha256"])
            self.result.built.append(d.path)
            if self.keeper is not None:
                self.keeper.replaced(d.path, d.entry)
            if d.status is Status.REUSED:
                self.result.reused.append(d.path)
            self.progress.log(f"{'built ' if d.status is Status.BUILT else 'copied'} {d.path}  ({d.reason})")
        elif d.status is Status.UNSTABLE:
            self.manifest.drop(d.path)
            self.cache.forget_output(d.path)
            self.result.built.append(d.path)
            self.progress.problem(f"{unit.page}:{unit.line}: warning: frames of {unit.label} changed while it was built; {d.path} will be rebuilt next time")
        elif d.status is Status.STALE:
            self.result.stale.append(Stale(unit.page, unit.line, d.path, d.reason))

    def _record_current(self, path: str, entry: dict, stat: list[int] | None) -> None:
        self.manifest.set(path, entry)
        if stat:
            self.cache.record_output(path, stat, entry["sha256"])
        self.result.current += 1
        self.progress.detail(f"up to date {path}")

    def _save(self) -> None:
        t0 = time.monotonic()
        self.state.save()
        self._last_save = time.monotonic()
        self._save_cost = self._last_save - t0

    # -- prune
    def _prune(self, site: SitePlan) -> None:
        gone = self._removals(site, set(site.pages))
        if self.options.decide_only:
            self.result.to_remove = gone
            self.state.save_cache()  # the hashes it computed: a shortcut for the next check or build, not an output
            return
        self._remove(gone)
        (self.keeper or previous.Keeper(self.state.folder, self.out)).finish(self.manifest)
        if self.options.whole_site:
            self.cache.prune(files=self.seen_files, outputs=set(self.manifest.outputs), pages=self.cache.used_pages)
        self._save()

    def _removals(self, site: SitePlan, loaded: set[str]) -> list[str]:
        """Recorded outputs no page asks for any more. A page with a problem (unreadable, an animation skipped, a
        sequence that failed) keeps all its outputs until it is fixed: a half-done edit never deletes files."""
        planned = {o.path for u in site.units for o in u.outputs}
        broken = {b.page for b in site.broken + site.blocked} | {s.page for s in site.skipped} | {f.page for f in self.result.failures}
        gone = []
        for path, e in sorted(self.manifest.outputs.items()):
            if path in planned or e["page"] in broken:
                continue
            if e["page"] in loaded or self.options.whole_site:
                gone.append(path)
        return gone

    def _remove(self, gone: list[str]) -> None:
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
