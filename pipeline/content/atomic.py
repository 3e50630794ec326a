"""Atomic file output: write to a temporary name in the destination folder, then rename into place.

A reader (or a build killed at any moment) sees either the old complete file or the new complete file,
never a partial one. Temporary names start with '.' and end with '.tmp' so a later build can sweep them.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TMP_PREFIX = ".tmp-"
TMP_SUFFIX = ".part"


@contextmanager
def atomic_path(dest: Path, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it replaces ``dest`` (with permissions ``mode``), on error
    it is removed."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX + dest.name + ".", suffix=TMP_SUFFIX + dest.suffix, dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, dest)
    except BaseException:
        try:
            tmp_path.unlink()
        except FileNotFoundError:
            pass
        raise


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)


def link_or_copy(src: Path, dest: Path) -> bool:
    """``src`` at ``dest`` as a hard link (no bytes copied; True), or, across file systems or where links are
    refused, as a copy readable by all (False). ``dest``'s folder must exist."""
    try:
        os.link(src, dest)
        return True
    except OSError:
        import shutil

        shutil.copyfile(src, dest)
        os.chmod(dest, 0o644)
        return False


def replace_folder(new: Path, dest: Path, aside: Path) -> None:
    """Put the folder ``new`` at ``dest`` by renames: onto nothing or an empty folder in one; otherwise the old
    ``dest`` is first renamed to ``aside`` (and put back if the second rename fails), then removed. A reader sees
    the old folder or the new one, never a mixture; a crash between the renames leaves the old one at ``aside``."""
    import shutil

    if not dest.exists() or (dest.is_dir() and not any(dest.iterdir())):
        os.replace(new, dest)
        return
    os.replace(dest, aside)
    try:
        os.replace(new, dest)
    except BaseException:
        os.replace(aside, dest)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def sweep_temporaries(root: Path) -> list[Path]:
    """Remove temporaries left by a killed build. Returns what was removed."""
    removed = []
    if not root.is_dir():
        return removed
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            if n.startswith(TMP_PREFIX) and TMP_SUFFIX in n:
                p = Path(dirpath) / n
                try:
                    p.unlink()
                    removed.append(p)
                except OSError:
                    pass
    return removed
