"""The scene of a synthetic render (``tests.support.renders``): one or two bone shafts with their knobby ends and
one to four fusiform muscle bellies with their tendons, each surface a quadric (an ellipsoid, or a capped
cylinder for a bone shaft) with a material. The scene depends only on the seed (and the number of bellies when
given): every random choice comes from one generator seeded with it, drawn in a fixed order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np


def _lin(srgb: Sequence[float]) -> np.ndarray:
    """sRGB components in [0, 1] -> linear light."""
    c = np.asarray(srgb, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)



@dataclass(frozen=True)
class Material:
    albedo: tuple[float, float, float]      # linear RGB
    tip: tuple[float, float, float]         # linear RGB towards the ends (tendon junction)
    tip_mix: float                          # 0 = no fade towards the ends
    specular: float
    shininess_pow2: int                     # shininess = 2 ** shininess_pow2
    fibres: float                           # fibre texture amplitude (0 = none)
    fibre_count: float                      # stripes around the long axis
    fibre_twist: float                      # stripe phase change along the long axis


@dataclass(frozen=True)
class Prim:
    """An ellipsoid, or (``cylinder=True``) a capped elliptic cylinder along local y."""

    center: tuple[float, float, float]
    frame: tuple[tuple[float, float, float], ...]  # 3x3, columns = local x, y, z in world
    radii: tuple[float, float, float]              # semi-axes; for a cylinder radii[1] = half length
    material: Material
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




def build_scene(seed: int, bellies: int | None = None) -> tuple[Prim, ...]:
    """The scene for ``seed``: bone, muscle bellies, tendons (world space, y up)."""
    rng = np.random.default_rng(np.random.SeedSequence([0x6D75_7363, seed & 0xFFFF_FFFF_FFFF_FFFF]))
    prims = _bones(rng)
    n = int(bellies) if bellies is not None else int(rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25]))
    if not 1 <= n <= 4:
        raise ValueError(f"bellies must be 1..4, not {n}")
    span = {1: 0.0, 2: 0.5, 3: 0.66, 4: 0.75}[n]   # width over which belly centres are spread
    width = {1: 0.38, 2: 0.23, 3: 0.18, 4: 0.15}[n]
    tendon_col = tuple(_lin((0.93, 0.90, 0.84)))
    tendon = Material(
        albedo=tendon_col, tip=tendon_col, tip_mix=0.0, specular=0.35,
        shininess_pow2=5, fibres=0.03, fibre_count=7.0, fibre_twist=1.0,
    )
    for i in range(n):
        prims += _belly(rng, i, n, span, width, tendon)
    return tuple(prims)


def _bones(rng: np.random.Generator) -> list[Prim]:
    """A tibia-like shaft with two knobby ends, slightly behind the muscles, and perhaps a slender second bone."""
    bone_col = _lin((0.90 + rng.uniform(-0.03, 0.02), 0.87 + rng.uniform(-0.03, 0.02), 0.78))
    bone = Material(
        albedo=tuple(bone_col), tip=tuple(bone_col), tip_mix=0.0, specular=0.18,
        shininess_pow2=4, fibres=0.025, fibre_count=9.0, fibre_twist=2.0,
    )
    bx = rng.uniform(-0.22, -0.08)
    bz = rng.uniform(-0.22, -0.12)
    tilt = rng.uniform(-0.06, 0.06)
    brot = _rot(0.0, rng.uniform(0, math.pi), tilt)
    shaft_r = rng.uniform(0.065, 0.08)
    prims = [Prim((bx, 0.0, bz), _frame_tuple(brot), (shaft_r, 0.94, shaft_r * 0.9), bone, cylinder=True)]
    axis = brot[:, 1]
    top = np.array([bx, 0.0, bz]) + axis * 0.94
    bot = np.array([bx, 0.0, bz]) - axis * 0.94
    prims.append(Prim(tuple(top), _frame_tuple(_rot(0.0, rng.uniform(0, math.pi), tilt)),
                      (rng.uniform(0.20, 0.25), 0.10, rng.uniform(0.15, 0.19)), bone))
    prims.append(Prim(tuple(bot), _frame_tuple(_rot(0.0, rng.uniform(0, math.pi), tilt)),
                      (rng.uniform(0.13, 0.16), 0.085, rng.uniform(0.11, 0.14)), bone))
    if rng.random() < 0.5:  # a slender second bone (fibula-like) further back
        fx = bx + rng.uniform(0.22, 0.3)
        fz = bz - rng.uniform(0.04, 0.1)
        frot = _rot(0.0, 0.0, tilt + rng.uniform(-0.04, 0.04))
        prims.append(Prim((fx, -0.05, fz), _frame_tuple(frot), (0.035, 0.85, 0.035), bone, cylinder=True))
        for sgn in (1, -1):
            c = np.array([fx, -0.05, fz]) + sgn * frot[:, 1] * 0.85
            prims.append(Prim(tuple(c), _frame_tuple(frot), (0.065, 0.07, 0.06), bone))
    return prims


def _belly(rng: np.random.Generator, i: int, n: int, span: float, width: float, tendon: Material) -> list[Prim]:
    """Muscle belly ``i`` of ``n``: a spindle (two ellipsoids) with a short proximal and a long distal tendon."""
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
    muscle = Material(
        albedo=tuple(_lin(muscle_srgb)), tip=tuple(_lin((0.86, 0.62, 0.55))), tip_mix=0.75,
        specular=rng.uniform(0.45, 0.6), shininess_pow2=5, fibres=rng.uniform(0.07, 0.1),
        fibre_count=float(rng.integers(28, 44)), fibre_twist=rng.uniform(1.5, 4.0),
    )
    c = np.array([x0, y0, z0])
    prims = [Prim(tuple(c), _frame_tuple(rot), (ax_, ay_, az_), muscle)]
    # a slimmer, longer core makes the belly spindle-shaped rather than egg-shaped
    prims.append(Prim(tuple(c), _frame_tuple(rot), (ax_ * 0.58, ay_ * 1.22, az_ * 0.6), muscle))
    up = rot[:, 1]
    # proximal tendon (short, flat) and distal tendon (long, Achilles-like)
    lp = rng.uniform(0.17, 0.21)
    prims.append(Prim(tuple(c + up * (ay_ + lp * 0.5)), _frame_tuple(rot), (ax_ * 0.2, lp, az_ * 0.16), tendon))
    ld = rng.uniform(0.24, 0.28) if n > 1 else rng.uniform(0.2, 0.23)
    flat = 0.17 if n > 1 else 0.3    # a single broad belly ends in a broad, flat tendon
    prims.append(Prim(tuple(c - up * (ay_ + ld * 0.5)), _frame_tuple(rot),
                      (ax_ * flat + 0.012, ld, az_ * 0.15 + 0.008), tendon))
    return prims
