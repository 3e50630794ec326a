"""Safe loading of an orientation sequence (NAME-1.png ... NAME-N.png) into 8-bit arrays.

Every file is checked from its header before any pixel is decoded (PNG format, pixel count
within ``settings.max_pixels``, a single frame, same size as the first frame), then decoded
once and converted to 8-bit RGB, or RGBA when any frame has transparency.  Problems become a
``FrameError`` that names the file and says what is wrong in one sentence.
"""

from __future__ import annotations

import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image, UnidentifiedImageError

from pipeline.content.png import read_png_info
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import thread_budget

# Pillow's mode for each PNG colour type (greyscale of 1 and 16 bits: see ``_png_header``)
_PNG_MODES = {0: "L", 2: "RGB", 3: "P", 4: "LA", 6: "RGBA"}
# 16-bit single-channel modes Pillow may use for 16-bit greyscale PNG
_SIXTEEN_BIT = {"I;16", "I;16L", "I;16B", "I;16N", "I"}
_ALPHA_MODES = {"RGBA", "LA", "PA", "La", "RGBa"}


class FrameError(Exception):
    """A frame file cannot be used; ``path`` names it and ``reason`` says why."""

    def __init__(self, path: Path | str | None, reason: str) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path is not None else reason)

    def __reduce__(self):   # survives pickling (worker processes)
        return (type(self), (self.path, self.reason))


@dataclass(frozen=True)
class FrameInfo:
    """What the file header says, without decoding pixels."""

    path: Path
    format: str | None        # "PNG", "JPEG", ... as Pillow identifies it
    size: tuple[int, int]     # (width, height)
    mode: str                 # Pillow mode: "RGB", "RGBA", "P", "L", "LA", "I;16", ...
    n_frames: int             # > 1 for an animated PNG (APNG)
    transparency: bool        # the mode has alpha or the file has a tRNS chunk

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]


@dataclass
class Frames:
    """A decoded sequence: HxWx3 (opaque) or HxWx4 (some alpha < 255) uint8 arrays, one shape."""

    images: list[np.ndarray]
    has_alpha: bool
    size: tuple[int, int]     # (width, height)

    def __len__(self) -> int:
        return len(self.images)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.images[0].shape


def _describe_open_error(e: BaseException) -> str:
    if isinstance(e, Image.DecompressionBombError):
        return "image dimensions are too large to decode safely"
    if isinstance(e, UnidentifiedImageError):
        return "not an image file (empty, damaged, or another kind of file)"
    if isinstance(e, FileNotFoundError):
        return "file not found"
    if isinstance(e, IsADirectoryError):
        return "is a directory, not an image file"
    if isinstance(e, PermissionError):
        return "permission denied"
    return f"cannot read the image header ({_short(e)})"


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0][:160] if text else type(e).__name__


def _png_header(path: Path) -> FrameInfo | None:
    """What a PNG's header says (``pipeline.content.png``, the one header reader), for headers whose dimensions
    Pillow refuses to open; None when the file has no readable PNG header."""
    png = read_png_info(path)
    if png.colour_type < 0:  # no signature or no IHDR: not a PNG header at all
        return None
    mode = _PNG_MODES.get(png.colour_type, "?")
    if png.colour_type == 0 and png.bit_depth == 16:
        mode = "I;16"
    elif png.colour_type == 0 and png.bit_depth == 1:
        mode = "1"
    return FrameInfo(path=path, format="PNG", size=(png.width, png.height), mode=mode, n_frames=png.frames,
                     transparency=png.transparency or mode in _ALPHA_MODES)


def _too_large(path: Path, size: tuple[int, int], limit: int) -> FrameError:
    w, h = size
    return FrameError(path, f"is {w}x{h} = {w * h:,} pixels, over the limit of {limit:,} (max_pixels)")


def _open(path: Path, settings: EncodeSettings | None = None) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path)
    except Image.DecompressionBombError:
        info = _png_header(path)
        if info is not None:
            raise _too_large(path, info.size, (settings or EncodeSettings()).max_pixels) from None
        raise FrameError(path, "image dimensions are too large to decode safely") from None
    except (OSError, SyntaxError, ValueError, zlib.error, EOFError) as e:
        raise FrameError(path, _describe_open_error(e)) from None


def _info_of(path: Path, im: Image.Image) -> FrameInfo:
    return FrameInfo(
        path=path,
        format=im.format,
        size=(int(im.size[0]), int(im.size[1])),
        mode=im.mode,
        n_frames=int(getattr(im, "n_frames", 1) or 1),
        transparency=im.mode in _ALPHA_MODES or "transparency" in im.info,
    )


