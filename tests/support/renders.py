"""Deterministic synthetic muscle renders.

Draws a small anatomical scene -- one to three fusiform muscle bellies (up to
four on request) with their tendons, beside one or two pale bone shafts -- and
turns it about the vertical axis over ``frames`` orientations (orientation
``k`` is the angle ``2*pi*(k-1)/frames``).  The frames stand in for the real 16-orientation render
sequences (``muscles/png/<Stem>-1.png ... -16.png``): they have smooth shading,
a specular highlight, fibre texture, soft contact shadows and anti-aliased
edges, so the GIF/MP4/WebM encoders and thumbnailer can be exercised and
measured on realistic input without shipping real renders.

How it draws: every surface is a quadric (ellipsoid, or a capped cylinder for
the bone) seen through an orthographic camera, so each pixel's front hit is the
root of a quadratic that numpy solves for a whole bounding box at once.  The
surfaces are composited back to front with a *soft* depth test and an analytic
silhouette coverage (signed distance to the projected outline), which gives
anti-aliased outer edges, occlusion edges and intersection curves without
super-sampling.  Lighting (key + fill diffuse, Blinn-Phong specular, hemisphere
ambient, rim) is computed in linear light and converted to sRGB through a
lookup table.  Only numpy and Pillow are needed, and the output bytes depend
only on the arguments: no clocks, no global random state, no PNG metadata.

Command line (the seed defaults to ``seed_for(NAME)``); the demo renders are::

    python -m tests.support.renders --out raw/images/muscles/png --name Leg-Lateral --bellies 2
    python -m tests.support.renders --out raw/images/muscles/png --name Leg-LateralGastrocnemius --bellies 1
    python -m tests.support.renders --out raw/images/muscles/png --name Leg-MedialGastrocnemius --bellies 1
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from PIL import Image

from pipeline.content.atomic import write_bytes

__all__ = [
    "DEFAULT_FRAMES",
    "DEFAULT_SIZE",
    "PNG_COMPRESS_LEVEL",
    "render_frame",
    "render_sequence",
    "write_sequence",
    "seed_for",
    "main",
]

DEFAULT_FRAMES = 16
DEFAULT_SIZE = (600, 800)  # (width, height)
# zlib level for the PNGs: 4 encodes a 600x800 frame about 40% faster than the
# default 6 for ~5% more bytes (the files are inputs to encoders, not deliverables).
PNG_COMPRESS_LEVEL = 4

_F = np.float32
# World units: the frame height always spans this many units, so a scene looks
# the same at every resolution.
_VIEW_HEIGHT = 2.2

# ---------------------------------------------------------------------------
# Colour helpers
# ---------------------------------------------------------------------------

_LUT_STEPS = 8192


def _build_srgb_lut() -> np.ndarray:
    x = np.linspace(0.0, 1.0, _LUT_STEPS, dtype=np.float64)
    s = np.where(x <= 0.0031308, 12.92 * x, 1.055 * np.power(x, 1 / 2.4) - 0.055)
    return np.clip(np.rint(s * 255.0), 0, 255).astype(np.uint8)


_SRGB_LUT = _build_srgb_lut()


def _to_srgb8(linear: np.ndarray) -> np.ndarray:
    """Linear light in [0, 1] (any shape) -> sRGB uint8 through the lookup table."""
    idx = linear * _F(_LUT_STEPS - 1)
    idx += _F(0.5)
    np.clip(idx, 0, _LUT_STEPS - 1, out=idx)
    return _SRGB_LUT[idx.astype(np.int32)]


def _lin(srgb: Sequence[float]) -> np.ndarray:
    """sRGB components in [0, 1] -> linear light."""
    c = np.asarray(srgb, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


# ---------------------------------------------------------------------------
# Scene description
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Material:
    albedo: tuple[float, float, float]      # linear RGB
    tip: tuple[float, float, float]         # linear RGB towards the ends (tendon junction)
    tip_mix: float                          # 0 = no fade towards the ends
    specular: float
    shininess_pow2: int                     # shininess = 2 ** shininess_pow2
    fibres: float                           # fibre texture amplitude (0 = none)
    fibre_count: float                      # stripes around the long axis
    fibre_twist: float                      # stripe phase change along the long axis


@dataclass(frozen=True)
class _Prim:
    """An ellipsoid, or (``cylinder=True``) a capped elliptic cylinder along local y."""

    center: tuple[float, float, float]
    frame: tuple[tuple[float, float, float], ...]  # 3x3, columns = local x, y, z in world
    radii: tuple[float, float, float]              # semi-axes; for a cylinder radii[1] = half length
    material: _Material
    cylinder: bool = False


def _rot(ax: float, ay: float, az: float) -> np.ndarray:
    """Rotation matrix Rz(az) @ Rx(ax) @ Ry(ay) (radians)."""
    cx, sx = math.cos(ax), math.sin(ax)
    cy, sy = math.cos(ay), math.sin(ay)
    cz, sz = math.cos(az), math.sin(az)
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ rx @ ry


def _frame_tuple(m: np.ndarray) -> tuple[tuple[float, float, float], ...]:
    return tuple(tuple(float(v) for v in row) for row in m)


def _build_scene(seed: int, bellies: int | None = None) -> tuple[_Prim, ...]:
    """The scene for ``seed``: bone, muscle bellies, tendons (world space, y up)."""
    rng = np.random.default_rng(np.random.SeedSequence([0x6D75_7363, seed & 0xFFFF_FFFF_FFFF_FFFF]))
    prims: list[_Prim] = []

    # -- bone (tibia-like shaft with two knobby ends), slightly behind the muscles
    bone_col = _lin((0.90 + rng.uniform(-0.03, 0.02), 0.87 + rng.uniform(-0.03, 0.02), 0.78))
    bone = _Material(
        albedo=tuple(bone_col), tip=tuple(bone_col), tip_mix=0.0, specular=0.18,
        shininess_pow2=4, fibres=0.025, fibre_count=9.0, fibre_twist=2.0,
    )
    bx = rng.uniform(-0.22, -0.08)
    bz = rng.uniform(-0.22, -0.12)
    tilt = rng.uniform(-0.06, 0.06)
    brot = _rot(0.0, rng.uniform(0, math.pi), tilt)
    shaft_r = rng.uniform(0.065, 0.08)
    prims.append(_Prim((bx, 0.0, bz), _frame_tuple(brot), (shaft_r, 0.94, shaft_r * 0.9), bone, cylinder=True))
    axis = brot[:, 1]
    top = np.array([bx, 0.0, bz]) + axis * 0.94
    bot = np.array([bx, 0.0, bz]) - axis * 0.94
    prims.append(_Prim(tuple(top), _frame_tuple(_rot(0.0, rng.uniform(0, math.pi), tilt)),
                       (rng.uniform(0.20, 0.25), 0.10, rng.uniform(0.15, 0.19)), bone))
    prims.append(_Prim(tuple(bot), _frame_tuple(_rot(0.0, rng.uniform(0, math.pi), tilt)),
                       (rng.uniform(0.13, 0.16), 0.085, rng.uniform(0.11, 0.14)), bone))
    if rng.random() < 0.5:  # a slender second bone (fibula-like) further back
        fx = bx + rng.uniform(0.22, 0.3)
        fz = bz - rng.uniform(0.04, 0.1)
        frot = _rot(0.0, 0.0, tilt + rng.uniform(-0.04, 0.04))
        prims.append(_Prim((fx, -0.05, fz), _frame_tuple(frot), (0.035, 0.85, 0.035), bone, cylinder=True))
        for sgn in (1, -1):
            c = np.array([fx, -0.05, fz]) + sgn * frot[:, 1] * 0.85
            prims.append(_Prim(tuple(c), _frame_tuple(frot), (0.065, 0.07, 0.06), bone))

    # -- muscle bellies
    n = int(bellies) if bellies is not None else int(rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25]))
    if not 1 <= n <= 4:
        raise ValueError(f"bellies must be 1..4, not {n}")
    span = {1: 0.0, 2: 0.5, 3: 0.66, 4: 0.75}[n]   # width over which belly centres are spread
    width = {1: 0.38, 2: 0.23, 3: 0.18, 4: 0.15}[n]
    tendon_col = tuple(_lin((0.93, 0.90, 0.84)))
    tendon = _Material(
        albedo=tendon_col, tip=tendon_col, tip_mix=0.0, specular=0.35,
        shininess_pow2=5, fibres=0.03, fibre_count=7.0, fibre_twist=1.0,
    )
    for i in range(n):
        x0 = (-span / 2 + span * i / (n - 1)) if n > 1 else rng.uniform(-0.06, 0.06)
        x0 += rng.uniform(-0.03, 0.03)
        y0 = rng.uniform(-0.02, 0.1)
        z0 = rng.uniform(0.08, 0.2)
        ax_ = width * rng.uniform(0.92, 1.1)
        az_ = ax_ * (rng.uniform(0.62, 0.82) if n > 1 else rng.uniform(0.5, 0.6))
        ay_ = rng.uniform(0.54, 0.6) if n > 1 else rng.uniform(0.6, 0.66)
        lean = (-x0 * 0.22) + rng.uniform(-0.05, 0.05)    # lean towards the midline
        rot = _rot(rng.uniform(-0.12, 0.12), rng.uniform(0, math.pi), lean)
        hue = rng.uniform(-1, 1)
        muscle_srgb = (
            0.70 + 0.06 * hue + rng.uniform(-0.03, 0.03),
            0.17 + 0.035 * rng.uniform(-1, 1),
            0.15 + 0.03 * hue,
        )
        muscle = _Material(
            albedo=tuple(_lin(muscle_srgb)), tip=tuple(_lin((0.86, 0.62, 0.55))), tip_mix=0.75,
            specular=rng.uniform(0.45, 0.6), shininess_pow2=5, fibres=rng.uniform(0.07, 0.1),
            fibre_count=float(rng.integers(28, 44)), fibre_twist=rng.uniform(1.5, 4.0),
        )
        c = np.array([x0, y0, z0])
        prims.append(_Prim(tuple(c), _frame_tuple(rot), (ax_, ay_, az_), muscle))
        # a slimmer, longer core makes the belly spindle-shaped rather than egg-shaped
        prims.append(_Prim(tuple(c), _frame_tuple(rot), (ax_ * 0.58, ay_ * 1.22, az_ * 0.6), muscle))
        up = rot[:, 1]
        # proximal tendon (short, flat) and distal tendon (long, Achilles-like)
        lp = rng.uniform(0.17, 0.21)
        prims.append(_Prim(tuple(c + up * (ay_ + lp * 0.5)), _frame_tuple(rot),
                           (ax_ * 0.2, lp, az_ * 0.16), tendon))
        ld = rng.uniform(0.24, 0.28) if n > 1 else rng.uniform(0.2, 0.23)
        flat = 0.17 if n > 1 else 0.3    # a single broad belly ends in a broad, flat tendon
        prims.append(_Prim(tuple(c - up * (ay_ + ld * 0.5)), _frame_tuple(rot),
                           (ax_ * flat + 0.012, ld, az_ * 0.15 + 0.008), tendon))
    return tuple(prims)


# ---------------------------------------------------------------------------
# Rasteriser
# ---------------------------------------------------------------------------

def _norm3(v: Sequence[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    return a / np.linalg.norm(a)


_KEY = _norm3((-0.55, 0.65, 0.75))
_FILL = _norm3((0.8, -0.05, 0.45))
_HALF = _norm3(_KEY + np.array([0.0, 0.0, 1.0]))
_KEY_I, _FILL_I, _AMB_I, _RIM_I = 0.95, 0.28, 0.16, 0.22


class _Canvas:
    """Premultiplied linear colour, coverage and depth, composited back to front."""

    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width, height
        self.ps = _VIEW_HEIGHT / height                     # world units per pixel
        self.xs = ((np.arange(width, dtype=np.float64) + 0.5 - width / 2) * self.ps).astype(_F)
        self.ys = ((height / 2 - np.arange(height, dtype=np.float64) - 0.5) * self.ps).astype(_F)
        self.col = np.zeros((3, height, width), _F)        # planes R, G, B
        self.alpha = np.zeros((height, width), _F)
        self.z = np.full((height, width), -10.0, _F)
        self.bbox = [height, 0, width, 0]                   # union of drawn areas (i0, i1, j0, j1)

    def draw(self, prim: _Prim, rot_y: np.ndarray) -> None:
        ps = self.ps
        c = rot_y @ np.asarray(prim.center)
        r = rot_y @ np.asarray(prim.frame)                  # columns: local axes in camera space
        inv_r2 = np.array([1.0 / v**2 for v in prim.radii])
        if prim.cylinder:
            inv_r2[1] = 0.0
        a = (r * inv_r2) @ r.T                              # quadric: d^T a d = 1
        azz = a[2, 2]
        # projected outline: u^T m u <= azz with u = (dx, dy)
        mxx = azz * a[0, 0] - a[0, 2] ** 2
        mxy = azz * a[0, 1] - a[0, 2] * a[1, 2]
        myy = azz * a[1, 1] - a[1, 2] ** 2
        if prim.cylinder:
            h = prim.radii[1]
            e = r[:, 1]
            side = math.hypot(r[0, 0] * prim.radii[0], r[0, 2] * prim.radii[2])
            sidey = math.hypot(r[1, 0] * prim.radii[0], r[1, 2] * prim.radii[2])
            ex = abs(e[0]) * h + side
            ey = abs(e[1]) * h + sidey
        else:
            sc = r * np.asarray(prim.radii)
            ex = math.sqrt(float(sc[0] @ sc[0]))
            ey = math.sqrt(float(sc[1] @ sc[1]))
        j0 = max(0, int(math.floor((c[0] - ex) / ps + self.w / 2)) - 2)
        j1 = min(self.w, int(math.ceil((c[0] + ex) / ps + self.w / 2)) + 2)
        i0 = max(0, int(math.floor(self.h / 2 - (c[1] + ey) / ps)) - 2)
        i1 = min(self.h, int(math.ceil(self.h / 2 - (c[1] - ey) / ps)) + 2)
        if j0 >= j1 or i0 >= i1:
            return
        b = self.bbox
        b[0], b[1], b[2], b[3] = min(b[0], i0), max(b[1], i1), min(b[2], j0), max(b[3], j1)

        dx = (self.xs[j0:j1] - _F(c[0]))[None, :]
        dy = (self.ys[i0:i1] - _F(c[1]))[:, None]
        f = _F
        gx = f(mxx) * dx + f(mxy) * dy                       # m u
        gy = f(mxy) * dx + f(myy) * dy
        disc = f(azz) - (gx * dx + gy * dy)                  # discriminant / 4
        gnorm = np.sqrt(gx * gx + gy * gy)
        gnorm *= f(2.0 * ps)
        gnorm += f(1e-12)
        # signed distance to the outline in pixels -> coverage of the pixel
        cov = disc / gnorm
        cov += f(0.5)
        np.clip(cov, 0.0, 1.0, out=cov)
        if not cov.any():
            return
        root = np.sqrt(np.maximum(disc, 0.0))
        dz = root - (f(a[0, 2]) * dx + f(a[1, 2]) * dy)
        dz *= f(1.0 / azz)                                   # front (towards the viewer) hit
        if prim.cylinder:
            t = f(e[0]) * dx + f(e[1]) * dy + f(e[2]) * dz   # position along the axis
            capcov = f(h / ps + 0.5) - np.abs(t) * f(1.0 / ps)
            np.clip(capcov, 0.0, 1.0, out=capcov)
            cov *= capcov
        z = dz + f(c[2])
        zold = self.z[i0:i1, j0:j1]
        # soft depth test over ~1.5 pixels of depth: smooth intersection curves
        w = z - zold
        w *= f(1.0 / (1.5 * ps))
        w += f(0.5)
        np.clip(w, 0.0, 1.0, out=w)
        w *= cov
        np.copyto(zold, z, where=w > 0.5)

        # shade only the pixels this surface contributes to (flat, compacted arrays)
        bw = j1 - j0
        idx = np.flatnonzero(w)
        if idx.size == 0:
            return
        rows = idx // bw
        cols = idx - rows * bw
        fi = (rows + i0) * self.w + (cols + j0)
        wf = w.ravel()[idx]
        dx = dx.ravel()[cols]
        dy = dy.ravel()[rows]
        dz = dz.ravel()[idx]
        _shade_into(self, prim, r, a, dx, dy, dz, wf, fi)

    def occlusion(self, strength: float = 6.0, radius_px: int = 18) -> None:
        """Soft contact shadows: darken where nearby surfaces are in front (depth unsharp mask)."""
        i0, i1, j0, j1 = self.bbox
        if i0 >= i1 or j0 >= j1:
            return
        k = 4
        pad = radius_px + k
        i0, i1 = max(0, i0 - pad), min(self.h, i1 + pad)
        j0, j1 = max(0, j0 - pad), min(self.w, j1 + pad)
        z = self.z[i0:i1, j0:j1]
        al = self.alpha[i0:i1, j0:j1]
        # fill the background with the surface depth just behind the object's rim,
        # so silhouettes do not read as occluders
        zf = np.where(al > 0, z, _F(-0.6))
        hh, ww = zf.shape
        sw, sh = max(1, ww // k), max(1, hh // k)
        small = np.asarray(Image.fromarray(zf, "F").resize((sw, sh), Image.Resampling.BOX), dtype=_F)
        rad = max(1, radius_px // (2 * k))
        for axis in (0, 1, 0, 1):
            small = _box_blur(small, rad, axis)
        blur = np.asarray(Image.fromarray(small, "F").resize((ww, hh), Image.Resampling.BILINEAR), dtype=_F)
        occ = blur - zf
        np.clip(occ, 0.0, 0.25, out=occ)
        occ *= _F(-strength)
        np.exp(occ, out=occ)
        occ = _F(0.35) + _F(0.65) * occ
        self.col[:, i0:i1, j0:j1] *= occ

    def to_image(self, transparent: bool) -> Image.Image:
        h, w = self.h, self.w
        i0, i1, j0, j1 = self.bbox
        planes = [np.full((h, w), 255, np.uint8) for _ in range(3)]
        a8_full = np.zeros((h, w), np.uint8)
        if i0 < i1 and j0 < j1:
            al = self.alpha[i0:i1, j0:j1]
            if transparent:
                a8 = al * _F(255.0)
                a8 += _F(0.5)
                a8 = a8.astype(np.uint8)
                a8_full[i0:i1, j0:j1] = a8
                inv = np.maximum(al, _F(1e-6))
                np.divide(_F(1.0), inv, out=inv)              # un-premultiply
                clear = (a8 == 0).astype(_F)                  # store transparent pixels as white
                for ch in range(3):
                    lin = self.col[ch, i0:i1, j0:j1] * inv
                    np.maximum(lin, clear, out=lin)
                    planes[ch][i0:i1, j0:j1] = _to_srgb8(lin)
            else:
                bg = _F(1.0) - al                              # white background, linear light
                for ch in range(3):
                    planes[ch][i0:i1, j0:j1] = _to_srgb8(self.col[ch, i0:i1, j0:j1] + bg)
        bands = [Image.fromarray(p, "L") for p in planes]
        if transparent:
            return Image.merge("RGBA", bands + [Image.fromarray(a8_full, "L")])
        return Image.merge("RGB", bands)


def _fast_atan2(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Vectorised atan2 (max error ~1e-5 rad), several times faster than np.arctan2."""
    ax = np.abs(x)
    ay = np.abs(y)
    mx = np.maximum(ax, ay)
    mn = np.minimum(ax, ay)
    mx += _F(1e-30)
    t = mn / mx
    s = t * t
    p = s * _F(-0.0464964749)
    p += _F(0.15931422)
    p *= s
    p -= _F(0.327622764)
    p *= s
    p *= t
    p += t
    np.subtract(_F(math.pi / 2), p, out=p, where=ay > ax)
    np.subtract(_F(math.pi), p, out=p, where=x < 0)
    np.negative(p, out=p, where=y < 0)
    return p


