"""The build's state, kept beside the configuration and out of the published folder.

```
<project>/.pipeline/            beside the configuration (pyproject.toml), like .jekyll-cache; ignored by git
  .gitignore                    "*": the folder stays out of any repository, whatever its own .gitignore says
  dist/                         one state per output folder, named after the folder (relative to the project)
    state.sqlite                the manifest (``outputs``) and the stat cache (the other tables), one SQLite file
    build.lock                  one build at a time on this output folder (``lock``)
  shards%2F1/                   `--out shards/1`: '/' written %2F; a folder outside the project: 'ext-<name>-<hash>'
```

The output folder then holds the files the site serves and nothing else. The state is SQLite: a build changes
a few rows (the outputs it wrote, the frames it hashed) in one transaction instead of rewriting the whole
manifest and cache, every save is atomic (a killed build leaves the last committed state), and the tables are
readable with any SQLite client, e.g. ``sqlite3 .pipeline/dist/state.sqlite 'select path, kind, page from
outputs'``. ``Manifest.dumps`` gives the manifest as sorted JSON, one output per line, for diffs.

Everything here is only a record of what the output folder holds: a missing, unreadable or foreign state file
means every output is verified or rebuilt, never a failed build. State left in the output folder by older
versions (``.pipeline-manifest.json``, ``.pipeline-cache.json``, ``.pipeline.lock``) is migrated into the new
state by the first build, then removed from the output folder (``legacy``); a ``--check`` before that reads it
as it is and writes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from pipeline.build.hashcache import HashCache
from pipeline.build.manifest import ENTRY_KEYS, Manifest

STATE_FOLDER = ".pipeline"
DB_NAME = "state.sqlite"
LOCK_NAME = "build.lock"
FORMAT = 1  # PRAGMA user_version of a state file this code reads; any other is set aside and rebuilt
_GITIGNORE = "# build state of `pipeline build`: not for version control, not for publishing\n*\n"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, frames TEXT NOT NULL, "
    "kind TEXT NOT NULL, page TEXT NOT NULL, settings TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, "
    "tools TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, "
    "sha256 TEXT, trusted INTEGER) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS output_stats (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, inode INTEGER, "
    "sha256 TEXT) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS programs (key TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID",
)
_COLUMNS = ", ".join(ENTRY_KEYS)  # the manifest's columns, in ENTRY_KEYS order


def state_key(root: Path, out: Path) -> str:
    """The name of an output folder's state under ``.pipeline/``: its path relative to the project ('dist',
    'shards%2F1'), so a project moved or checked out elsewhere (a CI cache) keeps its state; a folder outside
    the project: 'ext-<name>-<hash of its absolute path>'."""
    r, o = os.path.abspath(root), os.path.abspath(out)
    rel = os.path.relpath(o, r)
    if rel == os.curdir:
        return "%2E"
    if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
        return quote(Path(rel).as_posix(), safe="")
    return f"ext-{quote(os.path.basename(o), safe='')}-{hashlib.sha256(o.encode()).hexdigest()[:16]}"


def state_dir(root: Path, out: Path) -> Path:
    """The state folder of the output folder ``out`` of the project at ``root`` (the configuration's folder)."""
    return Path(root) / STATE_FOLDER / state_key(root, out)


def make_state_dir(folder: Path) -> None:
    """Create an output folder's state folder, and ``.pipeline/.gitignore`` with it."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder.parent / ".gitignore"
    if not ignore.exists():
        with contextlib.suppress(OSError):
            ignore.write_text(_GITIGNORE)


class StateStore:
    """One state file: reading every table, and writing what changed in one transaction."""

    def __init__(self, path: Path, mode: str = "rwc") -> None:
        """``mode``: 'rwc' creates the file and its tables when absent (and empties one of another format); 'rw'
        and 'ro' open an existing file as it is."""
        self.path = path
        uri = f"file:{quote(os.path.abspath(path))}?mode={mode}"
        self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA synchronous = NORMAL")
        if mode == "rwc":
            self._prepare()

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if version == FORMAT and tables == len(_SCHEMA):
            return  # as this code writes it: no write at all
        if tables and version != FORMAT:  # another format: nothing in it is trusted
            self.db.execute("BEGIN IMMEDIATE")
            for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                self.db.execute(f'DROP TABLE "{name}"')
            self.db.execute("COMMIT")
        for statement in _SCHEMA:
            self.db.execute(statement)
        self.db.execute(f"PRAGMA user_version = {FORMAT}")

    def close(self) -> None:
        self.db.close()

    def readable(self) -> bool:
        try:
            return self.db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
        except sqlite3.Error:
            return False

    # -- reading
    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def read_manifest(self) -> Manifest:
        m = Manifest()
        rows = self.db.execute(f"SELECT path, {_COLUMNS} FROM outputs").fetchall()
        m.outputs = {r[0]: dict(zip(ENTRY_KEYS, r[1:])) for r in rows}
        meta = self.meta()
        m.settings = json.loads(meta.get("settings", "{}"))
        m.tools = json.loads(meta.get("tools", "{}"))
        return m

    def read_cache(self, context: str) -> HashCache:
        c = HashCache(context)
        c.files = {r[0]: [r[1], r[2], r[3], r[4], bool(r[5])] for r in self.db.execute("SELECT * FROM files")}
        c.outputs = {r[0]: list(r[1:]) for r in self.db.execute("SELECT * FROM output_stats")}
        c.programs = dict(self.db.execute("SELECT key, version FROM programs"))
        if self.meta().get("context") == context:
            c.page_source = self._page
            c.page_keys = {k for (k,) in self.db.execute("SELECT key FROM pages")}
        else:
            c.page_keys, c.clear_pages = set(), True
        return c

    def _page(self, key: str) -> dict | None:
        row = self.db.execute("SELECT record FROM pages WHERE key = ?", (key,)).fetchone()
        try:
            return json.loads(row[0]) if row else None
        except ValueError:
            return None

    # -- writing
    def write(self, manifest: Manifest | None, cache: HashCache | None) -> None:
        """What changed in ``manifest`` and ``cache`` since they were read or last written, in one transaction."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if manifest is not None:
                    self._write_manifest(manifest)
                if cache is not None:
                    self._write_cache(cache)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:  # a full disk, a read-only file: the build reports it, no traceback
            raise OSError(0, f"cannot save the build state: {e}", str(self.path)) from None
        if manifest is not None:
            manifest.written()
        if cache is not None:
            cache.written()

    def _write_manifest(self, m: Manifest) -> None:
        put = [(p, *(m.outputs[p][k] for k in ENTRY_KEYS)) for p in sorted(m.changed) if p in m.outputs]
        gone = [(p,) for p in sorted(m.changed) if p not in m.outputs]
        self.db.executemany(f"INSERT OR REPLACE INTO outputs (path, {_COLUMNS}) VALUES (?{', ?' * len(ENTRY_KEYS)})", put)
        self.db.executemany("DELETE FROM outputs WHERE path = ?", gone)
        if m.tables_changed:
            self._meta({"settings": json.dumps(m.settings, sort_keys=True), "tools": json.dumps(m.tools, sort_keys=True)})

    def _write_cache(self, c: HashCache) -> None:
        db = self.db
        if c.clear_pages:
            db.execute("DELETE FROM pages")
        self._meta({"context": c.context})
        for table, rows, width in (("files", c.files, 5), ("output_stats", c.outputs, 4)):
            keys = sorted(c.changed[table])
            db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?{', ?' * width})", [(k, *rows[k]) for k in keys if k in rows])
            db.executemany(f"DELETE FROM {table} WHERE path = ?", [(k,) for k in keys if k not in rows])
        keys = sorted(c.changed["pages"])
        db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)",
                       [(k, json.dumps(c.pages[k], sort_keys=True, separators=(",", ":"))) for k in keys if k in c.pages])
        db.executemany("DELETE FROM pages WHERE key = ?", [(k,) for k in keys if k not in c.pages and k not in c.page_keys])
        keys = sorted(c.changed["programs"])
        db.executemany("INSERT OR REPLACE INTO programs VALUES (?, ?)", [(k, c.programs[k]) for k in keys])

    def _meta(self, values: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(values.items()))

    def put_meta(self, values: dict[str, str | None]) -> None:
        """Set (or, for None, remove) meta entries, in one transaction of their own (the shard record)."""
        try:
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                self._meta({k: v for k, v in values.items() if v is not None})
                self.db.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k, v in sorted(values.items()) if v is None])
        except sqlite3.Error as e:
            raise OSError(0, f"cannot save the build state: {e}", str(self.path)) from None


