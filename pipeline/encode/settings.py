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
    loop: int = 0                   # GIF NETSCAPE loop count: 0 = forever, -1 = no loop block (play once); video loops via HTML
    # GIF
    quality: int = 100              # 1-100; palette quality target (libimagequant scale)
    lossy: int = 3                  # lossy LZW strength for opaque sequences (gifsicle --lossy=N); 0 = lossless
    lossy_transparent: int = 3      # the same for sequences with transparency
    lossy_gamma: float = 1.0        # gifsicle --gamma: the space lossy LZW measures colour error in (1 = sRGB values)
    dither: float = 0.0             # 0..1 error-diffusion strength when remapping to the palette
    max_colors: int = 256
    speed: int = 1                  # libimagequant speed 1 (slowest, best palette) .. 10
    optimize: int = 1               # opaque GIF frames store only the rectangle that changed (0 = whole frames)
    alpha_threshold: int = 128      # alpha >= this is opaque in the GIF, below is transparent
    matte: str = "ffffff"           # page colour: GIF edge pixels and video backgrounds are flattened onto it
    # Video (MP4 and WebM beside each GIF). The defaults are the knees of the size/CPU frontiers at SSIM >= 0.99
    # on every set of bench/video_frontier.py; against x264 veryslow/22 and VP9 cpu-used 1/24 before, the MP4
    # costs 0.22x the CPU for 1.14x the bytes, the AV1 WebM 0.36x the CPU for 0.94x the bytes (both: 0.31x, 1.04x).
    video: bool = True
    mp4_crf: int = 24               # libx264 constant quality (lower = better, bigger)
    mp4_preset: str = "veryfast"    # libx264 preset: speed against size at the same quality
    webm_codec: str = "av1"         # "av1" (SVT-AV1) or "vp9" (libvpx; its knee is webm_crf 26, webm_cpu_used 3)
    webm_crf: int = 22              # constant quality, 0-63 for both codecs (lower = better, bigger)
    webm_cpu_used: int = 8          # speed: SVT-AV1 -preset 0-13, VP9 -cpu-used 0-5 (higher = faster, bigger)
    # Gallery renders, published beside their thumbnails (losslessly optimised: pixels identical to the source)
    renders: bool = True
    render_level: int = 1           # oxipng preset 0-6: 1 saves 17 % of a 600x800 render in 0.18 s, 2 saves 18 % in 0.44 s
    # Thumbnails
    thumb_width: int = 256
    thumb_height: int = 256
    thumb_quality: int = 90         # libimagequant quality target for the palette PNG (1-100)
    thumb_min_quality: int = 70     # below this with 256 colours, the thumbnail stays truecolour
    # Input limits
    max_pixels: int = 40_000_000    # refuse frames larger than this before decoding (decompression bombs)
    max_frames: int = 400

    def fingerprint_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}
