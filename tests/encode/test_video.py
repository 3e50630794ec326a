"""MP4/WebM: decode the output again and compare with the sources; colour tags; streaming to ffmpeg."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from pipeline.encode import video
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError, require
from pipeline.encode.video import encode_video, padded_size, stream_to

from .conftest import as_frames, composite, psnr, render, ssim

S = EncodeSettings()
VP9 = dataclasses.replace(S, webm_codec="vp9", webm_crf=26, webm_cpu_used=3)
ROOT = Path(__file__).resolve().parents[2]
# every output kind: the MP4, and the WebM with each codec it can hold
KINDS = [pytest.param("mp4", S, id="mp4"), pytest.param("webm", dataclasses.replace(S, webm_codec="av1"), id="webm-av1"),
         pytest.param("webm", VP9, id="webm-vp9")]


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


@pytest.mark.parametrize("codec,settings", KINDS)
def test_video_frames_size_and_quality(tmp_path, seq, codec, settings):
    dest = tmp_path / f"out.{codec}.tmp"       # the caller's temporary name: no usable extension
    encode_video(as_frames(seq), dest, settings, codec)
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


_CHILD = (
    "import json, os, sys, numpy as np; from pathlib import Path\n"
    "if hasattr(os, 'sched_setaffinity'):   # this process and its ffmpeg see one core\n"
    "    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    "from pipeline.encode.frames import Frames\n"
    "from pipeline.encode.settings import EncodeSettings\n"
    "from pipeline.encode.video import encode_video\n"
    "a = np.load(sys.argv[1]); imgs = [np.ascontiguousarray(x) for x in a]\n"
    "s = EncodeSettings(**json.loads(sys.argv[4]))\n"
    "encode_video(Frames(imgs, False, (a.shape[2], a.shape[1])), Path(sys.argv[2]), s, sys.argv[3])\n"
)


@pytest.mark.parametrize("codec,settings", KINDS)
def test_video_bytes_are_deterministic_across_runs_processes_and_cores(tmp_path, seq, codec, settings):
    a, b = tmp_path / f"a.{codec}", tmp_path / f"b.{codec}"
    encode_video(as_frames(seq), a, settings, codec)
    encode_video(as_frames(seq), b, settings, codec)
    assert a.read_bytes() == b.read_bytes()
    # another process, pinned to one core: an encoder that sized its threads by the machine would differ
    np.save(tmp_path / "seq.npy", np.stack(seq))
    c = tmp_path / f"c.{codec}"
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "seq.npy"), str(c), codec,
                           json.dumps(dataclasses.asdict(settings))],
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert c.read_bytes() == a.read_bytes()


def test_encoders_run_on_a_fixed_number_of_threads():
    for codec, settings in (("mp4", S), ("webm", VP9), ("webm", dataclasses.replace(S, webm_codec="av1"))):
        args = video.ffmpeg_args(codec, (64, 48), settings)
        assert args[args.index("-threads") + 1] == str(video.THREADS)
    x264 = video.ffmpeg_args("mp4", (64, 48), S)
    assert f"threads={video.THREADS}" in x264[x264.index("-x264-params") + 1].split(":")
    svt = video.ffmpeg_args("webm", (64, 48), dataclasses.replace(S, webm_codec="av1"))
    assert f"lp={video.THREADS}" in svt[svt.index("-svtav1-params") + 1].split(":")


# ---------------------------------------------------------------------------------------------------------------
# colour tags: BT.709 primaries, transfer and matrix, limited range, or browsers shift the colours


def _ffmpeg_report(path: Path) -> str:
    proc = subprocess.run([require("ffmpeg"), "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    return next(ln for ln in proc.stderr.splitlines() if "Video:" in ln)


def _stream_headers(path: Path) -> dict[str, int]:
    """Colour fields of the bitstream's sequence headers (H.264 VUI, AV1 color_config, VP9 frame header)."""
    proc = subprocess.run([require("ffmpeg"), "-hide_banner", "-i", str(path), "-c", "copy", "-bsf:v",
                           "trace_headers", "-f", "null", "-"], capture_output=True, text=True)
    names = ("video_full_range_flag", "colour_primaries", "color_primaries", "transfer_characteristics",
             "matrix_coefficients", "color_range", "color_space")
    found = re.findall(r"\s(" + "|".join(names) + r")\s+[01]+ = (\d+)", proc.stderr)
    return {k: int(v) for k, v in found}


