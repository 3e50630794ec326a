"""MP4 (H.264) and WebM (AV1 by default, or VP9) versions of a sequence, through the bundled ffmpeg.

Frames go to ffmpeg as raw RGB on stdin, one after the other in the given order (never a
``%d`` file pattern, which stops at the first gap), each written as soon as it is converted,
so no more than one converted frame is held at a time.  Transparent pixels are composited onto
``settings.matte`` (white by default).  4:2:0 chroma needs even dimensions, so a frame with
an odd width or height is padded by one pixel of the matte colour on the right or bottom
(padding, not cropping: no rendered pixel is lost, and the pad is the page colour).

The streams are tagged BT.709 primaries, transfer and matrix, limited ("tv") range, in the
bitstream and in the container, so browsers convert them back to the source's sRGB colours.

Output bytes are deterministic: a fixed encoder thread count (one thread: the build runs
encoders side by side instead), bit-exact flags and conversion, no metadata.  They do not
depend on the SIMD level for SVT-AV1 and VP9 (identical with every SIMD path off); x264's do:
identical from SSSE3 to AVX2, different with plain SSE2 or C (bench/video_frontier.py).
"""

from __future__ import annotations

import functools
import subprocess
import threading
from fractions import Fraction
from pathlib import Path
from typing import IO, Iterable

import numpy as np
from PIL import Image

from pipeline.encode.frames import Frames
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError, parse_hex_colour, require, tail

CODECS = ("mp4", "webm")
WEBM_CODECS = {"av1": "libsvtav1", "vp9": "libvpx-vp9"}   # settings.webm_codec -> ffmpeg encoder
# Threads per encoder, fixed so the bytes do not depend on the machine: x264's bitstream changes
# with its thread count, and one thread costs the least CPU per output (bench/video_frontier.py).
THREADS = 1
_STDERR_KEEP = 64 * 1024   # bytes of ffmpeg's stderr kept for an error message


def padded_size(size: tuple[int, int]) -> tuple[int, int]:
    """Video dimensions for a (width, height) frame: rounded up to even numbers."""
    w, h = size
    return w + (w & 1), h + (h & 1)


def to_video_rgb(img: np.ndarray, matte: tuple[int, int, int], size: tuple[int, int]) -> np.ndarray:
    """One frame as contiguous HxWx3 RGB: alpha composited on ``matte``, padded to ``size``.

    Pillow's ``alpha_composite`` onto an opaque canvas gives exactly round((c*a + m*(255-a)) / 255) for
    every colour and alpha (checked for all pairs), several times faster than the same sum in numpy."""
    h, w = img.shape[:2]
    if img.shape[2] == 3 and (w, h) == tuple(size):
        return np.ascontiguousarray(img)
    if img.shape[2] == 4:
        canvas = Image.new("RGBA", tuple(size), (*matte, 255))
        canvas.alpha_composite(Image.fromarray(np.ascontiguousarray(img), "RGBA"))
        canvas = canvas.convert("RGB")
    else:
        canvas = Image.new("RGB", tuple(size), tuple(matte))
        canvas.paste(Image.fromarray(np.ascontiguousarray(img), "RGB"), (0, 0))
    return np.asarray(canvas)


def frame_rate(settings: EncodeSettings) -> Fraction:
    return Fraction(1000, max(1, int(settings.duration_ms)))


# RGB -> Y'CbCr 4:2:0 with the BT.709 matrix, accurate rounding, full-resolution chroma before
# subsampling and swscale's bit-exact (SIMD-independent) paths; then the frames are tagged, which
# is what the encoders and muxers read (this ffmpeg ignores -color_primaries/-color_trc options).
_TO_YUV = ("scale=flags=bicubic+accurate_rnd+full_chroma_int+bitexact:out_color_matrix=bt709:out_range=tv,"
           "format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv")


def input_args(size: tuple[int, int], settings: EncodeSettings) -> list[str]:
    """The ffmpeg options (after the executable) reading raw RGB frames of ``size`` from stdin."""
    W, H = size
    rate = frame_rate(settings)
    return ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}",
            "-framerate", f"{rate.numerator}/{rate.denominator}", "-i", "pipe:0",
            "-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-fps_mode", "passthrough",
            "-vf", _TO_YUV]


