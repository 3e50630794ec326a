"""MP4 (H.264) and WebM (VP9) versions of a sequence, through the bundled ffmpeg.

Frames go to ffmpeg as raw RGB on stdin, one after the other in the given order (never a
``%d`` file pattern, which stops at the first gap).  Transparent pixels are composited onto
``settings.matte`` (white by default).  4:2:0 chroma needs even dimensions, so a frame with
an odd width or height is padded by one pixel of the matte colour on the right or bottom
(padding, not cropping: no rendered pixel is lost, and the pad is the page colour).

Output bytes are deterministic: fixed encoder thread counts, bit-exact flags, no metadata.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from pipeline.encode.frames import Frames
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError, parse_hex_colour, require, run

CODECS = ("mp4", "webm")
_THREADS = "2"   # fixed, so the bytes do not depend on the machine's core count


def padded_size(size: tuple[int, int]) -> tuple[int, int]:
    """Video dimensions for a (width, height) frame: rounded up to even numbers."""
    w, h = size
    return w + (w & 1), h + (h & 1)


def to_video_rgb(img: np.ndarray, matte: tuple[int, int, int], size: tuple[int, int]) -> np.ndarray:
    """One frame as contiguous HxWx3 RGB: alpha composited on ``matte``, padded to ``size``."""
    h, w = img.shape[:2]
    W, H = size
    out = np.empty((H, W, 3), np.uint8)
    out[...] = np.asarray(matte, np.uint8)
    if img.shape[2] == 4:
        a = img[..., 3:4].astype(np.uint16)
        rgb = (img[..., :3].astype(np.uint16) * a
               + np.asarray(matte, np.uint16) * (255 - a) + 127) // 255
        out[:h, :w] = rgb.astype(np.uint8)
    else:
        out[:h, :w] = img
    return out


def frame_rate(settings: EncodeSettings) -> Fraction:
    return Fraction(1000, max(1, int(settings.duration_ms)))


# RGB -> Y'CbCr 4:2:0 with the BT.709 matrix, accurate rounding and full-resolution chroma
# before subsampling; the stream is tagged to match so players convert back the same way.
_TO_YUV = ("scale=flags=bicubic+accurate_rnd+full_chroma_int:out_color_matrix=bt709:out_range=tv,"
           "format=yuv420p")
_TAGS = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
         "-color_range", "tv"]


def ffmpeg_args(codec: str, size: tuple[int, int], settings: EncodeSettings) -> list[str]:
    """The ffmpeg command line (after the executable) reading raw RGB from stdin."""
    W, H = size
    rate = frame_rate(settings)
    args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{W}x{H}",
            "-framerate", f"{rate.numerator}/{rate.denominator}", "-i", "pipe:0",
            "-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-fps_mode", "passthrough",
            "-vf", _TO_YUV, *_TAGS, "-threads", _THREADS]
    if codec == "mp4":
        # tune=ssim (no psychovisual tricks) and more bits for chroma: the renders are red
        # on white, and 4:2:0 chroma is where their detail suffers first
        args += ["-c:v", "libx264", "-preset", settings.mp4_preset, "-tune", "ssim",
                 "-crf", str(settings.mp4_crf), "-profile:v", "high",
                 "-x264-params", f"threads={_THREADS}:lookahead-threads=1:chroma-qp-offset=-4",
                 "-movflags", "+faststart", "-f", "mp4"]
    elif codec == "webm":
        # one tile column and no row threading: the bitstream does not depend on threads
        args += ["-c:v", "libvpx-vp9", "-crf", str(settings.webm_crf), "-b:v", "0",
                 "-deadline", "good", "-cpu-used", str(settings.webm_cpu_used), "-tune", "ssim",
                 "-row-mt", "0", "-tile-columns", "0", "-auto-alt-ref", "1",
                 "-lag-in-frames", "25", "-f", "webm"]
    else:
        raise EncodeError(f"unknown video codec {codec!r} (expected one of {', '.join(CODECS)})")
    return args


def encode_video(frames: Frames, dest: Path, settings: EncodeSettings, codec: str) -> None:
    """Write ``frames`` as an MP4 (H.264) or WebM (VP9) at ``dest`` (exactly that path)."""
    if codec not in CODECS:
        raise EncodeError(f"unknown video codec {codec!r} (expected one of {', '.join(CODECS)})")
    if not frames.images:
        raise EncodeError("no frames to encode")
    matte = parse_hex_colour(settings.matte)
    size = padded_size(frames.size)
    raw = b"".join(to_video_rgb(img, matte, size).tobytes() for img in frames.images)
    exe = require("ffmpeg")
    run([exe, *ffmpeg_args(codec, size, settings), str(dest)], input=raw,
        what=f"{codec.upper()} encoding")
    if not Path(dest).is_file() or Path(dest).stat().st_size == 0:
        raise EncodeError(f"{codec.upper()} encoding: ffmpeg wrote no output")
