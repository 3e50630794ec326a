"""GIF89a bytes for the GIF encoder (``gif.py``): the writer (global colour table, NETSCAPE loop block, one
graphic control block and one image per frame, changed rectangles), a parser of what it wrote, and the lossy LZW
pass through gifsicle, in parallel chunks whose joined result is byte-for-byte that of one run.
"""

from __future__ import annotations

import math
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError, require, run, thread_budget

_CHUNK_FRAMES = 8                # frames per parallel gifsicle run, at least
_MAX_CHUNKS = 8


def _workers(n: int) -> int:
    return thread_budget(n)


# ---------------------------------------------------------------------------
# 1. frames -> RGBA with 1-bit alpha
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# 4. GIF89a writer
# ---------------------------------------------------------------------------


def _lzw(idx: np.ndarray) -> bytes:
    """LZW-coded image data (minimum code size byte, sub-blocks, terminator)."""
    im = Image.fromarray(idx, "P")
    return b"\x08" + im.tobytes("gif", "P") + b"\x00"


def _colour_table(palette: np.ndarray, t: int | None, matte: tuple[int, int, int]) -> tuple[bytes, int]:
    rgb = palette[:, :3].copy()
    if t is not None:
        rgb[t] = matte          # shown by viewers that ignore transparency
    bits = max(1, math.ceil(math.log2(max(2, len(rgb)))))
    table = np.zeros((1 << bits, 3), np.uint8)
    table[: len(rgb)] = rgb
    return table.tobytes(), bits


def _delay_cs(duration_ms: int) -> int:
    return max(1, min(65535, int(round(duration_ms / 10))))


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, width, height) of the True pixels, or None if there are none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def frame_rect(idx: np.ndarray, prev: np.ndarray | None, t: int | None,
               crop_changes: bool = True) -> tuple[int, int, int, int]:
    """The rectangle (left, top, width, height) a frame is stored in.

    Transparent sequences (disposal 2 everywhere, so the canvas is clear before each frame):
    the bounding box of the frame's opaque pixels.  Opaque sequences (disposal 1, each frame
    drawn over the previous one): the bounding box of the pixels that differ from the previous
    frame; the first frame is whole.  An empty box becomes a single pixel at (0, 0) holding
    what is already shown there, so an unchanged frame still is a frame.
    """
    h, w = idx.shape
    if t is not None:
        return _bbox(idx != t) or (0, 0, 1, 1)
    if prev is None or not crop_changes:
        return 0, 0, w, h
    return _bbox(idx != prev) or (0, 0, 1, 1)


def write_gif_bytes(palette: np.ndarray, t: int | None, images: list[tuple[tuple[int, int, int, int], bytes]],
                    size: tuple[int, int], settings: EncodeSettings, matte: tuple[int, int, int]) -> bytes:
    """A GIF89a with one global colour table and exactly one image per frame.

    ``images`` holds each frame's rectangle (left, top, width, height) and LZW data.
    Opaque frames keep what is under them (disposal 1); transparent sequences clear each
    frame's rectangle after showing it (disposal 2), so no pixel outlives its frame.
    """
    w, h = size
    table, bits = _colour_table(palette, t, matte)
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", w, h, 0x80 | ((bits - 1) << 4) | (bits - 1), 0, 0)
    out += table
    if settings.loop >= 0:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", min(settings.loop, 65535)) + b"\x00"
    delay = _delay_cs(settings.duration_ms)
    disposal = 2 if t is not None else 1
    flags = (disposal << 2) | (1 if t is not None else 0)
    for (x, y, ww, hh), data in images:
        out += b"\x21\xf9\x04" + struct.pack("<BHB", flags, delay, t or 0) + b"\x00"
        out += b"\x2c" + struct.pack("<HHHHB", x, y, ww, hh, 0)
        out += data
    out += b"\x3b"
    return bytes(out)


# ---------------------------------------------------------------------------
# 5. gifsicle, possibly in parallel chunks, and joining GIFs
# ---------------------------------------------------------------------------


@dataclass
class _Parsed:
    header: bytes            # "GIF89a" + logical screen descriptor + global colour table
    extensions: bytes        # application/comment extensions before the first frame
    frames: list[bytes]      # each: graphic control extension (if any) + image block


def _skip_sub_blocks(b: bytes, pos: int) -> int:
    while True:
        n = b[pos]
        pos += 1
        if n == 0:
            return pos
        pos += n


