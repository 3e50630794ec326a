"""The previous GIF of each animation a build replaced, kept beside the build state for ``pipeline review``.

```
.pipeline/<out>/previous/
  index.json                    which animations builds created or replaced (below), written atomically
  muscles/gif/Leg-Lateral.gif   the GIF as it was before the last build that changed it (only that one)
  .incoming/                    hard links to the GIFs a running build may replace; removed when it ends
```

``index.json``: ``{"format": 1, "build": N, "animations": {path: {"build": n, "page": ..., "sha256": <the new
GIF>, "previous": {"sha256": ..., "size": ...} or null}}}``. ``build`` counts the builds that created or replaced an
animation; an animation with ``"build": N`` was created (``previous`` null) or replaced by the last of them. A
rebuild that gives the same bytes (``--force``) changes nothing here.

Before the encoders run, each GIF a job may replace is hard-linked (copied across file systems) under
``.incoming/``: the build writes its outputs under a temporary name and renames them into place, so the link keeps
the old bytes. When the build records a new GIF with other bytes, the link is renamed to ``previous/<path>``.
This is a convenience: any failure here is ignored and never fails a build; a reader checks each previous GIF
against the hash the index gives (``Changes.previous_file``), so a build killed between the two renames shows no
previous rather than a wrong one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.content.atomic import link_or_copy, sweep_temporaries, write_bytes

FOLDER = "previous"
INDEX = "index.json"
INCOMING = ".incoming"
FORMAT = 1
KIND = "gif"  # the animation the review shows side by side


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Changes:
    """What ``index.json`` says: the count of builds that changed animations, and each animation's record."""

    folder: Path  # .pipeline/<out>/previous
    build: int = 0
    animations: dict[str, dict] = field(default_factory=dict)

    def changed_by_last(self, path: str, sha256: str | None) -> bool:
        """Whether the last build that changed animations created or replaced ``path`` with the GIF whose hash is
        ``sha256`` (the one the manifest records now)."""
        rec = self.animations.get(path)
        return bool(rec) and self.build > 0 and rec["build"] == self.build and rec["sha256"] == sha256

    def previous_file(self, path: str) -> Path | None:
        """The GIF ``path`` replaced, when it is kept and its bytes are those the index names."""
        prev = (self.animations.get(path) or {}).get("previous")
        f = self.folder / path
        if not isinstance(prev, dict) or not prev.get("sha256") or not f.is_file():
            return None
        try:
            return f if _sha256(f) == prev["sha256"] else None
        except OSError:
            return None

    def dumps(self) -> bytes:
        doc = {"animations": self.animations, "build": self.build, "format": FORMAT}
        return (json.dumps(doc, sort_keys=True, indent=1) + "\n").encode()


def read_changes(state_folder: Path) -> Changes:
    """The record under an output folder's state folder; empty when there is none or it cannot be read."""
    folder = Path(state_folder) / FOLDER
    try:
        doc = json.loads((folder / INDEX).read_bytes())
        if doc.get("format") == FORMAT and isinstance(doc.get("build"), int) and isinstance(doc.get("animations"), dict):
            good = {p: r for p, r in doc["animations"].items() if isinstance(r, dict) and {"build", "sha256", "previous"} <= set(r)}
            return Changes(folder, doc["build"], good)
    except (OSError, ValueError, AttributeError):
        pass
    return Changes(folder)


class Keeper:
    """One build's side: ``start`` before the encoders run, ``replaced`` for each output the build records as
    built, ``finish`` once at the end."""

    def __init__(self, state_folder: Path, out: Path) -> None:
        self.changes = read_changes(state_folder)
        self.folder = self.changes.folder
        self.incoming = self.folder / INCOMING
        self.out = Path(out)
        self.recorded: dict[str, dict] = {}

    @classmethod
    def start(cls, state_folder: Path, out: Path, jobs) -> "Keeper":
        """Keep a link to each existing GIF that ``jobs`` (the build's worker jobs) may replace."""
        k = cls(state_folder, out)
        with contextlib.suppress(OSError):
            shutil.rmtree(k.incoming, ignore_errors=True)  # a killed build's links
            sweep_temporaries(k.folder)  # and its half-written index
            for job in jobs:
                for oj in job.outputs:
                    if oj.output.kind == KIND:
                        k._hold(oj.output.path)
        return k

    def _hold(self, rel: str) -> None:
        src, dest = self.out / rel, self.incoming / rel
        if not src.is_file():
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # keeping a previous GIF never fails a build
            link_or_copy(src, dest)

    def replaced(self, rel: str, entry: dict | None) -> None:
        """The build recorded ``entry`` as the new output at ``rel``."""
        if not entry or entry.get("kind") != KIND:
            return
        held = self.incoming / rel
        try:
            old = _sha256(held) if held.is_file() else None
            if old == entry["sha256"]:
                return  # the same bytes again
            previous = None
            if old is not None:
                previous = {"sha256": old, "size": held.stat().st_size}
                (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(held, self.folder / rel)
        except OSError:
            return
        self.recorded[rel] = {"page": entry.get("page", ""), "sha256": entry["sha256"], "previous": previous}

    def finish(self, manifest) -> None:
        """Write the index when this build changed an animation (or one recorded is gone from ``manifest``), and
        drop the links nobody needs."""
        ch = self.changes
        gone = sorted(p for p in ch.animations if p not in manifest.outputs and p not in self.recorded)
        if self.recorded or gone:
            if self.recorded:
                ch.build += 1
            for rel in gone:
                del ch.animations[rel]
                with contextlib.suppress(OSError):
                    (self.folder / rel).unlink()
            for rel, rec in self.recorded.items():
                if rec["previous"] is None:  # created (or its old file was gone): no previous to show
                    with contextlib.suppress(OSError):
                        (self.folder / rel).unlink()
                ch.animations[rel] = {"build": ch.build, **rec}
            with contextlib.suppress(OSError):
                write_bytes(self.folder / INDEX, ch.dumps())
            self.recorded = {}  # a second call (after the removals) counts no build again
        shutil.rmtree(self.incoming, ignore_errors=True)
