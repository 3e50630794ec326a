"""State that versions before ``state`` kept in the output folder: read it once, to carry it over, then remove it.

``<out>/.pipeline-manifest.json`` (the manifest as ``Manifest.dumps`` writes it), ``<out>/.pipeline-cache.json``
(the stat cache as one JSON object) and ``<out>/.pipeline.lock``. Whatever cannot be read is left behind: the
outputs it described are verified or rebuilt, and a build never fails on it.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Callable

from pipeline.build.hashcache import HashCache
from pipeline.build.lock import BuildLock
from pipeline.build.manifest import Manifest

MANIFEST_NAME = ".pipeline-manifest.json"
CACHE_NAME = ".pipeline-cache.json"
LOCK_NAME = ".pipeline.lock"
NAMES = (MANIFEST_NAME, CACHE_NAME, LOCK_NAME)


def present(out: Path) -> bool:
    return any((out / name).exists() for name in NAMES)


def read_manifest(out: Path) -> Manifest:
    try:
        m = Manifest.loads((out / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return Manifest()
    m.changed = set(m.outputs)
    m.tables_changed = True
    return m


def read_cache(out: Path, context: str) -> HashCache:
    """The old stat cache, every entry marked changed (to be written into the new state). Page records made in
    another context are left out."""
    c = HashCache(context)
    try:
        data = json.loads((out / CACHE_NAME).read_bytes())
        if not isinstance(data, dict) or data.get("format") != 1:
            return c
        c.files = {k: v for k, v in data.get("files", {}).items() if isinstance(v, list) and len(v) == 5}
        c.outputs = {k: v for k, v in data.get("outputs", {}).items() if isinstance(v, list) and len(v) == 4}
        c.programs = {k: v for k, v in data.get("programs", {}).items() if isinstance(v, str)}
        if data.get("context") == context:
            c.pages = {k: v for k, v in data.get("pages", {}).items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError, TypeError):
        return HashCache(context)
    c.changed = {"files": set(c.files), "output_stats": set(c.outputs), "pages": set(c.pages), "programs": set(c.programs)}
    return c


def remove(out: Path, on_wait: Callable[[str], None] | None = None) -> None:
    """Remove the old state from the output folder, after any build of an older version still writing there."""
    lock = BuildLock(out / LOCK_NAME)
    held = (out / LOCK_NAME).exists() and lock.acquire(on_wait=on_wait)
    try:
        for name in NAMES:
            with contextlib.suppress(FileNotFoundError):
                (out / name).unlink()
    finally:
        if held:
            lock.release()