def codec_args(codec: str, settings: EncodeSettings, threads: int = THREADS) -> list[str]:
    """The encoder and muxer options for ``codec``, ending with the output format."""
    if codec == "mp4":
        # tune=ssim (no psychovisual tricks) and more bits for chroma: the renders are red
        # on white, and 4:2:0 chroma is where their detail suffers first
        return ["-threads", str(threads), "-c:v", "libx264", "-preset", settings.mp4_preset,
                "-tune", "ssim", "-crf", str(settings.mp4_crf), "-profile:v", "high",
                "-x264-params", f"threads={threads}:lookahead-threads=1:chroma-qp-offset=-4",
                "-movflags", "+faststart", "-f", "mp4"]
    if codec == "webm" and settings.webm_codec == "av1":
        # SVT-AV1 in speed-preset mode: its bitstream does not depend on its thread count (lp) nor
        # on the SIMD level; tune=2 optimises for SSIM, as tune=ssim does for the other two
        return ["-threads", str(threads), "-c:v", "libsvtav1", "-preset", str(settings.webm_cpu_used),
                "-crf", str(settings.webm_crf), "-svtav1-params", f"lp={threads}:tune=2", "-f", "webm"]
    if codec == "webm" and settings.webm_codec == "vp9":
        # one tile column and no row threading: the bitstream does not depend on threads
        return ["-threads", str(threads), "-c:v", "libvpx-vp9", "-crf", str(settings.webm_crf),
                "-b:v", "0", "-deadline", "good", "-cpu-used", str(settings.webm_cpu_used),
                "-tune", "ssim", "-row-mt", "0", "-tile-columns", "0", "-auto-alt-ref", "1",
                "-lag-in-frames", "25", "-f", "webm"]
    if codec == "webm":
        raise EncodeError(f"unknown webm_codec {settings.webm_codec!r} (expected one of {', '.join(WEBM_CODECS)})")
    raise EncodeError(f"unknown video codec {codec!r} (expected one of {', '.join(CODECS)})")


def ffmpeg_args(codec: str, size: tuple[int, int], settings: EncodeSettings) -> list[str]:
    """The whole ffmpeg command line after the executable, except the output path."""
    return [*input_args(size, settings), *codec_args(codec, settings)]


def encode_video(frames: Frames, dest: Path, settings: EncodeSettings, codec: str) -> None:
    """Write ``frames`` as an MP4 (H.264) or WebM (``settings.webm_codec``) at ``dest`` (exactly that path)."""
    if codec not in CODECS:
        raise EncodeError(f"unknown video codec {codec!r} (expected one of {', '.join(CODECS)})")
    if not frames.images:
        raise EncodeError("no frames to encode")
    matte = parse_hex_colour(settings.matte)
    size = padded_size(frames.size)
    args = ffmpeg_args(codec, size, settings)
    exe = require("ffmpeg")
    encoder = args[args.index("-c:v") + 1]
    if encoder not in encoders(exe):
        raise EncodeError(f"{codec.upper()} encoding: this ffmpeg ({exe}) has no {encoder} encoder"
                          + (" (set webm_codec = \"vp9\" in [tool.pipeline.encode])" if codec == "webm" else ""))
    if encoder == "libsvtav1" and size[0] <= AV1_TINY and size[1] <= AV1_TINY:
        raise EncodeError(f"WEBM encoding: SVT-AV1 aborts on frames of {AV1_TINY}x{AV1_TINY} pixels or fewer "
                          f"(these are {size[0]}x{size[1]}); set webm_codec = \"vp9\" in [tool.pipeline.encode]")
    cmd = [exe, *args, str(dest)]
    stream_to(cmd, (to_video_rgb(img, matte, size) for img in frames.images),
              what=f"{codec.upper()} encoding")
    if not Path(dest).is_file() or Path(dest).stat().st_size == 0:
        raise EncodeError(f"{codec.upper()} encoding: ffmpeg wrote no output")


# The bundled SVT-AV1 corrupts its heap and aborts when both sides are this small or smaller (measured over every
# size from 2x2 to 16x16: only those fail); refused with a message instead of a crash.
AV1_TINY = 8


@functools.lru_cache(maxsize=None)
def encoders(exe: str) -> frozenset[str]:
    """The video encoders an ffmpeg executable has."""
    try:
        out = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return frozenset()
    return frozenset(ln.split()[1] for ln in out.splitlines() if ln.startswith(" V") and len(ln.split()) > 1)


def _drain(pipe: IO[bytes], kept: bytearray) -> None:
    """Read ``pipe`` to its end, keeping its last bytes (so the tool never blocks on a full pipe)."""
    while block := pipe.read1(65536):
        kept += block
        if len(kept) > 2 * _STDERR_KEEP:
            del kept[:-_STDERR_KEEP]
    pipe.close()


def stream_to(cmd: list[str], chunks: Iterable[np.ndarray], *, what: str) -> None:
    """Run ``cmd``, writing each array of ``chunks`` to its stdin as it is produced; raise
    EncodeError with the tool's last stderr lines if it fails or stops reading."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    except OSError as e:
        raise EncodeError(f"{what}: cannot run {cmd[0]}: {e.strerror or e}") from None
    err = bytearray()
    drain = threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True)
    drain.start()
    stopped = False
    try:
        try:
            for chunk in chunks:
                proc.stdin.write(memoryview(np.ascontiguousarray(chunk)).cast("B"))
            proc.stdin.close()
        except BrokenPipeError:   # the tool exited early; its status and stderr say why
            stopped = True
        status = proc.wait()
    except BaseException:   # an interrupt, or a frame that cannot be converted: leave no tool behind
        proc.kill()
        proc.wait()
        raise
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        drain.join()
    name = Path(cmd[0]).name
    if status != 0:
        raise EncodeError(f"{what}: {name} failed (exit status {status})", tool_output=tail(bytes(err)))
    if stopped:
        raise EncodeError(f"{what}: {name} stopped reading its input", tool_output=tail(bytes(err)))
