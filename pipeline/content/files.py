"""The images root on disk, read once per run: safe resolution of page references, folder listings, the numbered
frames of each sequence, and PNG headers.

References are resolved without ever opening a file outside the root: absolute paths, '..', backslashes,
URL-encoded parts and links that lead outside are refused. Existence is decided from the folder listing, so case
must match exactly, as on the case-sensitive server.

Each folder is listed once (one ``scandir``), and what is derived from a listing (the sequences in it, the
lower-cased names for case hints, whether the folder really lies inside the root) is worked out once too, so
checking every reference of a site costs one pass over its folders plus what each reference needs itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from pipeline.content.png import PngInfo, read_png_info

_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
_NUMBERED = re.compile(r"(.+)-(\d+)\.png")

FILE, FOLDER, LINK = 0, 1, 2  # what a folder entry is, from the listing alone (a link is followed only when used)


class Resolved(NamedTuple):  # a tuple: a site resolves one per render, and a frozen dataclass costs 4x to make
    file: str | None  # the file (root joined with the reference), when it exists and is safe
    unsafe: str | None = None  # why the reference escapes the root (IMG005), never opened
    missing: str | None = None  # why it does not exist (IMG001), with a hint where there is one
    stat: os.stat_result | None = None  # with ``resolve(..., stat=True)``: the file's stat (links followed)

    @property
    def path(self) -> Path | None:
        return Path(self.file) if self.file is not None else None


@dataclass
class _Folder:
    entries: dict[str, int] | None  # name -> FILE / FOLDER / LINK; None when the folder does not exist
    inside: bool | None = None  # really inside the root (links along the way followed); None: not worked out
    sequences: dict[str, list[tuple[int, str]]] | None = None  # stem -> (number, file name), in listing order
    lowered: dict[str, str] | None = None  # lower-cased name -> a name on disk


class ImageFiles:
    def __init__(self, root: Path, max_pixels: int | None = None, *, shown: str | None = None) -> None:
        self.root = root
        self.shown = shown if shown is not None else str(root)  # the root as messages name it
        self.max_pixels = max_pixels
        self._root = os.fspath(root)
        self._abs_root = os.path.abspath(root)
        self._real_root = os.path.realpath(root)
        self._folders: dict[str, _Folder] = {}
        self._checked: dict[str, _Folder] = {}  # folders whose path, as written, was walked from the root and is inside it
        self._resolved: dict[str, Resolved] = {}
        self._headers: dict[str, PngInfo] = {}

    @classmethod
    def of(cls, config) -> "ImageFiles":
        """The configured images root (``pipeline.config.Config``), named in messages relative to the project root."""
        return cls(config.images, config.encode.max_pixels, shown=config.show(config.images))

    # -- references
    def unsafe_reason(self, ref: str) -> str | None:
        if not (ref.startswith("/") or ".." in ref or "\\" in ref or "%" in ref or ":" in ref):
            return None  # relative, no '..', backslash, escape or scheme: cannot leave the root
        if "\\" in ref:
            return "uses a backslash; image paths use '/'"
        if _PCT.search(ref):
            return "contains URL-encoded characters; write the plain name"
        if ref.startswith("/") or re.match(r"^[A-Za-z]:", ref) or "://" in ref:
            return "is absolute; image paths are relative to the images root"
        if ".." in ref.split("/"):
            return "contains '..' and could leave the images root"
        return None

    def resolve(self, ref: str, *, stat: bool = False) -> Resolved:
        """Where ``ref`` is, or why it cannot be used. Answered from the listings; with ``stat`` the file is also
        stat'ed (what a build needs to know whether it changed)."""
        r = self._resolved.get(ref)
        if r is None:
            r = self._resolved[ref] = self._resolve(ref)
        if stat and r.file is not None and r.stat is None:
            try:
                st = os.stat(r.file)
            except OSError as e:
                return Resolved(None, missing=f"cannot be read: {e.strerror or e}")
            r = self._resolved[ref] = Resolved(r.file, stat=st)
        return r

    def _resolve(self, ref: str) -> Resolved:
        why = self.unsafe_reason(ref)
        if why:
            return Resolved(None, unsafe=why)
        rel_dir, _, name = ref.rpartition("/")
        folder = self._checked.get(rel_dir)
        if folder is not None and folder.entries.get(name) == FILE:  # the common case: a file in a folder seen before
            return Resolved(os.path.join(self._root, ref))
        parts = tuple(p for p in ref.split("/") if p and p != ".")  # as PurePosixPath(ref).parts, cheaper
        if not parts:
            return Resolved(None, missing="is a folder, not a file")
        rel_dir = ""
        for i, part in enumerate(parts):
            folder = self._folder(rel_dir)
            kind = folder.entries.get(part) if folder.entries is not None else None
            if kind is None:
                return Resolved(None, missing=self._missing(rel_dir, folder, parts, i))
            if i < len(parts) - 1:
                rel_dir = f"{rel_dir}/{part}" if rel_dir else part
        name = parts[-1]
        folder = self._folder(rel_dir)
        full = os.path.join(self._root, *parts)
        if not self._inside(rel_dir, folder):
            return Resolved(None, unsafe="is a link that points outside the images root")
        if "/".join(parts[:-1]) == ref.rpartition("/")[0]:
            self._checked[rel_dir] = folder  # reached name by name from the root and really inside it
        kind = folder.entries[name]
        if kind == FILE:
            return Resolved(full)
        if kind == FOLDER:
            return Resolved(None, missing="is a folder, not a file")
        real = os.path.realpath(full)  # a link: where it really leads
        if not self._within(real):
            return Resolved(None, unsafe="is a link that points outside the images root")
        if os.path.isdir(real):
            return Resolved(None, missing="is a folder, not a file")
        return Resolved(full)

    def _missing(self, rel_dir: str, folder: _Folder, parts: tuple[str, ...], i: int) -> str:
        part = parts[i]
        if folder.entries:
            if folder.lowered is None:
                folder.lowered = {}
                for n in folder.entries:
                    folder.lowered.setdefault(n.lower(), n)
            same = folder.lowered.get(part.lower())
            if same is not None:
                on_disk = "/".join(parts[:i] + (same,))
                return f"does not exist under {self.shown} (on disk as '{on_disk}': case differs, and the server is case-sensitive)"
        where = f"'{rel_dir}/'" if rel_dir else "the images root"
        return f"does not exist under {self.shown} (no '{part}' in {where})"

    def exists(self, ref: str) -> bool:
        return self.resolve(ref).file is not None

    # -- folders
    def _folder(self, rel_dir: str) -> _Folder:
        f = self._folders.get(rel_dir)
        if f is None:
            full = os.path.join(self._abs_root, rel_dir) if rel_dir else self._abs_root
            try:
                with os.scandir(full) as it:
                    entries = {e.name: (LINK if e.is_symlink() else FOLDER if e.is_dir(follow_symlinks=False) else FILE) for e in it}
            except OSError:
                entries = None
            f = self._folders[rel_dir] = _Folder(entries)
        return f

    def listing(self, rel_dir: str) -> dict[str, bool] | None:
        """name -> is_dir for a folder under the root, or None when it does not exist."""
        entries = self._folder(rel_dir).entries
        if entries is None:
            return None
        full = os.path.join(self._abs_root, rel_dir) if rel_dir else self._abs_root
        return {n: (k == FOLDER or (k == LINK and os.path.isdir(os.path.join(full, n)))) for n, k in entries.items()}

    def _inside(self, rel_dir: str, folder: _Folder) -> bool:
        if folder.inside is None:
            full = os.path.join(self._abs_root, rel_dir) if rel_dir else self._abs_root
            folder.inside = self._within(os.path.realpath(full))
        return folder.inside

    def _within(self, real: str) -> bool:
        return real == self._real_root or real.startswith(self._real_root + os.sep)

    def sequence_numbers(self, directory: str, stem: str) -> dict[int, str]:
        """Orientation number -> file name of '<stem>-<n>.png' files present in a folder (thumbnails excluded)."""
        out: dict[int, str] = {}
        for n, name in self._sequences_in(directory).get(stem, ()):
            out.setdefault(n, name)
        return out

    def _sequences_in(self, directory: str) -> dict[str, list[tuple[int, str]]]:
        folder = self._folder(directory)
        if folder.sequences is None:  # one pass over the folder for all its sequences
            index: dict[str, list[tuple[int, str]]] = {}
            for name, kind in (folder.entries or {}).items():
                m = None if kind == FOLDER else _NUMBERED.fullmatch(name)
                if m:
                    index.setdefault(m.group(1), []).append((int(m.group(2)), name))
            folder.sequences = index
        return folder.sequences

    def sequences(self) -> dict[tuple[str, str], list[tuple[int, str]]]:
        """Every numbered-PNG sequence under the root: (folder, stem) -> [(number, file name)] (one walk; links to
        folders are not followed)."""
        out: dict[tuple[str, str], list[tuple[int, str]]] = {}
        todo = [""]
        while todo:
            rel = todo.pop()
            for name, kind in (self._folder(rel).entries or {}).items():
                if kind == FOLDER:
                    todo.append(f"{rel}/{name}" if rel else name)
            for stem, frames in self._sequences_in(rel).items():
                out[(rel, stem)] = list(frames)
        return out

    # -- headers
    def header(self, ref: str | None) -> PngInfo | None:
        """The PNG header of a safe, existing reference, read once per run; None when it cannot be resolved."""
        if not ref:
            return None
        info = self._headers.get(ref)
        if info is None:
            r = self.resolve(ref)
            if r.file is None:
                return None
            info = self._headers[ref] = read_png_info(r.file, self.max_pixels)
        return info