def _shade_into(canvas: "_Canvas", prim: _Prim, r: np.ndarray, a: np.ndarray, dx: np.ndarray,
                dy: np.ndarray, dz: np.ndarray, wf: np.ndarray, fi: np.ndarray) -> None:
    """Shade surface points (offsets dx, dy, dz from the centre, camera space) and blend
    them with weights ``wf`` into the canvas pixels at flat indices ``fi``."""
    f = _F
    # normal = a d (unnormalised); the front hit faces the viewer, so nz >= 0
    nx = f(a[0, 0]) * dx + f(a[0, 1]) * dy + f(a[0, 2]) * dz
    ny = f(a[1, 0]) * dx + f(a[1, 1]) * dy + f(a[1, 2]) * dz
    nz = f(a[2, 0]) * dx + f(a[2, 1]) * dy + f(a[2, 2]) * dz
    np.maximum(nz, 0.0, out=nz)
    inv = nx * nx + ny * ny
    inv += nz * nz
    inv += f(1e-20)
    np.sqrt(inv, out=inv)
    np.divide(f(1.0), inv, out=inv)
    nx *= inv
    ny *= inv
    nz *= inv

    mat = prim.material
    ndk = f(_KEY[0]) * nx + f(_KEY[1]) * ny + f(_KEY[2]) * nz
    np.maximum(ndk, 0.0, out=ndk)
    ndf = f(_FILL[0]) * nx + f(_FILL[1]) * ny + f(_FILL[2]) * nz
    np.maximum(ndf, 0.0, out=ndf)
    diffuse = ndk * f(_KEY_I)
    ndf *= f(_FILL_I)
    diffuse += ndf
    amb = ny * f(0.35 * _AMB_I)                              # hemisphere ambient
    amb += f(0.65 * _AMB_I)
    diffuse += amb
    spec = f(_HALF[0]) * nx + f(_HALF[1]) * ny + f(_HALF[2]) * nz
    np.maximum(spec, 0.0, out=spec)
    for _ in range(mat.shininess_pow2):
        spec *= spec
    spec *= f(mat.specular)
    rim = f(1.0) - nz
    rim *= rim
    rim *= rim
    rim *= f(_RIM_I)
    spec += rim

    # local coordinates (unit sphere) for the fibre texture and the tendon junction fade
    rr = prim.radii
    lx = f(r[0, 0] / rr[0]) * dx + f(r[1, 0] / rr[0]) * dy + f(r[2, 0] / rr[0]) * dz
    ly = f(r[0, 1] / rr[1]) * dx + f(r[1, 1] / rr[1]) * dy + f(r[2, 1] / rr[1]) * dz
    lz = f(r[0, 2] / rr[2]) * dx + f(r[1, 2] / rr[2]) * dy + f(r[2, 2] / rr[2]) * dz
    tex = _fast_atan2(lz, lx)
    tex *= f(mat.fibre_count)
    tex += ly * f(mat.fibre_twist)
    np.sin(tex, out=tex)
    tex *= f(mat.fibres)
    tex += f(1.0)
    diffuse *= tex
    if mat.tip_mix > 0:
        m = np.abs(ly)
        m -= f(0.55)
        m *= f(1.0 / 0.45)
        np.clip(m, 0.0, 1.0, out=m)
        m = m * m * (f(3.0) - f(2.0) * m)                    # smoothstep
        m *= f(mat.tip_mix)
    else:
        m = None

    for ch in range(3):
        alb = mat.albedo[ch]
        if m is None:
            sh = diffuse * f(alb)
        else:
            sh = m * f(mat.tip[ch] - alb)
            sh += f(alb)
            sh *= diffuse
        sh += spec
        plane = canvas.col[ch].reshape(-1)
        old = plane[fi]
        sh -= old
        sh *= wf
        old += sh
        plane[fi] = old
    plane = canvas.alpha.reshape(-1)
    old = plane[fi]
    old += wf * (f(1.0) - old)
    plane[fi] = old