@pytest.mark.parametrize("codec,settings", KINDS)
def test_streams_are_tagged_bt709_limited_range(tmp_path, seq, codec, settings):
    dest = tmp_path / f"tags.{codec}"
    encode_video(as_frames(seq), dest, settings, codec)
    # ffmpeg prints "yuv420p(tv, bt709, ...)" only when matrix, primaries and transfer are all BT.709
    # ("bt709/unknown/unknown" when primaries and transfer are missing)
    assert re.search(r"yuv420p\(tv, bt709[,)]", _ffmpeg_report(dest)), _ffmpeg_report(dest)
    data = dest.read_bytes()
    if codec == "mp4":
        # the container's colr box: nclx, primaries 1, transfer 1, matrix 1, full range flag clear
        assert b"colrnclx\x00\x01\x00\x01\x00\x01\x00" in data
        # and the H.264 sequence header's VUI, which is what decoders read
        assert _stream_headers(dest) == {"video_full_range_flag": 0, "colour_primaries": 1,
                                         "transfer_characteristics": 1, "matrix_coefficients": 1}
    else:
        # Matroska Colour: MatrixCoefficients, Range (1 = broadcast), TransferCharacteristics, Primaries
        for element in (b"\x55\xb1\x81\x01", b"\x55\xb9\x81\x01", b"\x55\xba\x81\x01", b"\x55\xbb\x81\x01"):
            assert element in data, element.hex()
        if settings.webm_codec == "av1":   # the sequence header's color_config
            assert _stream_headers(dest) == {"color_primaries": 1, "transfer_characteristics": 1,
                                             "matrix_coefficients": 1, "color_range": 0}
        else:                              # VP9 frame headers carry the matrix (2 = BT.709) and range only
            assert _stream_headers(dest) == {"color_space": 2, "color_range": 0}


def test_a_flat_colour_comes_back_within_a_few_levels(tmp_path):
    # decoded as a browser does: BT.709 matrix, limited range (the tags say so)
    flat = [np.full((48, 64, 3), (200, 60, 50), np.uint8) for _ in range(3)]
    for k, (codec, settings) in enumerate((("mp4", S), ("webm", VP9), ("webm", dataclasses.replace(S, webm_codec="av1")))):
        dest = tmp_path / f"flat{k}.{codec}"
        encode_video(as_frames(flat), dest, settings, codec)
        frames, _ = _decode(dest)
        got = frames[0][8:40, 8:56].reshape(-1, 3).mean(0)
        assert np.abs(got - (200, 60, 50)).max() <= 3, (codec, got)


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
    with pytest.raises(EncodeError, match="unknown webm_codec 'vp8' \\(expected one of av1, vp9\\)"):
        encode_video(as_frames(seq), tmp_path / "x.webm", dataclasses.replace(S, webm_codec="vp8"), "webm")


@pytest.mark.parametrize("w,h", [(8, 8), (3, 5), (2, 2)])
def test_frames_too_small_for_svt_av1_are_refused_with_the_way_out(tmp_path, w, h):
    tiny = [np.full((h, w, 3), (200, 60, 50), np.uint8) for _ in range(4)]
    dest = tmp_path / "tiny.webm"
    with pytest.raises(EncodeError, match=r"SVT-AV1 aborts on frames of 8x8 pixels or fewer .*webm_codec = \"vp9\""):
        encode_video(as_frames(tiny), dest, dataclasses.replace(S, webm_codec="av1"), "webm")
    assert not dest.exists()
    encode_video(as_frames(tiny), dest, VP9, "webm")  # the way out works
    assert dest.stat().st_size > 0
    big_enough = [np.full((9, 8, 3), (200, 60, 50), np.uint8) for _ in range(4)]
    encode_video(as_frames(big_enough), tmp_path / "ok.webm", dataclasses.replace(S, webm_codec="av1"), "webm")


def test_an_ffmpeg_without_the_encoder_says_so(tmp_path, seq, monkeypatch):
    monkeypatch.setattr(video, "encoders", lambda exe: frozenset({"libx264", "libvpx-vp9"}))
    with pytest.raises(EncodeError, match="has no libsvtav1 encoder .*webm_codec = \"vp9\""):
        encode_video(as_frames(seq), tmp_path / "x.webm", dataclasses.replace(S, webm_codec="av1"), "webm")
    encode_video(as_frames(seq), tmp_path / "x.webm", VP9, "webm")
    assert (tmp_path / "x.webm").stat().st_size > 0


