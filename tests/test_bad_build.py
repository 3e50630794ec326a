"""The build facing a hostile environment: unwritable output, a full disk, inputs changing under it, Ctrl-C.
Each gives a clear message, the right exit code, no traceback, no partial file; a rerun finishes the job."""

from __future__ import annotations

import errno
import signal
import time

from pipeline.content.atomic import TMP_PREFIX
from pipeline.cli import cli

from .build.conftest import build, cli_subprocess, make_project  # noqa: F401  (fixtures come from tests/build)


def _no_temporaries(root) -> bool:
    return not [p for p in root.rglob("*") if p.name.startswith(TMP_PREFIX)]


def test_output_path_is_a_file(tmp_path, monkeypatch, runner):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    (tmp_path / "dist").write_text("not a folder")
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code in (1, 2) and "Traceback" not in r.output
    assert "dist" in r.output
    assert (tmp_path / "dist").read_text() == "not a folder"  # nothing lost


def test_output_folder_not_writable(tmp_path, monkeypatch, runner):
    monkeypatch.chdir(tmp_path)
    make_project(tmp_path)
    import pipeline.content.atomic as atomic

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "Permission denied" in r.output
    assert not [p for p in (tmp_path / "dist").rglob("*.gif")]


def test_disk_full_fails_that_sequence_only_and_leaves_no_partial_file(tmp_path, monkeypatch, runner):
    monkeypatch.chdir(tmp_path)
    pr = make_project(tmp_path)
    import pipeline.encode.gif as gif

    real = gif.encode_gif

    def full_disk(frames, dest, settings):
        real(frames, dest, settings)
        if "Arm-Anterior" in dest.name:
            with open(dest, "r+b") as f:  # half written when the disk filled up
                f.truncate(dest.stat().st_size // 2)
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gif, "encode_gif", full_disk)
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "No space left on device" in r.output
    assert not (pr.out / "muscles/gif/Arm-Anterior.gif").exists()  # no partial file under the real name
    assert (pr.out / "muscles/gif/Leg-Lateral.gif").exists()  # the other sequence was built
    assert _no_temporaries(pr.out)
    monkeypatch.setattr(gif, "encode_gif", real)
    r = runner.invoke(cli, ["build", "--jobs", "1"])  # space again: the next build finishes the job
    assert r.exit_code == 0, r.output
    assert (pr.out / "muscles/gif/Arm-Anterior.gif").exists()


def test_input_changing_during_the_build_is_not_recorded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pr = make_project(tmp_path)
    import pipeline.encode.frames as frames_mod

    real = frames_mod.load_frames
    changed = []

    def rerender_while_reading(paths, settings):
        out = real(paths, settings)
        if not changed and any("Leg-Lateral" in str(p) for p in paths):
            time.sleep(0.01)
            pr.rerender("Leg-Lateral", seed=99)  # re-rendered mid-build
            changed.append(True)
        return out

    monkeypatch.setattr(frames_mod, "load_frames", rerender_while_reading)
    build(pr)
    monkeypatch.setattr(frames_mod, "load_frames", real)
    again = build(pr)
    assert changed and any("Leg-Lateral" in p for p in again.built), "outputs made from a changing input must be rebuilt next time"
    assert not any("Arm-Anterior" in p for p in again.built)


def test_sigint_stops_cleanly_and_rerun_completes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pr = make_project(tmp_path, encode="")
    # enough work that the build cannot end between its first output and the signal (four sequences could)
    for stem in ("Hip-Posterior", "Thigh-Anterior", "Foot-Dorsal", "Back-Deep", "Hip-Lateral", "Thigh-Medial",
                 "Foot-Plantar", "Back-Superficial"):
        pr.add(stem, frames=8)
    proc = cli_subprocess(pr, "--jobs", "2")
    first = proc.stdout.readline()  # one output written: the build is under way
    assert first.startswith("built"), first
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, out, err)
    assert "interrupted" in err and "Traceback" not in err, err
    proc = cli_subprocess(pr, "--jobs", "2")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _no_temporaries(pr.out)
    proc = cli_subprocess(pr, "--check")
    proc.communicate(timeout=120)
    assert proc.returncode == 0