class BuildState:
    """The manifest and the stat cache of one output folder, as one build reads and saves them.

    ``open(..., write=True)`` (a build) creates the state when there is none, carries over the state an older
    version left in the output folder and removes it from there, and sets aside a state file it cannot read.
    ``write=False`` (``--check``, ``--dry-run``) creates nothing and never touches the output folder: it reads the
    state (or the old one) as it is; ``save_cache`` then keeps the hashes it computed when the state exists."""

    def __init__(self, folder: Path, manifest: Manifest, cache: HashCache, store: StateStore | None) -> None:
        self.folder = folder
        self.manifest = manifest
        self.cache = cache
        self.store = store

    @classmethod
    def open(cls, root: Path, out: Path, context: str, *, write: bool, on_wait=None) -> "BuildState":
        from pipeline.build import legacy

        folder = state_dir(root, out)
        if not write:
            return cls._read_only(folder, out, context)
        make_state_dir(folder)
        store, manifest, cache = _open_store(folder / DB_NAME, context)
        state = cls(folder, manifest, cache, store)
        if legacy.present(out):
            if not manifest.outputs and not cache.files:  # nothing recorded here yet: carry the old state over
                state.manifest, state.cache = legacy.read_manifest(out), legacy.read_cache(out, context)
                state.save()
            legacy.remove(out, on_wait)
        return state

    @classmethod
    def _read_only(cls, folder: Path, out: Path, context: str) -> "BuildState":
        from pipeline.build import legacy

        path = folder / DB_NAME
        if path.is_file():
            for mode in ("rw", "ro"):  # read-write for save_cache; read-only on a read-only file system
                try:
                    store = StateStore(path, mode)
                    if store.readable():
                        return cls(folder, store.read_manifest(), store.read_cache(context), store if mode == "rw" else None)
                    store.close()
                except (sqlite3.Error, ValueError):
                    continue
            return cls(folder, Manifest(), HashCache(context), None)
        if legacy.present(out):
            manifest, cache = legacy.read_manifest(out), legacy.read_cache(out, context)
            manifest.written(), cache.written()
            return cls(folder, manifest, cache, None)
        return cls(folder, Manifest(), HashCache(context), None)

    def save(self) -> None:
        """Write what changed in the manifest and the cache, together (a build)."""
        if self.store is not None and (self.manifest.dirty or self.cache.dirty):
            self.store.write(self.manifest, self.cache)

    def save_cache(self) -> None:
        """Keep the hashes a check computed, when the state exists and can be written; never fails."""
        if self.store is not None and self.cache.dirty:
            with contextlib.suppress(sqlite3.Error, OSError):
                self.store.write(None, self.cache)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def _open_store(path: Path, context: str) -> tuple[StateStore, Manifest, HashCache]:
    """The state file and what it records; created when absent. A file that cannot be read as a state of this
    format is set aside (``.unreadable``) and replaced: what it said is only a shortcut, the outputs are verified
    or rebuilt. A state that cannot be written at all (a read-only or full disk) is an ``OSError``."""
    for attempt in range(2):
        store = None
        try:
            store = StateStore(path)
            return store, store.read_manifest(), store.read_cache(context)
        except (sqlite3.DatabaseError, ValueError) as e:
            if store is not None:
                store.close()
            if attempt or (isinstance(e, sqlite3.OperationalError) and not path.is_file()):
                raise OSError(0, f"cannot use the build state: {e}", str(path)) from None
            with contextlib.suppress(FileNotFoundError):
                os.replace(path, path.with_name(path.name + ".unreadable"))
    raise AssertionError("unreachable")


def read_state(root: Path, out: Path) -> BuildState:
    """The recorded state of an output folder, read only (what a review or a merge of shards reads)."""
    return BuildState._read_only(state_dir(root, out), out, "")
