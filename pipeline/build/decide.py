"""The one staleness decision: is an output up to date, and if not, why; and the manifest entry that records it.

It is asked twice in a build, with the same rules: by the main process from stats alone (every frame's hash known
from the stat cache, every output's stat matching what was recorded), so that a no-op build never starts a worker;
and by a worker after it hashed the frames it had to. An output is up to date when it is recorded, its fingerprint
(frames, settings, tools: ``fingerprint``) is the recorded one, and the file on disk is the one recorded (same
stat as when written or verified, else same size and content hash).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pipeline.build.fingerprint import hash_file
from pipeline.build.hashcache import HashCache, stat_key
from pipeline.build.plan import Output


class State(Enum):
    """What the output folder holds for an output, from one ``stat`` (and the stat cache)."""

    OK = "ok"  # the stat matches what was recorded when it was written or verified
    MISSING = "missing"
    ALTERED = "altered"  # its size is not the recorded one
    VERIFY = "verify"  # it may be the recorded file: hash it to know


@dataclass
class OutputJob:
    output: Output
    prev: dict | None  # its manifest entry
    state: State


def output_state(out: str, rel: str, prev: dict | None, cache: HashCache) -> State:
    try:
        st = os.stat(os.path.join(out, rel))
    except OSError:
        return State.MISSING
    if prev is None:
        return State.VERIFY
    if st.st_size != prev["size"]:
        return State.ALTERED
    if cache.output_sha(rel, st) == prev["sha256"]:
        return State.OK
    return State.VERIFY


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # why it must be (re)built; None when it is up to date
    fingerprint: str | None = None
    parts: dict | None = None  # the fingerprint's parts (kind, frames, settings, tools)
    page: str = ""
    prev: dict | None = None
    stat: list[int] | None = None  # the output's stat, when it was verified by hashing it

    @property
    def current(self) -> bool:
        return self.reason is None

    def entry(self, sha256: str | None = None, size: int | None = None) -> dict:
        """The manifest entry: what produced the output and what it holds (as written, or as recorded)."""
        assert self.fingerprint is not None and self.parts is not None, "an entry needs the fingerprint"
        prev = self.prev or {}
        return {
            "fingerprint": self.fingerprint,
            **self.parts,
            "page": self.page,
            "sha256": sha256 if sha256 is not None else prev["sha256"],
            "size": size if size is not None else prev["size"],
        }


_WHAT_CHANGED = {"frames": "frames changed", "settings": "settings changed", "tools": "encoder or library version changed"}


def needs_frame_hashes(ojs: list[OutputJob], build: bool) -> bool:
    """Whether deciding needs the frames' content hashes: to build, or to compare with a record. A check of
    outputs never recorded, or recorded but gone, knows they are stale without reading a frame."""
    return build or any(oj.prev is not None and oj.state is not State.MISSING for oj in ojs)


def decide(oj: OutputJob, fingerprint: tuple[str, dict] | None, page: str, *, force: bool, out: Path) -> Verdict:
    """``fingerprint``: (fingerprint, parts) of what would produce the output now; None when the frames were not
    hashed (``needs_frame_hashes`` said they need not be)."""
    fp, parts = fingerprint if fingerprint is not None else (None, None)
    prev = oj.prev

    def stale(reason: str) -> Verdict:
        return Verdict(reason, fp, parts, page, prev)

    if force:
        return stale("forced")
    if prev is None:
        return stale("new" if oj.state is State.MISSING or fp is None else "not recorded in the manifest")
    if fp is None:
        return stale("missing")
    if prev["fingerprint"] != fp:
        changed = [k for k in ("frames", "settings", "tools") if prev.get(k) != parts[k]]
        return stale(", ".join(_WHAT_CHANGED[k] for k in changed) or "fingerprint changed")
    if oj.state is State.MISSING:
        return stale("missing")
    if oj.state is State.ALTERED:
        return stale("altered since it was built")
    verified = None
    if oj.state is State.VERIFY:
        try:
            sha, st = hash_file(out / oj.output.path)
        except OSError:
            return stale("missing")
        if sha != prev["sha256"] or st.st_size != prev["size"]:
            return stale("altered since it was built")
        verified = stat_key(st)
    return Verdict(None, fp, parts, page, prev, verified)
