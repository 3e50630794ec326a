"""The one PNG header reader: what a PNG says without decoding it. The signature, the IHDR chunk (size, bit depth,
colour type), the chunks before the image data (an acTL chunk: animated, with its frame count; a tRNS chunk:
transparency), and whether it ends with IEND.

Two small reads per file (the head and the tail), so checking every render of a site stays cheap. The linter
reports a file that fails here as IMG004; the encoders refuse it before any decoder sees it.
"""

from __future__ import annotations

import dataclasses
import os
import struct
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR = {0: "greyscale", 2: "RGB", 3: "palette", 4: "greyscale+alpha", 6: "RGBA"}
HEAD_BYTES = 4096


@dataclass(frozen=True)
class PngInfo:
    width: int = 0
    height: int = 0
    bit_depth: int = 0
    colour_type: int = -1
    animated: bool = False
    error: str | None = None  # why it cannot be used; None when it looks like a whole PNG
    frames: int = 1  # the acTL frame count of an animated PNG
    transparency: bool = False  # a tRNS chunk before the image data (alpha channels: see colour_type)

    @property
    def mode(self) -> str:
        name = _COLOUR.get(self.colour_type, f"colour type {self.colour_type}")
        return f"{self.bit_depth}-bit {name}"


def _sniff(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG file"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF file"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP file"
    if head.startswith(b"\x89PNG"):
        return "a damaged PNG signature"
    try:
        head[:64].decode("utf-8")
        return "a text file"
    except UnicodeDecodeError:
        return "not a PNG"


# One object per distinct header: a site's renders share a handful of sizes and modes, so a run holds a few
# PngInfo objects instead of one per file, and reading a header builds none.
_SHARED: dict[tuple, PngInfo] = {}


def read_png_info(path: Path | str, max_pixels: int | None = None) -> PngInfo:
    try:  # os-level reads: no buffered file object per render (a site has tens of thousands)
        fd = os.open(path, os.O_RDONLY)
        try:
            head = os.pread(fd, HEAD_BYTES, 0)
            if not head:
                return PngInfo(error="file is empty (0 bytes)")
            if not head.startswith(SIGNATURE):
                return PngInfo(error=f"not a PNG: the content is {_sniff(head)}")
            if len(head) < 33 or head[12:16] != b"IHDR":
                return PngInfo(error="truncated or damaged PNG: no IHDR header")
            width, height, depth, ctype = _IHDR(head, 16)
            frames, trns = _scan(head)
            size = os.fstat(fd).st_size
            tail = head[-12:] if size <= len(head) else os.pread(fd, 12, size - 12)
        finally:
            os.close(fd)
    except OSError as e:
        return PngInfo(error=f"cannot read file: {e.strerror or e}")
    key = (width, height, depth, ctype, frames, trns)
    info = _SHARED.get(key)
    if info is None:
        info = _SHARED[key] = PngInfo(width, height, depth, ctype, frames is not None, None, frames or 1, trns)
    if width == 0 or height == 0:
        return dataclasses.replace(info, error="PNG has zero width or height")
    if tail[4:8] != b"IEND":
        return dataclasses.replace(info, error="truncated PNG: the file does not end with an IEND chunk (interrupted write?)")
    if max_pixels is not None and width * height > max_pixels:
        return dataclasses.replace(info, error=f"{width}x{height} pixels exceeds the limit of {max_pixels:,} (max_pixels); not decoded")
    return info


_IHDR = struct.Struct(">IIBB").unpack_from
_CHUNK = struct.Struct(">I4s").unpack_from


def _scan(head: bytes) -> tuple[int | None, bool]:
    """(acTL frame count or None, tRNS seen) from the chunks before the first IDAT that ``head`` holds."""
    pos, frames, trns = 8, None, False
    while pos + 8 <= len(head):
        length, ctype = _CHUNK(head, pos)
        if ctype == b"acTL":
            frames = struct.unpack(">I", head[pos + 8 : pos + 12])[0] if pos + 12 <= len(head) else 0
            frames = frames or 1
        elif ctype == b"tRNS":
            trns = True
        elif ctype in (b"IDAT", b"IEND"):
            break
        pos += 12 + length
    return frames, trns