def test_the_bundled_ffmpeg_has_every_encoder_the_settings_name():
    have = video.encoders(require("ffmpeg"))
    assert "libx264" in have and set(video.WEBM_CODECS.values()) <= have


def test_frames_are_composited_and_padded_exactly():
    rng = np.random.default_rng(7)
    matte = (250, 3, 128)
    for shape in ((49, 65, 4), (49, 65, 3), (50, 66, 3), (50, 66, 4)):
        img = rng.integers(0, 256, shape, dtype=np.uint8)
        img[:5, :5, -1] = 0 if shape[2] == 4 else img[:5, :5, -1]
        got = video.to_video_rgb(img, matte, (66, 50))
        want = np.empty((50, 66, 3), np.uint8)
        want[...] = matte
        if shape[2] == 4:
            a = img[..., 3:].astype(np.int64)
            want[:shape[0], :shape[1]] = (img[..., :3] * a + np.asarray(matte) * (255 - a) + 127) // 255
        else:
            want[:shape[0], :shape[1]] = img
        assert got.dtype == np.uint8 and got.flags.c_contiguous
        assert np.array_equal(got, want), shape


# ---------------------------------------------------------------------------------------------------------------
# streaming


def test_frames_are_streamed_not_joined(tmp_path):
    """At most a few converted frames exist at once: the old one-bytes-object way peaked at all of them."""
    frames = render(48, 160, 120)
    joined = sum(padded_size((160, 120))[0] * 120 * 3 for _ in frames)
    src = as_frames(frames)
    tracemalloc.start()
    try:
        encode_video(src, tmp_path / "s.webm", S, "webm")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < joined / 4, (peak, joined)


def _py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _chunks(n: int, size: int = 1 << 20):
    for k in range(n):
        yield np.full(size, k, np.uint8)


def _within(seconds: float, fn):
    """fn() in a thread; its result, or a failure if it is still running after ``seconds`` (a deadlock)."""
    out: dict = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still running after {seconds} s: the pipes deadlocked"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_a_tool_that_writes_much_to_stderr_cannot_block_the_stream(tmp_path):
    # 2 MB of stderr while 16 MB arrive on stdin: without draining stderr both sides block
    sink = tmp_path / "got"
    code = ("import sys\nsys.stderr.write('x' * (2 << 20)); sys.stderr.flush()\n"
            f"open({str(sink)!r}, 'wb').write(sys.stdin.buffer.read())\n")
    _within(60, lambda: stream_to(_py(code), _chunks(16), what="test"))
    data = sink.read_bytes()
    assert len(data) == 16 << 20 and data[(1 << 20) * 5] == 5


def test_a_tool_that_fails_early_gives_its_status_and_last_lines():
    code = "import sys\nsys.stderr.write('reading\\nno such encoder: libfoo\\n'); sys.exit(3)\n"
    with pytest.raises(EncodeError) as e:
        _within(60, lambda: stream_to(_py(code), _chunks(64), what="WEBM encoding"))
    assert str(e.value).startswith("WEBM encoding: ") and "exit status 3" in str(e.value)
    assert e.value.tool_output.splitlines()[-1] == "no such encoder: libfoo"


def test_a_tool_that_stops_reading_is_an_error():
    code = "import sys\nsys.stdin.close(); sys.stderr.write('done early\\n')\n"
    with pytest.raises(EncodeError, match="stopped reading its input") as e:
        _within(60, lambda: stream_to(_py(code), _chunks(64), what="MP4 encoding"))
    assert "done early" in e.value.tool_output


def test_a_frame_that_fails_to_convert_leaves_no_tool_running(monkeypatch):
    started = []
    real = subprocess.Popen

    def spy(*a, **k):
        started.append(real(*a, **k))
        return started[-1]

    monkeypatch.setattr(video.subprocess, "Popen", spy)

    def frames():
        yield np.zeros(1000, np.uint8)
        raise ValueError("bad frame")

    with pytest.raises(ValueError, match="bad frame"):
        stream_to(_py("import sys, time\nsys.stdin.buffer.read(); time.sleep(60)\n"), frames(), what="test")
    assert started and started[0].returncode is not None   # killed and reaped, not left behind


def test_a_missing_tool_is_a_clear_error(tmp_path):
    with pytest.raises(EncodeError, match="cannot run"):
        stream_to([str(tmp_path / "no-such-ffmpeg")], _chunks(1), what="MP4 encoding")

