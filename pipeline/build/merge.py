"""`pipeline merge`: the output folders of `pipeline build --shard K/N` joined into one output folder and its state,
the same, byte for byte, as a build of the whole site on one machine.

Every shard is checked before anything is written, and any problem refuses the merge (``MergeError``, all the
problems at once):

* each folder was built by ``--shard`` and finished (its state holds a shard record, ``shard``) without failures;
* the shards are 1/N .. N/N of one N, each once;
* they were built from the same site: the same outputs with the same fingerprints (frames by content, encoder
  settings and tool versions), and the same settings and versions tables; the settings are also this
  configuration's (``[tool.pipeline.encode]``);
* each shard's manifest holds exactly the outputs its record planned, with those fingerprints, and every file is
  there with its recorded size and hash (checked while it is copied).

Then the merged folder is written under a temporary name beside the destination and renamed into place, and the
merged state (the shards' manifests, their tables, their stat caches and page records) is written to a temporary
file and renamed over the destination's: a merge stopped at any moment leaves the old folder or the new one, and a
state that is either the old one or the new one (both are only records: a mismatch costs a rebuild, never a wrong
file). The destination must be absent, empty, or an output folder holding only what its state records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pipeline.build import shard as shard_mod
from pipeline.build.fingerprint import CHUNK, settings_for
from pipeline.build.hashcache import HashCache, stat_key
from pipeline.build.lock import BuildLock
from pipeline.build.manifest import Manifest
from pipeline.build.state import DB_NAME, LOCK_NAME, StateStore, make_state_dir, state_dir
from pipeline.config import Config
from pipeline.content.atomic import replace_folder
from pipeline.encode import kinds

_TMP = ".merge-"


class MergeError(Exception):
    """The shards cannot be merged: ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ShardState:
    folder: Path  # its output folder
    shown: str  # how messages name it
    record: dict
    manifest: Manifest
    context: str
    files: dict[str, list] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    programs: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"shard {self.record['k']}/{self.record['n']} ({self.shown})"


@dataclass
class MergeResult:
    out: Path
    shards: int
    outputs: int
    bytes: int
    seconds: float


def read_shard(config: Config, folder: Path) -> ShardState:
    shown = config.show(folder)
    db = state_dir(config.root, folder) / DB_NAME
    if not folder.is_dir() and (folder.exists() or not db.is_file()):  # a shard with no sequences has no folder
        raise MergeError([f"{shown}: no such folder"])
    if not db.is_file():
        raise MergeError([f"{shown}: no build state ({config.show(db)} is missing): build it with `pipeline build --shard K/N --out {shown}`"])
    try:
        store = StateStore(db, "ro")
        try:
            if not store.readable():
                raise sqlite3.DatabaseError("not a state of this version")
            meta = store.meta()
            record = shard_mod.read_record(meta)
            if record is None:
                raise MergeError([f"{shown}: not a finished shard (its state has no shard record): build it with `pipeline build --shard K/N --out {shown}`"])
            st = ShardState(folder, shown, record, store.read_manifest(), meta.get("context", ""))
            st.files = {r[0]: list(r[1:]) for r in store.db.execute("SELECT * FROM files")}
            st.pages = dict(store.db.execute("SELECT key, record FROM pages"))
            st.programs = dict(store.db.execute("SELECT key, version FROM programs"))
            return st
        finally:
            store.close()
    except (sqlite3.Error, ValueError) as e:
        raise MergeError([f"{shown}: its build state cannot be read ({e}): build it again"]) from None


def _differences(a: dict, b: dict) -> str:
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return ", ".join(f"{k} {a.get(k, '-')!r} vs {b.get(k, '-')!r}" for k in keys[:4]) + (" …" if len(keys) > 4 else "")


def _tables(shards: list[ShardState], config: Config) -> list[str]:
    """The settings and versions each shard was built with: the same in every shard, and the settings this
    configuration's."""
    problems = []
    first = shards[0]
    for s in shards[1:]:
        for what, table in (("encoder settings", "settings"), ("tool versions", "tools")):
            mine, theirs = getattr(first.manifest, table), getattr(s.manifest, table)
            for kind in sorted(set(mine) | set(theirs)):
                if mine.get(kind) != theirs.get(kind):
                    problems.append(f"{s.name} was built with other {what} than {first.name} ({kind}: {_differences(mine.get(kind, {}), theirs.get(kind, {}))})")
    built = set(first.manifest.settings)
    enabled = {k.name for k in kinds.enabled(config.encode)}
    animations = {k.name for k in kinds.registered() if k.per is kinds.Per.ANIMATION}
    if built - enabled or (built & animations and (enabled & animations) - built):
        problems.append(f"the shards were built with other output kinds ({', '.join(sorted(built))}) than this configuration enables ({', '.join(sorted(enabled))})")
    for kind, used in sorted(first.manifest.settings.items()):
        here = settings_for(kind, config.encode)
        if used != here:
            problems.append(f"the shards were built with other [tool.pipeline.encode] settings than this configuration's ({kind}: {_differences(used, here)})")
    return problems


