"""One build at a time per output folder: a second one waits (and says so), never interleaves."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pipeline.build.lock import BuildLock, LockTimeout
from pipeline.build.state import DB_NAME, LOCK_NAME

from .conftest import REPO, build, cli_subprocess


def test_lock_excludes_and_is_released(tmp_path):
    a, b = BuildLock(tmp_path / LOCK_NAME), BuildLock(tmp_path / LOCK_NAME)
    assert a.acquire()
    assert a.holder() == str(os.getpid())
    with pytest.raises(LockTimeout):
        b.acquire(timeout=0.2)
    a.release()
    assert b.acquire(timeout=1)
    b.release()


def test_lock_dies_with_its_holder(tmp_path):
    """A build killed by SIGKILL leaves no stale lock: the kernel drops a flock with its process."""
    code = f"import sys, time; sys.path.insert(0, {str(REPO)!r}); from pipeline.build.lock import BuildLock; BuildLock(__import__('pathlib').Path({str(tmp_path / LOCK_NAME)!r})).acquire(); print('locked', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockTimeout):
            BuildLock(tmp_path / LOCK_NAME).acquire(timeout=0.2)
    finally:
        holder.kill()
        holder.wait()
    lock = BuildLock(tmp_path / LOCK_NAME)
    assert lock.acquire(timeout=2)
    lock.release()


def test_second_build_waits_then_finds_nothing_to_do(project):
    held = BuildLock(project.state_folder() / LOCK_NAME)
    held.acquire()
    proc = cli_subprocess(project, "--jobs", "1")
    try:
        time.sleep(1.5)
        assert proc.poll() is None, "the second build did not wait"
        assert not (project.out / "muscles").exists() and not (project.state_folder() / DB_NAME).exists()
    finally:
        held.release()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"waiting for another build (pid {os.getpid()})" in out


def test_concurrent_builds_do_not_interleave(project):
    project.add("Hip-Posterior")
    procs = [cli_subprocess(project, "--jobs", "1") for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    summaries = sorted(out.strip().splitlines()[-1] for out, _ in results)
    built = [s for s in summaries if not s.startswith("build: 0 built")]
    assert len(built) == 1, summaries  # one did the work; the other waited and found everything current
    clean = project.root / "clean"
    build(project, out=clean)
    assert project.outputs() == project.outputs(clean)
