"""Helpers for the encoder tests: tiny synthetic renders, a raw PNG writer, decoders, metrics."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.encode.frames import Frames


def render(n: int, w: int = 32, h: int = 24, transparent: bool = False, seed: int = 0) -> list[np.ndarray]:
    """A small "rotating" scene: a shaded disc that moves across a gradient (opaque), or over
    nothing (transparent, with soft anti-aliased edges).  Every frame differs."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    frames = []
    for k in range(n):
        t = 2 * math.pi * k / max(n, 1)
        cx = w / 2 + (w / 4) * math.cos(t)
        cy = h / 2 + (h / 5) * math.sin(t)
        r = min(w, h) / 4
        d = np.hypot(xx - cx, yy - cy)
        cover = np.clip(r + 0.5 - d, 0, 1)          # anti-aliased disc edge
        shade = np.clip(1 - ((xx - cx + r / 2) ** 2 + (yy - cy + r / 2) ** 2) / (2.5 * r * r), 0.2, 1)
        disc = np.stack([200 * shade + 40, 60 * shade + 20, 50 * shade + 10], -1)
        if transparent:
            rgb = disc
            alpha = cover * 255
            img = np.dstack([rgb, alpha])
        else:
            bg = np.stack([200 + 40 * xx / w, 210 + 30 * yy / h, np.full_like(xx, 230.0)], -1)
            img = disc * cover[..., None] + bg * (1 - cover[..., None])
        img = img + rng.normal(0, 1.0, img.shape) * (img.shape[-1] == 3)
        frames.append(np.clip(np.rint(img), 0, 255).astype(np.uint8))
    return frames


def as_frames(images: list[np.ndarray]) -> Frames:
    has_alpha = any(a.shape[2] == 4 and a[..., 3].min() < 255 for a in images)
    h, w = images[0].shape[:2]
    return Frames(images=[np.ascontiguousarray(a) for a in images], has_alpha=has_alpha, size=(w, h))


def save_pngs(folder: Path, images: list[np.ndarray], name: str = "Seq") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, a in enumerate(images, 1):
        p = folder / f"{name}-{k}.png"
        Image.fromarray(a, "RGBA" if a.shape[2] == 4 else "RGB").save(p)
        paths.append(p)
    return paths


# ---------------------------------------------------------------------------
# a raw PNG writer, for modes Pillow does not write (16-bit RGB, APNG, forged headers)
# ---------------------------------------------------------------------------


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, colour_type: int, bit_depth: int, rows: bytes,
              extra: list[tuple[bytes, bytes]] = (), idat: bytes | None = None) -> bytes:
    """``rows`` are the unfiltered scanlines; each gets filter byte 0."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    if idat is None:
        stride = len(rows) // height if height else 0
        raw = b"".join(b"\x00" + rows[i * stride:(i + 1) * stride] for i in range(height))
        idat = zlib.compress(raw)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    for kind, data in extra:
        out += chunk(kind, data)
    return out + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def apng_bytes(frames: list[np.ndarray]) -> bytes:
    """An animated PNG (RGB) with one image per array."""
    h, w = frames[0].shape[:2]

    def z(a):
        return zlib.compress(b"".join(b"\x00" + a[y].tobytes() for y in range(h)))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"acTL", struct.pack(">II", len(frames), 0))
    seq = 0
    for k, a in enumerate(frames):
        out += chunk(b"fcTL", struct.pack(">IIIIIHHBB", seq, w, h, 0, 0, 1, 10, 0, 0))
        seq += 1
        if k == 0:
            out += chunk(b"IDAT", z(a))
        else:
            out += chunk(b"fdAT", struct.pack(">I", seq) + z(a))
            seq += 1
    return out + chunk(b"IEND", b"")


# ---------------------------------------------------------------------------
# decoding and metrics
# ---------------------------------------------------------------------------


def decode_gif(path: Path) -> tuple[list[np.ndarray], list[int], object, list[int]]:
    """Displayed frames as RGBA (Pillow composes them, applying disposal), durations in ms,
    the loop count, and each frame's disposal method as stored."""
    frames, durations, disposals = [], [], []
    with Image.open(path) as im:
        loop = im.info.get("loop")
        for k in range(im.n_frames):
            im.seek(k)
            frames.append(np.asarray(im.convert("RGBA")).copy())
            durations.append(int(im.info.get("duration", 0)))
            disposals.append(getattr(im, "disposal_method", 0))
    return frames, durations, loop, disposals


def composite(rgba: np.ndarray, bg=(255, 255, 255)) -> np.ndarray:
    if rgba.shape[2] == 3:
        return rgba
    a = rgba[..., 3:4].astype(np.float64) / 255
    return np.clip(np.rint(rgba[..., :3] * a + np.asarray(bg, np.float64) * (1 - a)), 0, 255).astype(np.uint8)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 100.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def _box(x: np.ndarray, k: int) -> np.ndarray:
    c = np.cumsum(np.cumsum(np.pad(x, ((1, 0), (1, 0))), 0), 1)
    return (c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]) / (k * k)


def ssim(a: np.ndarray, b: np.ndarray, k: int = 7) -> float:
    """Mean SSIM over channels with a k x k uniform window (as skimage's default)."""
    vals = []
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    if a.ndim == 2:
        a, b = a[..., None], b[..., None]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    n = k * k
    for ch in range(a.shape[2]):
        x, y = a[..., ch], b[..., ch]
        mx, my = _box(x, k), _box(y, k)
        vx = (_box(x * x, k) - mx * mx) * n / (n - 1)
        vy = (_box(y * y, k) - my * my) * n / (n - 1)
        cxy = (_box(x * y, k) - mx * my) * n / (n - 1)
        s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
        vals.append(s.mean())
    return float(np.mean(vals))


@pytest.fixture
def opaque16() -> list[np.ndarray]:
    return render(16, 32, 24)


@pytest.fixture
def transparent16() -> list[np.ndarray]:
    return render(16, 32, 24, transparent=True)