def _partition(shards: list[ShardState]) -> list[str]:
    """1/N .. N/N, each once, of one site."""
    problems = []
    ns = sorted({s.record["n"] for s in shards})
    if len(ns) > 1:
        return [f"the shards are parts of different partitions: {', '.join(s.name for s in shards)}"]
    n = ns[0]
    by_k: dict[int, list[ShardState]] = {}
    for s in shards:
        by_k.setdefault(s.record["k"], []).append(s)
    for k, same in sorted(by_k.items()):
        if len(same) > 1:
            problems.append(f"shard {k}/{n} given {len(same)} times: {', '.join(s.shown for s in same)}")
    absent = [f"{k}/{n}" for k in range(1, n + 1) if k not in by_k]
    if absent:
        problems.append(f"shard(s) {', '.join(absent)} missing: a merge needs all {n}")
    sites = {s.record["site"] for s in shards}
    if len(sites) > 1:
        problems.append("the shards were built from different sites (other pages, renders, settings or versions): "
                        + ", ".join(f"{s.name} {s.record['site'][:12]}" for s in shards))
    return problems


def _complete(s: ShardState) -> list[str]:
    """The shard built, without failures, exactly the outputs its record planned."""
    if s.record["failures"]:
        return [f"{s.name}: its build had {s.record['failures']} failure(s): fix them and build it again"]
    planned = s.record["outputs"]
    have = {p: e["fingerprint"] for p, e in s.manifest.outputs.items()}
    wrong = sorted(p for p in planned if have.get(p) != planned[p])
    extra = sorted(p for p in have if p not in planned)
    problems = []
    if wrong:
        problems.append(f"{s.name}: {len(wrong)} output(s) missing or not built from the planned inputs (e.g. {wrong[0]}): build it again")
    if extra:
        problems.append(f"{s.name}: {len(extra)} output(s) that are not its part (e.g. {extra[0]}): build it again")
    return problems


def check_shards(config: Config, shards: list[ShardState]) -> dict[str, tuple[ShardState, dict]]:
    """Every output of the merge -> (its shard, its manifest entry); MergeError with every problem found."""
    problems = _partition(shards) + [p for s in shards for p in _complete(s)]
    problems += _tables(shards, config)
    merged: dict[str, tuple[ShardState, dict]] = {}
    both: list[str] = []
    for s in shards:
        for path, entry in s.manifest.outputs.items():
            if path in merged:
                both.append(f"{path} is in both {merged[path][0].name} and {s.name}")
            merged[path] = (s, entry)
    if both and not problems:
        problems.append(both[0] + (f" (and {len(both) - 1} more outputs in two shards)" if len(both) > 1 else ""))
    if not problems:
        union = {p: e["fingerprint"] for p, (_, e) in merged.items()}
        if shard_mod.site_digest(union) != shards[0].record["site"] or len(union) != shards[0].record["site_outputs"]:
            problems.append(f"the shards' outputs ({len(union)}) are not the site's ({shards[0].record['site_outputs']}): build them again")
    if problems:
        raise MergeError(list(dict.fromkeys(problems)))
    return merged


def _destination_ok(config: Config, out: Path, shards: list[ShardState]) -> None:
    """Absent, empty, or only what its state records; and neither a shard nor inside one."""
    shown = config.show(out)
    o = Path(os.path.abspath(out))
    for s in shards:
        f = Path(os.path.abspath(s.folder))
        if o == f or f in o.parents or o in f.parents:
            raise MergeError([f"--out {shown} overlaps {s.name}: merge into another folder"])
    if out.exists() and not out.is_dir():
        raise MergeError([f"--out {shown} exists and is not a folder"])
    if not out.is_dir() or not any(out.iterdir()):
        return
    recorded: set[str] = set()
    db = state_dir(config.root, out) / DB_NAME
    with contextlib.suppress(sqlite3.Error, ValueError):
        store = StateStore(db, "ro")
        try:
            recorded = set(store.read_manifest().outputs)
        finally:
            store.close()
    for dirpath, _dirs, names in os.walk(out):
        for n in names:
            rel = (Path(dirpath) / n).relative_to(out).as_posix()
            if rel not in recorded:
                raise MergeError([f"--out {shown} holds {rel}, which no build recorded: merge into an empty or new folder"])


