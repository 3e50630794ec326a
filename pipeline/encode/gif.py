"""Animated GIF encoder: one libimagequant palette for the whole sequence, then lossy LZW.

Steps (all deterministic; the output has exactly one GIF frame per input frame, in order):

1. Alpha is cut to one bit at ``settings.alpha_threshold``: kept pixels with partial alpha are
   flattened onto ``settings.matte`` (the page colour), the others become fully transparent.
2. One palette for the whole sequence from a libimagequant histogram of all frames, each
   sampled on a regular grid (about ``_HISTOGRAM_SAMPLES`` pixels in all: a rotation repeats its
   colours from frame to frame, and the palette scores as well as one built from every pixel).
   A transparent sequence gets exactly one transparent entry.
3. Every frame is remapped to that palette by libimagequant (error diffusion at
   ``settings.dither``; 0 = nearest colour, which measured best here: no dither noise for the
   LZW coder to spend bytes on, and the same or higher PSNR/SSIM).  Frames are processed in
   parallel threads, each with its own libimagequant copy of the palette in which every entry
   is fixed, so the palette cannot drift between frames.
4. ``gif_format`` writes the GIF89a itself (Pillow's LZW coder for the image data): a global
   colour table, the NETSCAPE loop block, and per frame a graphic control block (delay in
   centiseconds) and one image.  Identical consecutive frames stay separate frames.  Opaque
   sequences use disposal 1 and store each frame's changed rectangle (the first frame whole;
   an unchanged frame as one pixel).  Transparent sequences use disposal 2 and store each frame
   cropped to its opaque pixels, so the canvas is clear before every frame and no pixel of an
   earlier frame can show through.
5. gifsicle recompresses the image data with lossy LZW (``--lossy=N --gamma=1``: the error is
   measured on the palette's sRGB values, the meaning ``--lossy`` had before gifsicle 1.96; its
   1.96 default gamma gives clearly worse PSNR at the same size; ``settings.lossy_gamma``).
   Frame layout and colour table are left as they are, and each frame is recompressed on its
   own, so the sequence can go through gifsicle in parallel chunks and the joined file is
   byte-for-byte the same as from one run.

Run ``python -m pipeline.encode.gif OUT.gif FRAME1.png ...`` to encode by hand.
"""

from __future__ import annotations

import math
import queue
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.encode.frames import Frames
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.gif_format import _lzw, _workers, frame_rect, postprocess, write_gif_bytes
from pipeline.encode.tools import EncodeError, parse_hex_colour

_HISTOGRAM_SAMPLES = 1_000_000   # pixels fed to the palette histogram