def _box_blur(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    """Box blur of radius ``r`` along ``axis`` with edge padding (cumulative sums)."""
    pad = [(0, 0), (0, 0)]
    pad[axis] = (r + 1, r)
    p = np.pad(a, pad, mode="edge").astype(np.float64)
    cs = np.cumsum(p, axis=axis)
    n = a.shape[axis]
    hi = np.take(cs, np.arange(2 * r + 1, 2 * r + 1 + n), axis=axis)
    lo = np.take(cs, np.arange(0, n), axis=axis)
    return ((hi - lo) / (2 * r + 1)).astype(_F)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height), not {size!r}") from None
    if w < 8 or h < 8 or w * h > 40_000_000:
        raise ValueError(f"size out of range: {w}x{h}")
    return w, h


def render_frame(
    index: int,
    frames: int,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
) -> Image.Image:
    """Render orientation ``index`` (1-based) of ``frames``.

    ``size`` is (width, height).  Returns an RGB image on white, or with
    ``transparent=True`` an RGBA image whose background is fully transparent
    (stored as transparent white) with anti-aliased, partially transparent
    silhouette edges.  ``seed`` chooses the scene (number, shape, placement and
    colour of the muscle bellies, the bones); ``bellies`` (1-4) overrides the
    number of bellies the seed would pick.
    """
    if frames < 1:
        raise ValueError(f"frames must be >= 1, not {frames}")
    if not 1 <= index <= frames:
        raise ValueError(f"index must be in 1..{frames}, not {index}")
    w, h = _check_size(size)
    return _render(_build_scene(int(seed), bellies), index, frames, w, h, transparent)


