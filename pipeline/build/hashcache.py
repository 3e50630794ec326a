"""The stat cache kept in the output folder (``.pipeline-cache.json``): what a no-op build needs without reading renders.

* ``files``:   input path -> [size, mtime_ns, inode, sha256, trusted]. A frame whose stat matches a trusted entry is
               not read again; otherwise it is re-hashed (a touched or renamed file costs one read, never a
               rebuild). ``trusted`` is false when the file was modified within ``RACY_NS`` of being hashed.
* ``outputs``: output path (relative to out) -> [size, mtime_ns, inode, sha256] as last written or verified.
* ``pages``:   a key over a page's path and bytes -> its record: plan, references, facts and findings
               (``pages.py``; pages are parsed only when changed), kept while ``context`` is unchanged.
* ``context``: what the page records depend on besides the page (``pages.plan_context``).
* ``programs``: ffmpeg/gifsicle version strings by binary path, size and mtime.

Entries are only a shortcut to a content hash; losing the file costs one full re-hash, never a wrong build.
A file modified within ``RACY_NS`` of being hashed is re-hashed next time (its mtime may not have moved).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from pipeline.content.atomic import write_bytes

CACHE_NAME = ".pipeline-cache.json"
FORMAT = 1
RACY_NS = 2_000_000_000


def stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class HashCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, list] = {}
        self.outputs: dict[str, list] = {}
        self.pages: dict[str, dict] = {}
        self.programs: dict[str, str] = {}
        self.used_pages: set[str] = set()  # page records looked up or recorded by this run
        self.context = ""
        self.dirty = False

    @classmethod
    def load(cls, out: Path, context: str) -> "HashCache":
        """``context`` names what page plans depend on besides the page (settings, code); a change drops them."""
        c = cls(out / CACHE_NAME)
        c.context = context
        try:
            data = json.loads(c.path.read_bytes())
            if data.get("format") != FORMAT:
                return c
            c.files = {k: v for k, v in data.get("files", {}).items() if isinstance(v, list) and len(v) == 5}
            c.outputs = {k: v for k, v in data.get("outputs", {}).items() if isinstance(v, list) and len(v) == 4}
            c.programs = {k: v for k, v in data.get("programs", {}).items() if isinstance(v, str)}
            if data.get("context") == context:
                c.pages = {k: v for k, v in data.get("pages", {}).items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError, TypeError):
            c.files, c.outputs, c.programs, c.pages = {}, {}, {}, {}
        return c

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
        self.files[path] = [size, mtime_ns, ino, sha, trusted]
        self.dirty = True

    # outputs
    def output_sha(self, rel: str, st: os.stat_result) -> str | None:
        e = self.outputs.get(rel)
        if e and e[0] == st.st_size and e[1] == st.st_mtime_ns and e[2] == st.st_ino:
            return e[3]
        return None

    def record_output(self, rel: str, st: list, sha: str) -> None:
        self.outputs[rel] = [*st[:3], sha]
        self.dirty = True

    def forget_output(self, rel: str) -> None:
        if self.outputs.pop(rel, None) is not None:
            self.dirty = True

    # pages
    def page(self, key: str) -> dict | None:
        self.used_pages.add(key)
        return self.pages.get(key)

    def record_page(self, key: str, record: dict) -> None:
        self.used_pages.add(key)
        self.pages[key] = record
        self.dirty = True

    def prune(self, files: set[str] | None = None, outputs: set[str] | None = None, pages: set[str] | None = None) -> None:
        """Drop entries not seen by a whole-site build."""
        for name, keep in (("files", files), ("outputs", outputs), ("pages", pages)):
            if keep is None:
                continue
            table = getattr(self, name)
            kept = {k: v for k, v in table.items() if k in keep}
            if len(kept) != len(table):
                setattr(self, name, kept)
                self.dirty = True

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "context": self.context,
            "files": self.files,
            "outputs": self.outputs,
            "pages": self.pages,
            "programs": self.programs,
        }
        try:
            write_bytes(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
            self.dirty = False
        except OSError:
            pass  # a read-only output folder (e.g. `build --check` in CI): the cache is only a shortcut