def _copy(src: Path, dest: Path, entry: dict, name: str) -> list[int]:
    """Copy one output, checking it is the recorded file; its stat (the merged stat cache's)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    try:
        with open(src, "rb") as fi, open(dest, "wb") as fo:
            while chunk := fi.read(CHUNK):
                h.update(chunk)
                fo.write(chunk)
    except OSError as e:
        raise MergeError([f"{name}: {src}: {e.strerror or e}"]) from None
    if h.hexdigest() != entry["sha256"] or dest.stat().st_size != entry["size"]:
        raise MergeError([f"{name}: {src} is not the file its build recorded (altered since): build the shard again"])
    shutil.copymode(src, dest)
    return stat_key(os.stat(dest))


def _merged_cache(shards: list[ShardState], stats: dict[str, list[int]]) -> HashCache:
    contexts = {s.context for s in shards}
    cache = HashCache(contexts.pop() if len(contexts) == 1 else "")
    for s in shards:
        cache.files.update(s.files)
        cache.programs.update(s.programs)
        if cache.context:
            for key, record in s.pages.items():
                cache.pages[key] = json.loads(record)
    cache.outputs = {p: [*st[:3], sha] for p, (st, sha) in stats.items()}
    cache.changed = {"files": set(cache.files), "output_stats": set(cache.outputs), "pages": set(cache.pages), "programs": set(cache.programs)}
    return cache


def _write_state(folder: Path, manifest: Manifest, cache: HashCache) -> Path:
    for old in folder.glob(f"{DB_NAME}{_TMP}*"):  # left by a merge killed before (the lock is held)
        with contextlib.suppress(OSError):
            old.unlink()
    tmp = folder / f"{DB_NAME}{_TMP}{os.getpid()}"
    store = StateStore(tmp)
    try:
        store.write(manifest, cache)
    finally:
        store.close()
    return tmp


def merge(config: Config, folders: list[Path], out: Path) -> MergeResult:
    """Merge the shard output ``folders`` into ``out`` and its state (``out``'s lock held meanwhile)."""
    t0 = time.perf_counter()
    shards: list[ShardState] = []
    problems: list[str] = []
    for f in folders:
        try:
            shards.append(read_shard(config, f))
        except MergeError as e:
            problems += e.problems
    if problems or not shards:
        raise MergeError(problems or ["no shard given"])
    merged = check_shards(config, shards)
    folder = state_dir(config.root, out)
    make_state_dir(folder)
    lock = BuildLock(folder / LOCK_NAME)
    lock.acquire()
    try:
        _destination_ok(config, out, shards)
        return _write(config, shards, merged, out, folder, t0)
    finally:
        lock.release()


def _write(config: Config, shards, merged, out: Path, folder: Path, t0: float) -> MergeResult:
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    for old in out.parent.glob(f".{quote(out.name, safe='')}{_TMP}*"):  # left by a merge killed before
        shutil.rmtree(old, ignore_errors=True)
    tmp = out.parent / f".{quote(out.name, safe='')}{_TMP}{os.getpid()}"
    tmp_state = None
    try:
        tmp.mkdir()
        stats, size = {}, 0
        for path in sorted(merged):
            s, entry = merged[path]
            stats[path] = (_copy(s.folder / path, tmp / path, entry, s.name), entry["sha256"])
            size += entry["size"]
        manifest = Manifest({p: dict(e) for p, (_, e) in sorted(merged.items())})
        manifest.changed = set(manifest.outputs)
        manifest.set_tables(shards[0].manifest.settings, shards[0].manifest.tools)
        tmp_state = _write_state(folder, manifest, _merged_cache(shards, stats))
        _swap(tmp, out)
        os.replace(tmp_state, folder / DB_NAME)
        tmp_state = None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp_state is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp_state.unlink()
    return MergeResult(out, len(shards), len(merged), size, time.perf_counter() - t0)


def _swap(new: Path, out: Path) -> None:
    """``new`` renamed to ``out``; an old ``out`` (empty, or outputs its state recorded) is removed after."""
    replace_folder(new, out, out.parent / f".{quote(out.name, safe='')}{_TMP}old-{os.getpid()}")