def _render(scene: tuple[_Prim, ...], index: int, frames: int, w: int, h: int, transparent: bool) -> Image.Image:
    theta = 2.0 * math.pi * (index - 1) / frames
    ct, st = math.cos(theta), math.sin(theta)
    rot_y = np.array([[ct, 0.0, st], [0.0, 1.0, 0.0], [-st, 0.0, ct]])
    # back to front by camera-space depth of each centre (ties broken by scene order)
    order = sorted(range(len(scene)), key=lambda i: (float((rot_y @ np.asarray(scene[i].center))[2]), i))
    canvas = _Canvas(w, h)
    for i in order:
        canvas.draw(scene[i], rot_y)
    canvas.occlusion(radius_px=max(4, round(18 * h / 800)))
    return canvas.to_image(transparent)


def render_sequence(
    frames: int = DEFAULT_FRAMES,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
) -> Iterator[Image.Image]:
    """Iterate over the ``frames`` orientations of one scene, orientation 1 first.

    Arguments are checked at the call; frames are rendered lazily, one at a time.
    """
    if frames < 1:
        raise ValueError(f"frames must be >= 1, not {frames}")
    w, h = _check_size(size)
    scene = _build_scene(int(seed), bellies)
    return (_render(scene, k, frames, w, h, transparent) for k in range(1, frames + 1))


