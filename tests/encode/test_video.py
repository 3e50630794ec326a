"""MP4/WebM: decode the output again and compare with the sources."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError
from pipeline.encode.video import encode_video, padded_size

from .conftest import as_frames, composite, psnr, render, ssim

S = EncodeSettings()
ROOT = Path(__file__).resolve().parents[2]


def _decode(path: Path) -> tuple[list[np.ndarray], dict]:
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    frames = [np.frombuffer(buf, np.uint8).reshape(h, w, 3) for buf in reader]
    return frames, meta


def _pad(img: np.ndarray, size) -> np.ndarray:
    w, h = size
    out = np.full((h, w, 3), 255, np.uint8)
    out[: img.shape[0], : img.shape[1]] = composite(img)
    return out


@pytest.fixture(scope="module")
def seq() -> list[np.ndarray]:
    return render(8, 65, 49)      # odd on purpose


@pytest.mark.parametrize("codec", ["mp4", "webm"])
def test_video_frames_size_and_quality(tmp_path, seq, codec):
    dest = tmp_path / f"out.{codec}.tmp"       # the caller's temporary name: no usable extension
    encode_video(as_frames(seq), dest, S, codec)
    frames, meta = _decode(dest)
    assert meta["size"] == (66, 50) == padded_size((65, 49))
    assert len(frames) == 8
    assert abs(meta["fps"] - 1000 / S.duration_ms) < 0.01
    for k, (got, src) in enumerate(zip(frames, seq)):
        ref = _pad(src, meta["size"])
        assert psnr(got, ref) > 30, f"frame {k}"
        assert ssim(got, ref) > 0.93, f"frame {k}"
        # the padding is the matte colour
        assert got[:, -1].astype(int).mean() > 235 and got[-1].astype(int).mean() > 235
    head = dest.read_bytes()[:64]
    assert (b"ftyp" in head) if codec == "mp4" else head.startswith(b"\x1a\x45\xdf\xa3")


@pytest.mark.parametrize("codec", ["mp4", "webm"])
def test_video_bytes_are_deterministic_across_processes(tmp_path, seq, codec):
    a, b = tmp_path / f"a.{codec}", tmp_path / f"b.{codec}"
    encode_video(as_frames(seq), a, S, codec)
    encode_video(as_frames(seq), b, S, codec)
    assert a.read_bytes() == b.read_bytes()
    np.save(tmp_path / "seq.npy", np.stack(seq))
    c = tmp_path / f"c.{codec}"
    code = (
        "import sys, numpy as np; from pathlib import Path\n"
        "from pipeline.encode.frames import Frames\n"
        "from pipeline.encode.settings import EncodeSettings\n"
        "from pipeline.encode.video import encode_video\n"
        "a = np.load(sys.argv[1]); imgs = [np.ascontiguousarray(x) for x in a]\n"
        "encode_video(Frames(imgs, False, (a.shape[2], a.shape[1])), Path(sys.argv[2]), EncodeSettings(), sys.argv[3])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "seq.npy"), str(c), codec],
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert c.read_bytes() == a.read_bytes()


def test_transparent_frames_are_composited_on_white(tmp_path):
    seq = render(4, 48, 32, transparent=True)
    dest = tmp_path / "t.mp4"
    encode_video(as_frames(seq), dest, S, "mp4")
    frames, meta = _decode(dest)
    assert len(frames) == 4 and meta["size"] == (48, 32)
    for got, src in zip(frames, seq):
        ref = composite(src)
        assert psnr(got, ref) > 30
        clear = src[..., 3] == 0
        assert got[clear].astype(int).mean() > 245


def test_unknown_codec_and_ffmpeg_failure_are_clear_errors(tmp_path, seq):
    with pytest.raises(EncodeError, match="unknown video codec"):
        encode_video(as_frames(seq), tmp_path / "x.avi", S, "avi")
    bad = dataclasses.replace(S, mp4_preset="no-such-preset")
    with pytest.raises(EncodeError) as e:
        encode_video(as_frames(seq), tmp_path / "x.mp4", bad, "mp4")
    msg = str(e.value)
    assert msg.startswith("MP4 encoding: ffmpeg") and "failed" in msg
    assert "preset" in e.value.tool_output.lower() or "error" in e.value.tool_output.lower()
