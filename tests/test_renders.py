"""Tests for the deterministic synthetic render generator (tests.support.renders)."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.support import renders
from tests.support.renders import render_frame, render_sequence, seed_for, write_sequence

REPO = Path(__file__).resolve().parents[1]
SMALL = (120, 160)  # (width, height): fast, same scene as 600x800


def _arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img)


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kinds.append(data[pos + 4:pos + 8])
        pos += 12 + length
    return kinds


# --- determinism -----------------------------------------------------------

def test_render_frame_is_deterministic():
    a = render_frame(3, 16, SMALL, seed=7)
    b = render_frame(3, 16, SMALL, seed=7)
    assert a.tobytes() == b.tobytes()


def test_transparent_frame_is_deterministic():
    a = render_frame(5, 16, SMALL, seed=7, transparent=True)
    b = render_frame(5, 16, SMALL, seed=7, transparent=True)
    assert a.tobytes() == b.tobytes()


def test_sequence_matches_single_frames():
    seq = list(render_sequence(4, SMALL, seed=11))
    for k, img in enumerate(seq, 1):
        assert img.tobytes() == render_frame(k, 4, SMALL, seed=11).tobytes()


def test_write_sequence_bytes_identical_across_runs(tmp_path):
    a = write_sequence(tmp_path / "a", "Leg-Lateral", 3, SMALL, seed=5)
    b = write_sequence(tmp_path / "b", "Leg-Lateral", 3, SMALL, seed=5)
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes()


def test_cli_in_another_process_gives_identical_bytes(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "12345"  # the output must not depend on str hashing
    out = tmp_path / "cli"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.renders", "--out", str(out), "--name", "Leg-Lateral",
         "--frames", "3", "--size", "120x160"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    here = write_sequence(tmp_path / "here", "Leg-Lateral", 3, SMALL, seed=seed_for("Leg-Lateral"))
    for p in here:
        assert (out / p.name).read_bytes() == p.read_bytes()


# --- shape of the output ---------------------------------------------------

def test_sequence_count_size_and_mode():
    seq = list(render_sequence(5, (90, 120), seed=1))
    assert len(seq) == 5
    for img in seq:
        assert img.size == (90, 120)
        assert img.mode == "RGB"
    seq = list(render_sequence(2, (90, 120), seed=1, transparent=True))
    assert [img.mode for img in seq] == ["RGBA", "RGBA"]


def test_default_size_is_600x800():
    img = render_frame(1, 16)
    assert img.size == (600, 800) and img.mode == "RGB"


def test_opaque_background_is_white_and_object_is_sizeable():
    a = _arr(render_frame(1, 16, (300, 400), seed=seed_for("Leg-Lateral")))
    for corner in (a[0, 0], a[0, -1], a[-1, 0], a[-1, -1]):
        assert tuple(corner) == (255, 255, 255)
    covered = (a.min(axis=2) < 250).mean()
    assert 0.1 < covered < 0.7


def test_frames_look_like_renders_not_flat_fills():
    a = _arr(render_frame(2, 16, (300, 400), seed=3))
    colours = np.unique(a.reshape(-1, 3), axis=0)
    assert len(colours) > 2000  # smooth shading -> many colours
    # smooth: neighbouring object pixels mostly differ by little
    obj = a.min(axis=2) < 250
    d = np.abs(np.diff(a.astype(int), axis=1)).max(axis=2)
    inner = obj[:, 1:] & obj[:, :-1]
    assert np.median(d[inner]) <= 4


def test_transparent_background_and_soft_edges():
    a = _arr(render_frame(1, 16, SMALL, seed=2, transparent=True))
    alpha = a[..., 3]
    for corner in (alpha[0, 0], alpha[0, -1], alpha[-1, 0], alpha[-1, -1]):
        assert corner == 0
    assert (alpha == 0).mean() > 0.3
    assert (alpha == 255).any()
    partial = (alpha > 0) & (alpha < 255)
    assert partial.sum() > 50  # anti-aliased silhouette


def test_transparent_matches_opaque_where_solid():
    opaque = _arr(render_frame(4, 16, SMALL, seed=9))
    rgba = _arr(render_frame(4, 16, SMALL, seed=9, transparent=True))
    solid = rgba[..., 3] == 255
    empty = rgba[..., 3] == 0
    assert np.abs(rgba[solid][:, :3].astype(int) - opaque[solid].astype(int)).max() <= 1
    assert (opaque[empty] == 255).all()


# --- variation ---------------------------------------------------------------

def test_different_seeds_give_different_images():
    a = render_frame(1, 16, SMALL, seed=1)
    b = render_frame(1, 16, SMALL, seed=2)
    assert a.tobytes() != b.tobytes()


def test_orientations_differ():
    a = render_frame(1, 16, SMALL, seed=4)
    b = render_frame(2, 16, SMALL, seed=4)
    assert a.tobytes() != b.tobytes()


def test_orientation_angle_depends_only_on_fraction_of_turn():
    # orientation k of N is the angle 2*pi*(k-1)/N
    assert render_frame(1, 8, SMALL, seed=4).tobytes() == render_frame(1, 16, SMALL, seed=4).tobytes()
    assert render_frame(3, 8, SMALL, seed=4).tobytes() == render_frame(5, 16, SMALL, seed=4).tobytes()


def test_bellies_override_changes_scene():
    a = render_frame(1, 16, SMALL, seed=4, bellies=1)
    b = render_frame(1, 16, SMALL, seed=4, bellies=2)
    assert a.tobytes() != b.tobytes()
    with pytest.raises(ValueError):
        render_frame(1, 16, SMALL, seed=4, bellies=9)


def test_bad_arguments():
    with pytest.raises(ValueError):
        render_frame(0, 16, SMALL)
    with pytest.raises(ValueError):
        render_frame(17, 16, SMALL)
    with pytest.raises(ValueError):
        render_sequence(0, SMALL)
    with pytest.raises(ValueError):
        render_frame(1, 16, (0, 10))


# --- files -------------------------------------------------------------------

def test_write_sequence_names_files_1_to_n(tmp_path):
    paths = write_sequence(tmp_path / "png", "Leg-Lateral", 4, SMALL, seed=3)
    assert [p.name for p in paths] == [f"Leg-Lateral-{k}.png" for k in range(1, 5)]
    assert sorted(os.listdir(tmp_path / "png")) == sorted(p.name for p in paths)  # no temp files left
    for k, p in enumerate(paths, 1):
        with Image.open(p) as img:
            assert img.size == SMALL and img.mode == "RGB"
            assert img.tobytes() == render_frame(k, 4, SMALL, seed=3).tobytes()


def test_png_has_no_metadata_chunks(tmp_path):
    (p,) = write_sequence(tmp_path, "X", 1, SMALL, seed=3, transparent=True)
    kinds = _png_chunks(p.read_bytes())
    assert set(kinds) == {b"IHDR", b"IDAT", b"IEND"}


def test_write_sequence_leaves_unchanged_files_alone(tmp_path):
    (p,) = write_sequence(tmp_path, "X", 1, SMALL, seed=3)
    os.utime(p, (1_000_000, 1_000_000))
    write_sequence(tmp_path, "X", 1, SMALL, seed=3)
    assert p.stat().st_mtime == 1_000_000
    write_sequence(tmp_path, "X", 1, SMALL, seed=4)
    assert p.stat().st_mtime != 1_000_000


def test_write_sequence_rejects_path_like_stems(tmp_path):
    with pytest.raises(ValueError):
        write_sequence(tmp_path, "../evil", 1, SMALL)


# --- seeds and command line --------------------------------------------------

def test_seed_for_is_stable_and_name_dependent():
    assert seed_for("Leg-Lateral") == seed_for("Leg-Lateral")
    assert seed_for("Leg-Lateral") == 2385924248  # SHA-256 based: fixed across processes and versions
    assert seed_for("Leg-Lateral") != seed_for("Leg-MedialGastrocnemius")
    assert 0 <= seed_for("") < 2**32


def test_main_writes_sequence(tmp_path, capsys):
    rc = renders.main(["--out", str(tmp_path), "--name", "Demo", "--frames", "3", "--size", "60x80",
                       "--bellies", "2"])
    assert rc == 0
    assert "wrote 3 frames" in capsys.readouterr().out
    for k in range(1, 4):
        with Image.open(tmp_path / f"Demo-{k}.png") as img:
            assert img.size == (60, 80)
            expected = render_frame(k, 3, (60, 80), seed=seed_for("Demo"), bellies=2)
            assert img.tobytes() == expected.tobytes()


def test_main_transparent_and_explicit_seed(tmp_path):
    assert renders.main(["--out", str(tmp_path), "--name", "T", "--frames", "2", "--size", "60x80",
                         "--seed", "42", "--transparent"]) == 0
    with Image.open(tmp_path / "T-2.png") as img:
        assert img.mode == "RGBA"
        assert img.tobytes() == render_frame(2, 2, (60, 80), seed=42, transparent=True).tobytes()


def test_main_rejects_bad_size(tmp_path):
    with pytest.raises(SystemExit):
        renders.main(["--out", str(tmp_path), "--name", "T", "--size", "600by800"])