def _png_bytes(img: Image.Image, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes:
    buf = io.BytesIO()
    # No pnginfo / icc / dpi: the bytes depend on the pixels and the compress level only.
    img.save(buf, format="PNG", compress_level=compress_level, optimize=False)
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:      # unchanged: keep the file (and its mtime) as is
            return
    except OSError:
        pass
    write_bytes(path, data)  # under a temporary name a build's sweep recognises, renamed into place


def write_sequence(
    out_dir: Path,
    stem: str,
    frames: int = DEFAULT_FRAMES,
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    seed: int = 0,
    transparent: bool = False,
    bellies: int | None = None,
    compress_level: int = PNG_COMPRESS_LEVEL,
) -> list[Path]:
    """Write ``<stem>-1.png ... <stem>-<frames>.png`` into ``out_dir``; return the paths.

    Each file is written atomically (``pipeline.content.atomic``: a temporary
    name in ``out_dir``, then renamed); a file whose bytes would not change is
    left untouched.
    """
    if not 0 <= compress_level <= 9:
        raise ValueError(f"compress_level must be 0..9, not {compress_level}")
    if not stem or "/" in stem or "\\" in stem or stem in (".", ".."):
        raise ValueError(f"bad stem: {stem!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, img in enumerate(render_sequence(frames, size, seed=seed, transparent=transparent, bellies=bellies), 1):
        p = out / f"{stem}-{k}.png"
        _write_atomic(p, _png_bytes(img, compress_level))
        paths.append(p)
    return paths


def seed_for(stem: str) -> int:
    """A stable 32-bit seed for a sequence name (SHA-256 based, same in every process)."""
    return int.from_bytes(hashlib.sha256(stem.encode("utf-8")).digest()[:4], "big")


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        return _check_size((int(w), int(h)))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 600x800, not {text!r}") from None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.support.renders",
        description="Write a deterministic synthetic muscle render sequence NAME-1.png ... NAME-N.png.",
    )
    ap.add_argument("--frames", type=int, default=DEFAULT_FRAMES, help="orientations (default: %(default)s)")
    ap.add_argument("--size", type=_parse_size, default=DEFAULT_SIZE, metavar="WxH",
                    help="frame size (default: 600x800)")
    ap.add_argument("--seed", type=int, default=None, help="scene seed (default: derived from --name)")
    ap.add_argument("--bellies", type=int, choices=(1, 2, 3, 4), default=None,
                    help="number of muscle bellies (default: chosen by the seed)")
    ap.add_argument("--transparent", action="store_true", help="RGBA with a transparent background")
    ap.add_argument("--compress-level", type=int, choices=range(10), default=PNG_COMPRESS_LEVEL, metavar="0-9",
                    help="PNG zlib level (default: %(default)s)")
    ap.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created)")
    ap.add_argument("--name", required=True, metavar="STEM", help="file name stem, e.g. Leg-Lateral")
    args = ap.parse_args(argv)
    if args.frames < 1:
        ap.error("--frames must be >= 1")
    seed = seed_for(args.name) if args.seed is None else args.seed
    try:
        paths = write_sequence(args.out, args.name, args.frames, args.size, seed=seed,
                               transparent=args.transparent, bellies=args.bellies,
                               compress_level=args.compress_level)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(paths)} frames {args.size[0]}x{args.size[1]} (seed {seed}) to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
