"""Encoder settings: one frozen value shared by the GIF, video and thumbnail encoders.

Every field shapes output bytes, so `fingerprint_dict()` feeds the build manifest.
Values come from ``[tool.pipeline.encode]`` in pyproject.toml (see ``pipeline.config``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class EncodeSettings:
    # Animation timing
    duration_ms: int = 120          # per frame; GIF stores centiseconds, so a multiple of 10
    loop: int = 0                   # 0 = forever (GIF NETSCAPE loop count; video players loop via HTML)
    # GIF
    quality: int = 90               # 1-100; palette quality target (libimagequant scale)
    lossy: int = 0                  # lossy LZW strength, 0 = lossless LZW
    dither: float = 1.0             # 0..1 dithering strength
    max_colors: int = 256
    # Video (MP4 H.264 + WebM VP9 beside each GIF)
    video: bool = True
    mp4_crf: int = 23
    webm_crf: int = 34
    # Thumbnails
    thumb_width: int = 256
    thumb_height: int = 256
    # Input limits
    max_pixels: int = 40_000_000    # refuse frames larger than this before decoding (decompression bombs)
    max_frames: int = 400

    def fingerprint_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}
