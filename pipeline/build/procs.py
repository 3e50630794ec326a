"""Process tuning for the build's workers, through ctypes on Linux (glibc); elsewhere each call does nothing.

* ``limit_arenas``: two malloc arenas per process;
* ``release_memory``: give freed heap back to the system after each stage;
* ``die_with_parent``: a worker is killed with the build that started it;
* ``usable_cpus``, ``default_jobs``: the CPUs to share, how many workers to start.
"""

from __future__ import annotations

import os
import signal
import sys

_LIBC = None
_M_ARENA_MAX = -8
_PR_SET_PDEATHSIG = 1


def _libc():
    global _LIBC
    if _LIBC is None:
        _LIBC = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                lib = ctypes.CDLL("libc.so.6")
                lib.malloc_trim, lib.mallopt  # glibc only
                _LIBC = lib
            except (OSError, AttributeError):
                pass
    return _LIBC


def limit_arenas() -> None:
    """Two malloc arenas for the whole process. The decoders and encoders run thread pools, and glibc gives each
    thread its own arena; freed frames and buffers then stay scattered over many arenas and a worker's footprint
    grows unit after unit (measured: +30 MB over 30 sequences, 155 MB peaks instead of 120). Same speed."""
    lib = _libc()
    if lib:
        lib.mallopt(_M_ARENA_MAX, 2)


def release_memory() -> None:
    """Give the heap a stage used (frames, encoder buffers) back to the system."""
    lib = _libc()
    if lib:
        lib.malloc_trim(0)


def die_with_parent(parent: int) -> None:
    """Die with the build: a killed build leaves no worker writing into the output folder. ``parent``: the pid of
    the build; if it is already gone (killed while this worker started), exit now."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except Exception:  # noqa: BLE001 - best effort; the lock still keeps the next build waiting
            pass
    if parent and os.getppid() != parent:
        os._exit(1)


def usable_cpus() -> int:
    """The CPUs this process may use (its affinity mask)."""
    from pipeline.encode.tools import usable_cpus as cpus

    return cpus()


def default_jobs() -> int:
    """How many workers by default: one per usable CPU, the encoders running one thread each (``usable_cpus``)."""
    return usable_cpus()