def parse_gif(b: bytes) -> _Parsed:
    """Split a GIF into its header, leading extensions and per-frame byte blocks."""
    if b[:6] not in (b"GIF87a", b"GIF89a") or len(b) < 13:
        raise EncodeError("gifsicle wrote something that is not a GIF")
    flags = b[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    header = b[:pos]
    ext = bytearray()
    frames: list[bytes] = []
    pending = b""
    try:
        while True:
            tag = b[pos]
            if tag == 0x3B:
                break
            if tag == 0x21:
                end = _skip_sub_blocks(b, pos + 2)
                if b[pos + 1] == 0xF9:
                    pending = b[pos:end]
                elif not frames and not pending:
                    ext += b[pos:end]
                pos = end
            elif tag == 0x2C:
                iflags = b[pos + 9]
                start = pos
                pos += 10
                if iflags & 0x80:
                    pos += 3 << ((iflags & 7) + 1)
                pos = _skip_sub_blocks(b, pos + 1)
                frames.append(pending + b[start:pos])
                pending = b""
            else:
                raise EncodeError(f"unexpected GIF block 0x{tag:02x}")
    except IndexError:
        raise EncodeError("gifsicle wrote a truncated GIF") from None
    return _Parsed(bytes(header), bytes(ext), frames)


def lossy_level(settings: EncodeSettings, transparent: bool) -> int:
    """The lossy LZW strength for a sequence (``lossy`` or ``lossy_transparent``).

    They are separate because gifsicle's lossy LZW never lets a transparent pixel stand in
    for an opaque one (or the reverse): on a transparent sequence the same strength saves
    fewer bytes, while the error there is dominated by the 1-bit alpha edge.
    """
    return max(0, int(settings.lossy_transparent if transparent else settings.lossy))


def _gifsicle_args(settings: EncodeSettings, transparent: bool) -> list[str] | None:
    """gifsicle options for the lossy pass, or None when there is none.

    No ``-O``: this module has already stored each frame in its smallest safe rectangle, and
    gifsicle's optimiser would renumber the colour table (differently for each chunk).
    ``--colors=256`` is a no-op on a palette of at most 256 colours, but it makes gifsicle
    recompress every image, which ``--lossy`` needs; frame layout, disposal, transparency and
    the colour table are kept as they are, so each frame is recompressed on its own and the
    result does not depend on how the sequence was split into chunks.
    """
    lossy = lossy_level(settings, transparent)
    if lossy <= 0:
        return None
    return ["--no-warnings", "--no-comments", "--no-names", "--colors=256",
            f"--gamma={float(settings.lossy_gamma):g}", f"--lossy={lossy}"]


def _split(gif: bytes, parsed: _Parsed, parts: int) -> list[bytes]:
    n = len(parsed.frames)
    bounds = [round(k * n / parts) for k in range(parts + 1)]
    return [parsed.header + parsed.extensions + b"".join(parsed.frames[a:b]) + b"\x3b"
            for a, b in zip(bounds, bounds[1:])]


def chunk_count(n_frames: int) -> int:
    """How many parallel gifsicle runs a sequence is split into (the bytes do not depend on it:
    gifsicle recompresses each frame on its own)."""
    return max(1, min(_MAX_CHUNKS, _workers(n_frames), n_frames // _CHUNK_FRAMES))


def postprocess(gif: bytes, n_frames: int, settings: EncodeSettings, transparent: bool) -> bytes:
    """Lossy LZW with gifsicle; the frame count, layout and colour table are kept."""
    args = _gifsicle_args(settings, transparent)
    if args is None:
        return gif
    exe = require("gifsicle")
    cmd = [exe, *args]
    parts = chunk_count(n_frames)
    parsed_in = parse_gif(gif)
    if parts <= 1:
        out = run(cmd, input=gif, what="GIF compression")
        parsed_out = parse_gif(out)
    else:
        pieces = _split(gif, parsed_in, parts)
        with ThreadPoolExecutor(max_workers=parts) as ex:
            outs = list(ex.map(lambda p: run(cmd, input=p, what="GIF compression"), pieces))
        parsed = [parse_gif(o) for o in outs]
        parsed_out = _Parsed(parsed[0].header, parsed[0].extensions,
                             [f for p in parsed for f in p.frames])
        if any(p.header != parsed_out.header or p.extensions != parsed_out.extensions
               for p in parsed[1:]):
            # a gifsicle that rewrote the colour table differently per chunk: one pass instead
            out = run(cmd, input=gif, what="GIF compression")
            parsed_out = parse_gif(out)
        else:
            out = parsed_out.header + parsed_out.extensions + b"".join(parsed_out.frames) + b"\x3b"
    if len(parsed_out.frames) != n_frames:
        raise EncodeError(f"gifsicle returned {len(parsed_out.frames)} frames for {n_frames}")
    return out
