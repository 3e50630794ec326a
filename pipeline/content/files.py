"""The images root on disk: safe resolution of page references, and cached folder listings.

References are resolved without ever opening a file outside the root: absolute paths, '..', backslashes,
URL-encoded parts and links that lead outside are refused. Existence is decided from the folder listing,
so case must match exactly, as on the case-sensitive server.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
_NUMBERED = re.compile(r"(.+)-(\d+)\.png")


@dataclass(frozen=True)
class Resolved:
    path: Path | None  # the file, when it exists and is safe
    unsafe: str | None = None  # why the reference escapes the root (IMG005), never opened
    missing: str | None = None  # why it does not exist (IMG001), with a hint where there is one


class ImageFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._real_root = os.path.realpath(root)
        self._listings: dict[str, dict[str, bool] | None] = {}
        self._sequences: dict[str, dict[str, dict[int, str]]] = {}

    def unsafe_reason(self, ref: str) -> str | None:
        if "\\" in ref:
            return "uses a backslash; image paths use '/'"
        if _PCT.search(ref):
            return "contains URL-encoded characters; write the plain name"
        if ref.startswith("/") or re.match(r"^[A-Za-z]:", ref) or "://" in ref:
            return "is absolute; image paths are relative to the images root"
        if ".." in ref.split("/"):
            return "contains '..' and could leave the images root"
        return None

    def listing(self, rel_dir: str) -> dict[str, bool] | None:
        """name -> is_dir for a folder under the root, or None when it does not exist."""
        if rel_dir in self._listings:
            return self._listings[rel_dir]
        full = os.path.join(self.root, rel_dir) if rel_dir else str(self.root)
        try:
            with os.scandir(full) as it:
                entries = {e.name: e.is_dir() for e in it}
        except OSError:
            entries = None
        self._listings[rel_dir] = entries
        return entries

    def resolve(self, ref: str) -> Resolved:
        why = self.unsafe_reason(ref)
        if why:
            return Resolved(None, unsafe=why)
        parts = PurePosixPath(ref).parts
        rel_dir = ""
        for i, part in enumerate(parts):
            entries = self.listing(rel_dir)
            if entries is None or part not in entries:
                hint = ""
                if entries:
                    same = [n for n in entries if n.lower() == part.lower()]
                    if same:
                        hint = f" (on disk as '{'/'.join(parts[:i] + (same[0],))}': case differs, and the server is case-sensitive)"
                where = f"'{rel_dir}/'" if rel_dir else "the images root"
                return Resolved(None, missing=f"does not exist under {self.root}{hint}" if hint else f"does not exist under {self.root} (no '{part}' in {where})")
            rel_dir = f"{rel_dir}/{part}" if rel_dir else part
        full = self.root / ref
        real = os.path.realpath(full)
        if not (real == self._real_root or real.startswith(self._real_root + os.sep)):
            return Resolved(None, unsafe="is a link that points outside the images root")
        if os.path.isdir(real):
            return Resolved(None, missing="is a folder, not a file")
        return Resolved(full)

    def exists(self, ref: str) -> bool:
        return self.resolve(ref).path is not None

    def sequence_numbers(self, directory: str, stem: str) -> dict[int, str]:
        """Orientation number -> file name of '<stem>-<n>.png' files present in a folder (thumbnails excluded)."""
        index = self._sequences.get(directory)
        if index is None:  # one pass over the folder for all its sequences
            index = {}
            for name, is_dir in (self.listing(directory) or {}).items():
                m = None if is_dir else _NUMBERED.fullmatch(name)
                if m:
                    index.setdefault(m.group(1), {}).setdefault(int(m.group(2)), name)
            self._sequences[directory] = index
        return dict(index.get(stem, {}))