def _to_rgba(img: np.ndarray, threshold: int, matte: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray | None]:
    """(HxWx4 uint8 whose alpha is 0 or 255, mask of the pixels kept opaque or None if all are).

    Pixels with alpha < threshold become (0, 0, 0, 0); kept pixels with partial alpha are
    flattened onto ``matte``, as the page would show them.
    """
    if img.shape[2] == 3:
        return np.asarray(Image.fromarray(img, "RGB").convert("RGBA")), None
    out = img.copy()
    alpha = img[..., 3]
    keep = alpha >= threshold
    flat = out.reshape(-1, 4)
    edge = np.flatnonzero((keep & (alpha < 255)).ravel())
    if edge.size:
        px = flat[edge].astype(np.uint32)
        a = px[:, 3:4]
        bg = np.asarray(matte, np.uint32)[None, :]
        flat[edge, :3] = ((px[:, :3] * a + bg * (255 - a) + 127) // 255).astype(np.uint8)
    np.multiply(out, keep[..., None], out=out)
    out[..., 3] = keep.view(np.uint8) * 255
    return out, (None if keep.all() else keep)


# ---------------------------------------------------------------------------
# 2-3. palette and remapping through libimagequant's C API
# ---------------------------------------------------------------------------


def _liq():
    try:
        from imagequant import ffi, lib
    except Exception as e:  # pragma: no cover - dependency missing
        raise EncodeError(f"libimagequant is not available (imagequant package): {e}") from None
    return ffi, lib


def _check(code: int, what: str) -> None:
    _, lib = _liq()
    if code != lib.LIQ_OK:
        names = {getattr(lib, n): n for n in dir(lib) if n.startswith("LIQ_") and
                 isinstance(getattr(lib, n), int)}
        raise EncodeError(f"libimagequant {what} failed ({names.get(code, code)})")


def _attr(speed: int, max_colors: int, quality: int):
    ffi, lib = _liq()
    attr = ffi.gc(lib.liq_attr_create(), lib.liq_attr_destroy)
    _check(lib.liq_set_speed(attr, max(1, min(10, int(speed)))), "set_speed")
    _check(lib.liq_set_max_colors(attr, max(2, min(256, int(max_colors)))), "set_max_colors")
    _check(lib.liq_set_quality(attr, 0, max(0, min(100, int(quality)))), "set_quality")
    return attr


def _palette_of(result) -> np.ndarray:
    _, lib = _liq()
    pal = lib.liq_get_palette(result)
    return np.array([(pal.entries[i].r, pal.entries[i].g, pal.entries[i].b, pal.entries[i].a)
                     for i in range(pal.count)], np.uint8).reshape(-1, 4)


def sample_step(n_frames: int, size: tuple[int, int]) -> int:
    """Take every step-th pixel of every step-th row for the palette histogram."""
    total = n_frames * size[0] * size[1]
    return max(1, math.ceil(math.sqrt(total / _HISTOGRAM_SAMPLES)))


def build_palette(samples: list[np.ndarray], settings: EncodeSettings, transparent: bool) -> np.ndarray:
    """One palette (count x RGBA) for all frames; with exactly one clear entry if transparent."""
    ffi, lib = _liq()
    attr = _attr(settings.speed, settings.max_colors, settings.quality)
    hist = ffi.gc(lib.liq_histogram_create(attr), lib.liq_histogram_destroy)
    for sample in samples:
        sh, sw = sample.shape[:2]
        img = lib.liq_image_create_rgba(attr, ffi.from_buffer(sample), sw, sh, 0)
        if img == ffi.NULL:
            raise EncodeError("libimagequant could not take a frame")
        try:
            _check(lib.liq_histogram_add_image(hist, attr, img), "histogram")
        finally:
            lib.liq_image_destroy(img)
    if transparent:
        clear = ffi.new("liq_color*")
        clear.r = clear.g = clear.b = clear.a = 0
        _check(lib.liq_histogram_add_fixed_color(hist, clear[0], 0.0), "fixed colour")
    res_p = ffi.new("liq_result**")
    _check(lib.liq_histogram_quantize(hist, attr, res_p), "palette")
    try:
        palette = _palette_of(res_p[0])
    finally:
        lib.liq_result_destroy(res_p[0])
    if transparent:
        # one clear entry; any other entry libimagequant made translucent becomes opaque
        zero = np.flatnonzero(palette[:, 3] == 0)
        if len(zero) == 0:
            raise EncodeError("libimagequant kept no transparent palette entry")
        palette[palette[:, 3] != 0, 3] = 255
        palette[zero[1:], 3] = 255
    else:
        palette[:, 3] = 255
    return palette


class _Remapper:
    """A liq_result holding exactly ``palette`` (every entry fixed), for one thread: the
    palette cannot drift between frames, and threads never share libimagequant state."""

    def __init__(self, palette: np.ndarray, settings: EncodeSettings) -> None:
        ffi, lib = _liq()
        # without dithering the speed setting does not change the remapped pixels, only
        # how long libimagequant takes; with dithering it decides the edge-aware dither map
        speed = 10 if settings.dither <= 0 else settings.speed
        self.attr = _attr(speed, len(palette), 100)
        hist = ffi.gc(lib.liq_histogram_create(self.attr), lib.liq_histogram_destroy)
        colours = np.ascontiguousarray(palette.reshape(1, -1, 4))
        img = lib.liq_image_create_rgba(self.attr, ffi.from_buffer(colours), len(palette), 1, 0)
        try:
            _check(lib.liq_histogram_add_image(hist, self.attr, img), "histogram")
        finally:
            lib.liq_image_destroy(img)
        colour = ffi.new("liq_color*")
        for r, g, b, a in palette.tolist():
            colour.r, colour.g, colour.b, colour.a = r, g, b, a
            _check(lib.liq_histogram_add_fixed_color(hist, colour[0], 0.0), "fixed colour")
        res_p = ffi.new("liq_result**")
        _check(lib.liq_histogram_quantize(hist, self.attr, res_p), "palette copy")
        self.result = ffi.gc(res_p[0], lib.liq_result_destroy)
        _check(lib.liq_set_dithering_level(self.result, float(settings.dither)), "dithering level")
        self.palette = _palette_of(self.result)
        if not np.array_equal(self.palette, palette):
            raise EncodeError("libimagequant did not keep the sequence palette")

    def remap(self, rgba: np.ndarray) -> np.ndarray:
        ffi, lib = _liq()
        h, w = rgba.shape[:2]
        img = lib.liq_image_create_rgba(self.attr, ffi.from_buffer(rgba), w, h, 0)
        if img == ffi.NULL:
            raise EncodeError("libimagequant could not take a frame")
        out = np.empty((h, w), np.uint8)
        try:
            _check(lib.liq_write_remapped_image(self.result, img, ffi.from_buffer(out), w * h),
                   "remapping")
        finally:
            lib.liq_image_destroy(img)
        if not np.array_equal(_palette_of(self.result), self.palette):
            raise EncodeError("libimagequant changed the palette while remapping")
        return out


def _nearest_opaque(rgb: np.ndarray, palette: np.ndarray, t: int) -> np.ndarray:
    """Index of the nearest opaque palette entry for each RGB row (a few pixels at most)."""
    cand = np.array([i for i in range(len(palette)) if i != t], np.int64)
    d = ((rgb[:, None, :].astype(np.int32) - palette[cand, :3][None, :, :].astype(np.int32)) ** 2).sum(-1)
    return cand[np.argmin(d, axis=1)].astype(np.uint8)




def encode_gif_bytes(frames: Frames, settings: EncodeSettings) -> bytes:
    images = frames.images
    n = len(images)
    if n == 0:
        raise EncodeError("no frames to encode")
    matte = parse_hex_colour(settings.matte)
    threshold = max(1, min(255, int(settings.alpha_threshold)))
    transparent = frames.has_alpha and any(bool((img[..., 3] < threshold).any()) for img in images)

    step = sample_step(n, frames.size)
    samples = [_to_rgba(np.ascontiguousarray(img[::step, ::step]), threshold, matte)[0]
               for img in images]
    palette = build_palette(samples, settings, transparent)
    del samples
    t = int(np.flatnonzero(palette[:, 3] == 0)[0]) if transparent else None

    workers = _workers(n)
    remappers: queue.SimpleQueue[_Remapper] = queue.SimpleQueue()
    for _ in range(workers):
        remappers.put(_Remapper(palette, settings))

    def remap_frame(i: int) -> np.ndarray:
        rgba, keep = _to_rgba(images[i], threshold, matte)
        remapper = remappers.get()
        try:
            idx = remapper.remap(rgba)
        finally:
            remappers.put(remapper)
        if t is not None:
            if keep is not None:
                idx[~keep] = t
                wrong = keep & (idx == t)
            else:
                wrong = idx == t
            if wrong.any():
                idx[wrong] = _nearest_opaque(rgba[wrong][:, :3], palette, t)
        return idx

    def encode_frame(i: int) -> tuple[tuple[int, int, int, int], bytes]:
        idx = indices[i]
        prev = indices[i - 1] if i > 0 else None
        x, y, ww, hh = rect = frame_rect(idx, prev, t, settings.optimize > 0)
        return rect, _lzw(np.ascontiguousarray(idx[y:y + hh, x:x + ww]))

    if workers == 1:
        indices = [remap_frame(i) for i in range(n)]
        encoded = [encode_frame(i) for i in range(n)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as ex:
            indices = list(ex.map(remap_frame, range(n)))
            encoded = list(ex.map(encode_frame, range(n)))
    gif = write_gif_bytes(palette, t, encoded, frames.size, settings, matte)
    return postprocess(gif, n, settings, t is not None)


def encode_gif(frames: Frames, dest: Path, settings: EncodeSettings) -> None:
    """Write ``frames`` as a looping GIF at ``dest`` (exactly that path)."""
    data = encode_gif_bytes(frames, settings)
    with open(dest, "wb") as f:
        f.write(data)


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.encode.gif [--duration MS] OUT.gif FRAME1.png ...`` (default settings)."""
    import argparse
    import dataclasses

    from pipeline.encode.frames import FrameError, load_frames

    ap = argparse.ArgumentParser(prog="python -m pipeline.encode.gif",
                                 description="Encode a PNG sequence as a looping GIF.")
    ap.add_argument("output", type=Path)
    ap.add_argument("frames", type=Path, nargs="+", help="PNG frames in display order")
    ap.add_argument("--duration", type=int, help="ms per frame (default from settings)")
    ap.add_argument("--lossy", type=int, help="lossy LZW strength (default from settings)")
    args = ap.parse_args(argv)
    settings = EncodeSettings()
    if args.duration is not None:
        settings = dataclasses.replace(settings, duration_ms=args.duration)
    if args.lossy is not None:
        settings = dataclasses.replace(settings, lossy=args.lossy, lossy_transparent=args.lossy)
    try:
        frames = load_frames(args.frames, settings)
        encode_gif(frames, args.output, settings)
    except (FrameError, EncodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
