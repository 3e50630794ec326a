"""`pipeline build --shard K/N`: one part of the site's sequences, for one job of a CI matrix.

The sequences (the plan's units: one per animation, named by its GIF, or by its first frame for thumbnails alone)
are partitioned by a stable hash of that name: SHA-256, never Python's ``hash()``, which changes from one process
to the next. Shard K of N builds the units whose hash is K-1 modulo N, into its own output folder with its own
state, like any build; it plans and checks the whole site, so the pages it reports are the same in every shard.

When it is done, the shard records in its state (meta ``shard``) what ``pipeline merge`` (``merge``) needs to
prove that the shards fit together:

* ``k``, ``n``: which part it is;
* ``site``: a digest of every output of the whole site with the fingerprint it should have (frames by content,
  settings, tool versions: ``fingerprint``). Each shard hashes every frame of the site for it (a read, no
  decoding), so shards built from other renders, pages, settings or versions do not have the same digest;
* ``outputs``: this shard's own outputs and their fingerprints, which its manifest must hold exactly;
* ``failures``: the failures of its build (a shard that failed is not merged).

The record is removed when a build starts on the folder and written when a shard build finishes, so a shard
killed half-way, or a folder built since without ``--shard``, has none.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from dataclasses import dataclass

from pipeline.build.fingerprint import Fingerprinter, hash_file
from pipeline.build.plan import SitePlan, Unit

RECORD_KEY = "shard"
FORMAT = 1
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    k: int  # 1..n
    n: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """'K/N' with 1 <= K <= N; ValueError with a message otherwise."""
        m = _SPEC.match(text or "")
        if not m:
            raise ValueError(f"--shard {text!r}: expected K/N, e.g. 1/4 (shard K of N)")
        k, n = int(m.group(1)), int(m.group(2))
        if n < 1 or not 1 <= k <= n:
            raise ValueError(f"--shard {text}: K must be between 1 and N (N >= 1)")
        return cls(k, n)

    def owns(self, unit: Unit) -> bool:
        return shard_of(unit.label, self.n) == self.k

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def shard_of(name: str, n: int) -> int:
    """The shard (1..n) of the sequence named ``name``: the same on every machine and in every process."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % n + 1


def site_digest(fingerprints: dict[str, str]) -> str:
    """A digest of outputs and their fingerprints (what the union of the shards' manifests must give)."""
    h = hashlib.sha256()
    for path in sorted(fingerprints):
        h.update(f"{path}\t{fingerprints[path]}\n".encode())
    return h.hexdigest()


class Sharding:
    """The shard of one build: the units it builds (``select``), and its record (``finish``)."""

    def __init__(self, shard: Shard, site: SitePlan) -> None:
        self.shard = shard
        self.all_units = list(site.units)

    def select(self, site: SitePlan) -> SitePlan:
        return dataclasses.replace(site, units=[u for u in site.units if self.shard.owns(u)])

    def hash_site(self, session, fper: Fingerprinter) -> None:
        """The fingerprint every output of the site should have (before the session prunes its stat cache, so that
        the frames of the other shards stay in it: a rebuild of the shard does not read them again)."""
        self.fingerprints, self.unreadable = expected_fingerprints(self.all_units, session.images, session.cache, fper, session.seen_files)

    def finish(self, session) -> None:
        """Write the shard's record into the session's state (after its build and prune)."""
        fingerprints = self.fingerprints
        mine = {o.path for u in self.all_units if self.shard.owns(u) for o in u.outputs}
        record = {
            "format": FORMAT,
            "k": self.shard.k,
            "n": self.shard.n,
            "site": site_digest(fingerprints),
            "site_outputs": len(fingerprints),
            "outputs": {p: fingerprints[p] for p in sorted(mine) if p in fingerprints},
            "failures": len(session.result.failures) + len(session.result.skipped) + self.unreadable,
        }
        session.state.save()  # the frame hashes read for the record
        put_record(session.state, record)


def expected_fingerprints(units: list[Unit], images, cache, fper: Fingerprinter, seen: set[str]) -> tuple[dict[str, str], int]:
    """Every output of ``units`` -> the fingerprint it should have from the frames on disk now (hashed unless
    the stat cache knows them; each frame added to ``seen``), and how many units have a frame that cannot be
    read (they are left out)."""
    out: dict[str, str] = {}
    missing = 0
    for unit in units:
        hashes = []
        for url in unit.frames:
            r = images.resolve(url, stat=True)
            if r.file is None:
                break
            path = os.path.abspath(r.file)
            seen.add(path)
            sha = cache.lookup(path, r.stat)
            if sha is None:
                try:
                    sha, st = hash_file(path)
                except OSError:
                    break
                cache.record(path, st, sha)
            hashes.append(sha)
        if len(hashes) != len(unit.frames):
            missing += 1
            continue
        for o in unit.outputs:
            out[o.path] = fper.fingerprint(o.kind, [hashes[i] for i in o.frames])[0]
    return out, missing


def clear_record(state) -> None:
    """A build starts on this folder: until a shard build finishes, it is no shard to merge."""
    if state.store is not None and RECORD_KEY in state.store.meta():
        state.store.put_meta({RECORD_KEY: None})


def put_record(state, record: dict) -> None:
    if state.store is not None:
        state.store.put_meta({RECORD_KEY: json.dumps(record, sort_keys=True, separators=(",", ":"))})


def read_record(meta: dict[str, str]) -> dict | None:
    """The shard record of a state's meta table, or None when it has none (or one of another format)."""
    try:
        record = json.loads(meta[RECORD_KEY])
    except (KeyError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("format") == FORMAT else None
