"""A build killed at any moment (SIGKILL) leaves each output complete and correct, or absent; the next build finishes.

The build runs as a real `pipeline build` process on a small generated site and is killed after a random short
delay, several times in a row (alternately the build process alone, whose workers must die with it, and the
whole process group). After each kill: every output that exists equals the clean build's bytes and decodes, and
the manifest lists only outputs that are on disk with the recorded hash. A final run completes to the same bytes
as a clean build, with no temporary left.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import time

from PIL import Image

from pipeline.content.atomic import TMP_PREFIX

from .conftest import build, cli_subprocess

KILLS = 6


def _wait_group_gone(pgid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    os.killpg(pgid, signal.SIGKILL)
    raise AssertionError("processes of the killed build outlived it")


def _check_consistent(pr, clean: dict[str, bytes]) -> int:
    found = 0
    if pr.state_folder().exists():
        for out, e in pr.manifest()["outputs"].items():
            on_disk = (pr.out / out).read_bytes()
            assert hashlib.sha256(on_disk).hexdigest() == e["sha256"] and len(on_disk) == e["size"], out
    for rel, data in pr.outputs().items():
        name = rel.rsplit("/", 1)[-1]
        if name.startswith(TMP_PREFIX):
            continue  # a temporary: never an output name; swept by the next build
        assert rel in clean, f"unexpected file {rel}"
        assert data == clean[rel], f"{rel} differs from a clean build (partial or wrong)"
        if rel.endswith((".gif", ".png")):
            with Image.open(pr.out / rel) as im:
                im.load()
        found += 1
    return found


def test_sigkill_at_random_moments(video_project):
    pr = video_project
    for stem in ("Hip-Posterior", "Thigh-Anterior", "Foot-Dorsal", "Arm-Posterior", "Neck-Lateral", "Back-Deep"):
        pr.add(stem, frames=6)
    clean_dir = pr.root / "clean"
    assert not build(pr, out=clean_dir).failures
    clean = pr.outputs(clean_dir)

    # how long a whole build takes here, start-up included: the kills are spread over that window
    t0 = time.monotonic()
    timing = cli_subprocess(pr, "--jobs", "2", "--out", str(pr.root / "timing"))
    timing.communicate(timeout=120)
    window = time.monotonic() - t0

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    landed = 0
    for i in range(KILLS):
        if i < KILLS // 2:
            shutil.rmtree(pr.out, ignore_errors=True)  # from scratch; later rounds continue what was left
            shutil.rmtree(pr.state_folder(), ignore_errors=True)
        proc = cli_subprocess(pr, "--jobs", "2", start_new_session=True)
        time.sleep(rng.uniform(0.2, 0.95) * window)
        if i % 2 == 0:
            proc.kill()  # the build process alone: its workers must die with it
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        _wait_group_gone(proc.pid)
        found = _check_consistent(pr, clean)
        landed += 0 < found < len(clean)
    assert landed, f"no kill landed in the middle of a build (seed {seed}, window {window:.2f}s)"
    done = cli_subprocess(pr, "--jobs", "2")
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, (seed, out, err)
    final = pr.outputs()
    assert final == clean, seed
    assert pr.manifest_bytes() == pr.manifest_bytes(clean_dir)
    assert not [p for p in pr.out.rglob("*") if p.name.startswith(TMP_PREFIX)], "temporaries left after a completed build"
    # and nothing is left to do
    again = cli_subprocess(pr, "--check")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, (out, err)
