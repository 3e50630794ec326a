"""What files were at the last commit: the version control history a partial run (a pre-commit hook) compares with.

Read with one ``git cat-file --batch`` in the project root. Outside a git work tree, without git, or for a file
the last commit does not hold, there is no answer (an empty result), never an error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def committed_texts(paths: list[Path], root: Path) -> dict[Path, str]:
    """The text each of ``paths`` (inside ``root``) had at HEAD, for those HEAD holds as UTF-8 text."""
    base = os.path.abspath(root)
    wanted: list[tuple[Path, str]] = []
    for p in paths:
        rel = os.path.relpath(os.path.abspath(p), base)
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep) and "\n" not in rel:
            wanted.append((p, "HEAD:./" + Path(rel).as_posix()))
    if not wanted:
        return {}
    request = "".join(spec + "\n" for _, spec in wanted).encode()
    try:
        proc = subprocess.run(["git", "-C", base, "cat-file", "--batch"], input=request, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    return _parse_batch(proc.stdout, [p for p, _ in wanted])


def _parse_batch(out: bytes, paths: list[Path]) -> dict[Path, str]:
    """``git cat-file --batch`` answers, one per request in order: '<oid> <type> <size>' then the bytes, or
    '<request> missing'."""
    texts: dict[Path, str] = {}
    at = 0
    for p in paths:
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # missing or ambiguous: HEAD does not hold it
        size = int(header[2])
        body, at = out[at : at + size], at + size + 1
        if header[1] == b"blob":
            try:
                texts[p] = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
    return texts