def read_frame_info(path: Path | str, settings: EncodeSettings | None = None) -> FrameInfo:
    """Format, size, mode and frame count from the header; no pixels are decoded.

    Raises FrameError only when the file cannot be identified as an image at all; use
    ``check_frame_info`` to apply the encoders' rules (PNG, size limit, single frame).
    """
    path = Path(path)
    try:
        im = _open(path, settings)
    except FrameError:
        info = _png_header(path) if path.is_file() else None
        if info is None:
            raise
        # a PNG whose dimensions Pillow refuses to open: the header still says what it is
        return info
    try:
        return _info_of(path, im)
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error) as e:
        raise FrameError(path, _describe_open_error(e)) from None
    finally:
        im.close()


def check_frame_info(info: FrameInfo, settings: EncodeSettings) -> None:
    """Raise FrameError if the encoders would refuse this file (checked before decoding)."""
    if info.format != "PNG":
        kind = f"a {info.format} file" if info.format else "not a PNG file"
        raise FrameError(info.path, f"is {kind}, not a PNG; orientation frames must be PNG")
    w, h = info.size
    if w <= 0 or h <= 0:
        raise FrameError(info.path, f"has empty dimensions {w}x{h}")
    if info.pixels > settings.max_pixels:
        raise _too_large(info.path, info.size, settings.max_pixels)
    if info.n_frames > 1:
        raise FrameError(info.path, f"is an animated PNG with {info.n_frames} frames; "
                                    "each orientation must be a single still image")


def _scale16(a: np.ndarray) -> np.ndarray:
    a = np.clip(a.astype(np.int64), 0, 65535)
    return ((a * 255 + 32767) // 65535).astype(np.uint8)


def to_8bit(im: Image.Image) -> np.ndarray:
    """A loaded Pillow image as HxWx3 (RGB) or HxWx4 (RGBA) uint8, whatever its mode."""
    mode = im.mode
    if mode in _SIXTEEN_BIT:
        raw = np.asarray(im)
        grey = _scale16(raw)
        trns = im.info.get("transparency")
        if isinstance(trns, int):
            alpha = np.where(raw == trns, 0, 255).astype(np.uint8)
            return np.dstack([grey, grey, grey, alpha])
        return np.dstack([grey, grey, grey])
    if mode == "F":
        grey = np.clip(np.rint(np.asarray(im, dtype=np.float64)), 0, 255).astype(np.uint8)
        return np.dstack([grey, grey, grey])
    if mode in _ALPHA_MODES or "transparency" in im.info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "palette images with transparency ..." notice
            rgba = im.convert("RGBA")
        return np.asarray(rgba)
    if mode != "RGB":
        im = im.convert("RGB")
    return np.asarray(im)


def _decode(path: Path, expect: FrameInfo) -> np.ndarray:
    im = _open(path)
    try:
        info = _info_of(path, im)
        if info.size != expect.size or info.format != expect.format:
            raise FrameError(path, "changed while it was being read")
        try:
            im.load()
        except (OSError, SyntaxError, ValueError, EOFError, zlib.error, MemoryError) as e:
            msg = _short(e)
            if "truncated" in msg or isinstance(e, EOFError):
                reason = "PNG data is truncated (the file is incomplete)"
            else:
                reason = f"PNG data is damaged and cannot be decoded ({msg})"
            raise FrameError(path, reason) from None
        arr = to_8bit(im)
    finally:
        im.close()
    if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise FrameError(path, f"decoded to an unexpected pixel layout {arr.shape}")
    return np.ascontiguousarray(arr)


def load_frames(paths: Sequence[Path | str], settings: EncodeSettings | None = None) -> Frames:
    """Check every file's header, then decode each once (in parallel) to 8-bit RGB or RGBA."""
    settings = settings or EncodeSettings()
    paths = [Path(p) for p in paths]
    if not paths:
        raise FrameError(None, "no frames given")
    if len(paths) > settings.max_frames:
        raise FrameError(paths[settings.max_frames],
                         f"sequence has {len(paths)} frames, over the limit of "
                         f"{settings.max_frames} (max_frames)")
    infos = []
    for p in paths:
        info = read_frame_info(p, settings)
        check_frame_info(info, settings)
        if infos and info.size != infos[0].size:
            w, h = info.size
            w0, h0 = infos[0].size
            raise FrameError(p, f"is {w}x{h} but {infos[0].path.name} is {w0}x{h0}; "
                                "all frames of a sequence must be the same size")
        infos.append(info)

    workers = thread_budget(len(paths))
    if workers == 1:
        arrays = [_decode(p, i) for p, i in zip(paths, infos)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as ex:
            futures = [ex.submit(_decode, p, i) for p, i in zip(paths, infos)]
            arrays = []
            for f in futures:       # in order, so the first bad frame is the one reported
                arrays.append(f.result())

    has_alpha = any(a.shape[2] == 4 and int(a[..., 3].min()) < 255 for a in arrays)
    images = []
    for a in arrays:
        if has_alpha and a.shape[2] == 3:
            a = np.dstack([a, np.full(a.shape[:2], 255, np.uint8)])
        elif not has_alpha and a.shape[2] == 4:
            a = np.ascontiguousarray(a[..., :3])
        images.append(a)
    return Frames(images=images, has_alpha=has_alpha, size=infos[0].size)
