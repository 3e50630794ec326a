"""The stat cache: what a no-op build needs without reading renders (kept in the build state, ``state``).

* ``files``:   input path -> [size, mtime_ns, inode, sha256, trusted]. A frame whose stat matches a trusted entry is
               not read again; otherwise it is re-hashed (a touched or renamed file costs one read, never a
               rebuild). ``trusted`` is false when the file was modified within ``RACY_NS`` of being hashed.
* ``outputs``: output path (relative to out) -> [size, mtime_ns, inode, sha256] as last written or verified.
* ``pages``:   a key over a page's path and bytes -> its record: plan, references, facts and findings
               (``pages.py``; pages are parsed only when changed), kept while ``context`` is unchanged. Read from
               the state when first looked up.
* ``context``: what the page records depend on besides the page (``pages.plan_context``).
* ``programs``: ffmpeg/gifsicle version strings by binary path, size and mtime.

Entries are only a shortcut to a content hash; losing them costs one full re-hash, never a wrong build.
A file modified within ``RACY_NS`` of being hashed is re-hashed next time (its mtime may not have moved).
The cache remembers which keys changed since it was read, so that saving it writes those rows only.
"""

from __future__ import annotations

import os
import time
from typing import Callable

RACY_NS = 2_000_000_000
TABLES = ("files", "output_stats", "pages", "programs")


def stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class HashCache:
    def __init__(self, context: str = "") -> None:
        self.files: dict[str, list] = {}
        self.outputs: dict[str, list] = {}
        self.pages: dict[str, dict] = {}  # records read or recorded by this run
        self.programs: dict[str, str] = {}
        self.page_keys: set[str] = set()  # keys of the records in the state, read or not
        self.page_source: Callable[[str], dict | None] | None = None  # reads one record from the state
        self.used_pages: set[str] = set()  # page records looked up or recorded by this run
        self.context = context
        self.clear_pages = False  # the stored records were made in another context: drop them all when saving
        self.changed: dict[str, set[str]] = {t: set() for t in TABLES}

    @property
    def dirty(self) -> bool:
        return self.clear_pages or any(self.changed.values())

    def written(self) -> None:
        """Saved: nothing is left to write."""
        self.page_keys |= set(self.pages)
        self.clear_pages = False
        for keys in self.changed.values():
            keys.clear()

    # inputs
    def lookup(self, path: str, st: os.stat_result) -> str | None:
        e = self.files.get(path)
        if e and e[0] == st.st_size and e[1] == st.st_mtime_ns and e[2] == st.st_ino and e[4]:
            return e[3]
        return None

    def record(self, path: str, st: os.stat_result | list, sha: str, hashed_at_ns: int | None = None) -> None:
        size, mtime_ns, ino = (st if isinstance(st, list) else stat_key(st))[:3]
        now = hashed_at_ns if hashed_at_ns is not None else time.time_ns()
        trusted = now - mtime_ns > RACY_NS
        entry = [size, mtime_ns, ino, sha, trusted]
        if self.files.get(path) != entry:
            self.files[path] = entry
            self.changed["files"].add(path)

    # outputs
    def output_sha(self, rel: str, st: os.stat_result) -> str | None:
        e = self.outputs.get(rel)
        if e and e[0] == st.st_size and e[1] == st.st_mtime_ns and e[2] == st.st_ino:
            return e[3]
        return None

    def record_output(self, rel: str, st: list, sha: str) -> None:
        entry = [*st[:3], sha]
        if self.outputs.get(rel) != entry:
            self.outputs[rel] = entry
            self.changed["output_stats"].add(rel)

    def forget_output(self, rel: str) -> None:
        if self.outputs.pop(rel, None) is not None:
            self.changed["output_stats"].add(rel)

    # programs
    def record_program(self, key: str, version: str) -> None:
        if self.programs.get(key) != version:
            self.programs[key] = version
            self.changed["programs"].add(key)

    # pages
    def page(self, key: str) -> dict | None:
        self.used_pages.add(key)
        if key not in self.pages and key in self.page_keys and self.page_source is not None:
            record = self.page_source(key)
            if record is not None:
                self.pages[key] = record
        return self.pages.get(key)

    def record_page(self, key: str, record: dict) -> None:
        self.used_pages.add(key)
        self.pages[key] = record
        self.changed["pages"].add(key)

    def prune(self, files: set[str] | None = None, outputs: set[str] | None = None, pages: set[str] | None = None) -> None:
        """Drop entries not seen by a whole-site build."""
        for table, keep in (("files", files), ("output_stats", outputs)):
            if keep is None:
                continue
            rows = self.files if table == "files" else self.outputs
            for k in [k for k in rows if k not in keep]:
                del rows[k]
                self.changed[table].add(k)
        if pages is not None:
            for k in [k for k in self.page_keys | set(self.pages) if k not in pages]:
                self.pages.pop(k, None)
                self.page_keys.discard(k)
                self.changed["pages"].add(k)
