"""Thumbnails: fitted, never enlarged, palette PNG close to a truecolour reference."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PIL import Image

from pipeline.encode.settings import EncodeSettings
from pipeline.encode.thumbs import fit_size, write_thumbnail, write_thumbnails

from .conftest import composite, psnr, render

S = EncodeSettings()


def _reference(frame: np.ndarray, size) -> np.ndarray:
    im = Image.fromarray(frame, "RGBA" if frame.shape[2] == 4 else "RGB")
    return np.asarray(im.resize(size, Image.Resampling.LANCZOS).convert("RGBA"))


@pytest.mark.parametrize("src,box,want", [
    ((600, 800), (256, 256), (192, 256)),
    ((800, 200), (256, 256), (256, 64)),
    ((32, 24), (256, 256), (32, 24)),          # never enlarged
    ((300, 300), (128, 64), (64, 64)),
    ((1000, 3), (100, 100), (100, 1)),         # never zero
])
def test_fit_size(src, box, want):
    assert fit_size(src, box) == want


def test_opaque_thumbnail(tmp_path):
    frame = render(1, 300, 400)[0]
    dest = tmp_path / "t.png.tmp"
    write_thumbnail(frame, dest, S)
    with Image.open(dest) as im:
        assert im.format == "PNG" and im.mode == "P" and im.size == (192, 256)
        assert "transparency" not in im.info
        got = np.asarray(im.convert("RGBA"))
    ref = _reference(frame, (192, 256))
    assert psnr(got[..., :3], ref[..., :3]) > 35
    assert np.abs(got.astype(int) - ref.astype(int)).mean() < 2


def test_small_frame_is_not_enlarged(tmp_path):
    frame = render(1, 40, 30)[0]
    write_thumbnail(frame, tmp_path / "t.png", S)
    with Image.open(tmp_path / "t.png") as im:
        assert im.size == (40, 30)
        assert psnr(np.asarray(im.convert("RGB")), frame) > 35


def test_transparent_thumbnail_keeps_alpha(tmp_path):
    frame = render(1, 300, 400, transparent=True)[0]
    write_thumbnail(frame, tmp_path / "t.png", S)
    with Image.open(tmp_path / "t.png") as im:
        assert im.mode == "P" and "transparency" in im.info and im.size == (192, 256)
        got = np.asarray(im.convert("RGBA"))
    ref = _reference(frame, (192, 256))
    assert np.abs(got[..., 3].astype(int) - ref[..., 3].astype(int)).mean() < 2
    assert (got[..., 3][ref[..., 3] == 0] == 0).mean() > 0.99
    assert psnr(composite(got), composite(ref)) > 35


def test_opaque_rgba_frame_has_no_alpha(tmp_path):
    frame = render(1, 60, 40)[0]
    rgba = np.dstack([frame, np.full(frame.shape[:2], 255, np.uint8)])
    write_thumbnail(rgba, tmp_path / "t.png", S)
    with Image.open(tmp_path / "t.png") as im:
        assert "transparency" not in im.info and im.mode == "P"


def test_unreachable_quality_falls_back_to_truecolour(tmp_path):
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    s = dataclasses.replace(S, thumb_quality=100, thumb_min_quality=99)
    write_thumbnail(noise, tmp_path / "t.png", s)
    with Image.open(tmp_path / "t.png") as im:
        assert im.mode == "RGB"
        assert np.array_equal(np.asarray(im), noise)


def test_deterministic_and_parallel_helper(tmp_path):
    frames = render(4, 120, 160)
    for k, f in enumerate(frames):
        write_thumbnail(f, tmp_path / f"a{k}.png", S)
    write_thumbnails(frames, [tmp_path / f"b{k}.png" for k in range(4)], S, jobs=2)
    for k in range(4):
        assert (tmp_path / f"a{k}.png").read_bytes() == (tmp_path / f"b{k}.png").read_bytes()
