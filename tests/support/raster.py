"""The rasteriser of the synthetic renders (``tests.support.renders``).

Every surface is a quadric seen through an orthographic camera, so each pixel's front hit is the root of a
quadratic that numpy solves for a whole bounding box at once. The surfaces are composited back to front with a
*soft* depth test and an analytic silhouette coverage (signed distance to the projected outline), which gives
anti-aliased outer edges, occlusion edges and intersection curves without super-sampling. Lighting (key + fill
diffuse, Blinn-Phong specular, hemisphere ambient, rim) is computed in linear light and converted to sRGB through
a lookup table. Every step is a fixed sequence of float32 numpy operations: the same scene gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from PIL import Image

from tests.support.scene import Prim

_F = np.float32
# World units: the frame height always spans this many units, so a scene looks
# the same at every resolution.
_VIEW_HEIGHT = 2.2

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


def _norm3(v: Sequence[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    return a / np.linalg.norm(a)


_KEY = _norm3((-0.55, 0.65, 0.75))
_FILL = _norm3((0.8, -0.05, 0.45))
_HALF = _norm3(_KEY + np.array([0.0, 0.0, 1.0]))
_KEY_I, _FILL_I, _AMB_I, _RIM_I = 0.95, 0.28, 0.16, 0.22


@dataclass
class _Quadric:
    """A surface in camera space: ``d^T a d = 1`` for offsets ``d`` from its centre ``c``, with its projected
    outline ``u^T m u <= azz`` (``m`` = [[mxx, mxy], [mxy, myy]]) and half extents ``ex``, ``ey`` on screen."""

    c: np.ndarray
    r: np.ndarray  # columns: local axes in camera space
    a: np.ndarray
    azz: float
    mxx: float
    mxy: float
    myy: float
    ex: float
    ey: float
    e: np.ndarray | None = None  # a cylinder's axis
    h: float = 0.0  # a cylinder's half length


def _quadric(prim: Prim, rot_y: np.ndarray) -> _Quadric:
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
        return _Quadric(c, r, a, azz, mxx, mxy, myy, abs(e[0]) * h + side, abs(e[1]) * h + sidey, e, h)
    sc = r * np.asarray(prim.radii)
    return _Quadric(c, r, a, azz, mxx, mxy, myy, math.sqrt(float(sc[0] @ sc[0])), math.sqrt(float(sc[1] @ sc[1])))


def _front_hit(prim: Prim, q: _Quadric, dx: np.ndarray, dy: np.ndarray, ps: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(coverage of each pixel, depth offset of the front hit) over a box, or None when nothing is covered."""
    f = _F
    a, azz = q.a, q.azz
    gx = f(q.mxx) * dx + f(q.mxy) * dy                   # m u
    gy = f(q.mxy) * dx + f(q.myy) * dy
    disc = f(azz) - (gx * dx + gy * dy)                  # discriminant / 4
    gnorm = np.sqrt(gx * gx + gy * gy)
    gnorm *= f(2.0 * ps)
    gnorm += f(1e-12)
    # signed distance to the outline in pixels -> coverage of the pixel
    cov = disc / gnorm
    cov += f(0.5)
    np.clip(cov, 0.0, 1.0, out=cov)
    if not cov.any():
        return None
    root = np.sqrt(np.maximum(disc, 0.0))
    dz = root - (f(a[0, 2]) * dx + f(a[1, 2]) * dy)
    dz *= f(1.0 / azz)                                   # front (towards the viewer) hit
    if prim.cylinder:
        e, h = q.e, q.h
        t = f(e[0]) * dx + f(e[1]) * dy + f(e[2]) * dz   # position along the axis
        capcov = f(h / ps + 0.5) - np.abs(t) * f(1.0 / ps)
        np.clip(capcov, 0.0, 1.0, out=capcov)
        cov *= capcov
    return cov, dz


class Canvas:
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

    def draw(self, prim: Prim, rot_y: np.ndarray) -> None:
        q = _quadric(prim, rot_y)
        ps = self.ps
        c = q.c
        j0 = max(0, int(math.floor((c[0] - q.ex) / ps + self.w / 2)) - 2)
        j1 = min(self.w, int(math.ceil((c[0] + q.ex) / ps + self.w / 2)) + 2)
        i0 = max(0, int(math.floor(self.h / 2 - (c[1] + q.ey) / ps)) - 2)
        i1 = min(self.h, int(math.ceil(self.h / 2 - (c[1] - q.ey) / ps)) + 2)
        if j0 >= j1 or i0 >= i1:
            return
        b = self.bbox
        b[0], b[1], b[2], b[3] = min(b[0], i0), max(b[1], i1), min(b[2], j0), max(b[3], j1)

        dx = (self.xs[j0:j1] - _F(c[0]))[None, :]
        dy = (self.ys[i0:i1] - _F(c[1]))[:, None]
        hit = _front_hit(prim, q, dx, dy, ps)
        if hit is None:
            return
        cov, dz = hit
        f = _F
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
        _shade_into(self, prim, q.r, q.a, dx, dy, dz, wf, fi)

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


def _shade_into(canvas: "Canvas", prim: Prim, r: np.ndarray, a: np.ndarray, dx: np.ndarray,
                dy: np.ndarray, dz: np.ndarray, wf: np.ndarray, fi: np.ndarray) -> None:
    """Shade surface points (offsets dx, dy, dz from the centre, camera space) and blend
    them with weights ``wf`` into the canvas pixels at flat indices ``fi``."""
    nx, ny, nz = _unit_normals(a, dx, dy, dz)
    mat = prim.material
    diffuse, spec = _light(mat, nx, ny, nz)
    tex, m = _texture(prim, r, dx, dy, dz)
    diffuse *= tex
    _blend(canvas, mat, diffuse, spec, m, wf, fi)


def _unit_normals(a: np.ndarray, dx: np.ndarray, dy: np.ndarray, dz: np.ndarray) -> tuple[np.ndarray, ...]:
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
    return nx, ny, nz


def _light(mat, nx: np.ndarray, ny: np.ndarray, nz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(diffuse with ambient, specular with rim) for unit normals."""
    f = _F
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
    return diffuse, spec


def _texture(prim: Prim, r: np.ndarray, dx: np.ndarray, dy: np.ndarray, dz: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(fibre texture factor, tendon junction fade or None), from local coordinates on the unit sphere."""
    f = _F
    mat = prim.material
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
    if mat.tip_mix <= 0:
        return tex, None
    m = np.abs(ly)
    m -= f(0.55)
    m *= f(1.0 / 0.45)
    np.clip(m, 0.0, 1.0, out=m)
    m = m * m * (f(3.0) - f(2.0) * m)                    # smoothstep
    m *= f(mat.tip_mix)
    return tex, m


def _blend(canvas: "Canvas", mat, diffuse: np.ndarray, spec: np.ndarray, m: np.ndarray | None, wf: np.ndarray, fi: np.ndarray) -> None:
    f = _F
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

