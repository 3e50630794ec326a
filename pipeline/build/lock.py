"""One build at a time per output folder: an advisory ``flock`` on the lock file in its state folder
(``.pipeline/<out>/build.lock``, see ``state``).

A second build on the same folder waits for the first to finish (after saying which process it waits for),
then starts: it sees the first build's outputs and state, so it usually has nothing left to do. Builds
never interleave.

``fcntl.flock`` rather than a lock *file*: the kernel releases the lock when the holder dies, even by
SIGKILL, so no stale lock ever needs cleaning up. The lock belongs to the open file description, so the
build's worker processes (forked) hold it too; the next build cannot start while a worker of a killed build
is still finishing a file. The lock file itself is never removed (removing it would let two builds lock two
different files).
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialised
    fcntl = None  # type: ignore[assignment]

class LockTimeout(Exception):
    pass


class BuildLock:
    def __init__(self, path: Path) -> None:
        self.path = path  # the lock file
        self.fd: int | None = None

    def holder(self) -> str:
        """The pid written by the build that holds the lock, or '' when unknown."""
        try:
            return self.path.read_text().strip()
        except OSError:
            return ""

    def acquire(self, *, timeout: float | None = None, on_wait: Callable[[str], None] | None = None, poll: float = 0.1) -> bool:
        """Take the lock, waiting for another build if needed. Returns False if the folder cannot hold a lock file
        (e.g. read-only), in which case nothing is locked. ``timeout`` (seconds) raises LockTimeout when exceeded."""
        if fcntl is None:  # pragma: no cover
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return False
            raise
        try:
            self._wait(fd, timeout, on_wait, poll)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return True

    def _wait(self, fd: int, timeout: float | None, on_wait: Callable[[str], None] | None, poll: float) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if on_wait is not None:
            on_wait(self.holder())
        if timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"another build holds {self.path} (pid {self.holder() or '?'})") from None
                time.sleep(poll)

    def release(self) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            os.close(self.fd)  # closing the last descriptor of the description releases the flock
            self.fd = None
