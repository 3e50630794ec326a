"""Published renders: the source PNG recompressed losslessly (oxipng) -- every pixel identical, never larger,
the colour chunks kept, deterministic."""

from __future__ import annotations

import functools
import io
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from pipeline.encode import render as render_mod
from pipeline.encode.render import optimise_png, publish_render, same_pixels
from pipeline.encode.settings import EncodeSettings
from pipeline.encode.tools import EncodeError
from tests.support.renders import render_frame, seed_for

REPO = Path(__file__).resolve().parents[2]


def png(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", **kw)
    return buf.getvalue()


def samples(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("I") if im.mode.startswith("I") else im.convert("RGBA"))


def realistic(transparent: bool = False) -> bytes:
    """A render from the project's generator, as the renderer writes it (zlib level 4)."""
    return png(render_frame(3, 16, (300, 400), seed=seed_for("Thigh-Anterior"), transparent=transparent), compress_level=4)


@functools.lru_cache(maxsize=None)
def variety() -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)
    noise[:10, :, 3] = 0  # fully transparent pixels whose colours must survive
    grey16 = (rng.integers(0, 4096, (30, 20)) * 16).astype(np.uint16)
    palette = Image.fromarray(noise[..., :3]).quantize(64)
    return {
        "realistic RGB": realistic(),
        "realistic RGBA": realistic(transparent=True),
        "RGBA with hidden colours": png(Image.fromarray(noise, "RGBA")),
        "palette with transparency": png(palette, transparency=3),
        "grey": png(Image.fromarray(noise[..., 0], "L")),
        "grey with alpha": png(Image.fromarray(noise[..., :2].copy(), "LA")),
        "16-bit grey": png(Image.fromarray(grey16)),
        "flat colour": png(Image.new("RGB", (64, 48), (200, 60, 50))),
    }


KINDS = ("realistic RGB", "realistic RGBA", "RGBA with hidden colours", "palette with transparency", "grey", "grey with alpha",
         "16-bit grey", "flat colour")


def test_every_kind_of_png_is_covered():
    assert tuple(variety()) == KINDS


@pytest.mark.parametrize("name", KINDS)
def test_pixels_identical_and_never_larger(name):
    data = variety()[name]
    out = optimise_png(data, 1)
    assert len(out) <= len(data)
    assert np.array_equal(samples(out), samples(data)), name
    with Image.open(io.BytesIO(out)) as a, Image.open(io.BytesIO(data)) as b:
        assert a.size == b.size


def test_realistic_renders_shrink():
    data = realistic()
    assert len(optimise_png(data, 1)) < 0.95 * len(data)


def test_demo_renders_are_published_with_identical_pixels(tmp_path):
    """Every demo render in raw/images, through the build's encoder."""
    renders = sorted((REPO / "raw" / "images" / "muscles" / "png").glob("*.png"))
    assert len(renders) == 48
    total_in = total_out = 0
    for src in renders:
        dest = tmp_path / src.name
        publish_render(src, dest, EncodeSettings())
        assert np.array_equal(samples(dest.read_bytes()), samples(src.read_bytes())), src.name
        total_in += src.stat().st_size
        total_out += dest.stat().st_size
    assert total_out < total_in


def test_colour_chunks_kept_text_dropped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "some renderer 1.0")
    plain = png(Image.new("RGB", (32, 24), (10, 120, 200)), pnginfo=info, compress_level=1)
    data = _with_chunk(plain, b"gAMA", (45455).to_bytes(4, "big"))  # (Pillow writes no gAMA of its own)
    assert b"gAMA" in data and b"tEXt" in data
    out = optimise_png(data, 1)
    assert b"gAMA" in out and b"tEXt" not in out and len(out) < len(data)
    with Image.open(io.BytesIO(out)) as im:
        assert im.info.get("gamma") == pytest.approx(0.45455)
    srgb = _with_chunk(plain, b"sRGB", b"\x00")
    out = optimise_png(srgb, 1)
    assert b"sRGB" in out and b"tEXt" not in out  # (gAMA may go: sRGB overrides it in every decoder)
    assert np.array_equal(samples(out), samples(srgb))


def _with_chunk(data: bytes, kind: bytes, body: bytes) -> bytes:
    """``data`` with a chunk inserted right after IHDR."""
    import struct

    end_ihdr = 8 + 8 + 13 + 4
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:end_ihdr] + chunk + data[end_ihdr:]


def test_deterministic():
    data = realistic()
    assert optimise_png(data, 1) == optimise_png(data, 1)


def test_unreadable_png_is_an_encode_error(tmp_path):
    bad = tmp_path / "x.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\nnot a png at all")
    with pytest.raises(EncodeError, match="oxipng cannot read it"):
        publish_render(bad, tmp_path / "out.png", EncodeSettings())


def test_a_result_whose_pixels_differ_is_never_published(tmp_path, monkeypatch):
    src = tmp_path / "src.png"
    src.write_bytes(realistic())
    other = png(Image.new("RGB", (300, 400), (0, 0, 0)))
    monkeypatch.setattr(render_mod, "optimise_png", lambda data, level: other)
    publish_render(src, tmp_path / "out.png", EncodeSettings())
    assert (tmp_path / "out.png").read_bytes() == src.read_bytes()
    assert not same_pixels(src.read_bytes(), other)


def _optimise_in_child(data: bytes, conn) -> None:
    try:
        conn.send(optimise_png(data, 1))
    except Exception as e:  # noqa: BLE001 - reported to the parent
        conn.send(repr(e))


def test_a_child_forked_after_a_call_still_optimises():
    """oxipng's threads do not survive fork: a forked child of a process that called it once must not hang."""
    import multiprocessing

    data = realistic()
    here = optimise_png(data, 1)  # starts the thread pool in this process
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_optimise_in_child, args=(data, child))
    p.start()
    p.join(120)
    if p.is_alive():
        p.kill()
        pytest.fail("the forked child hung in the optimiser")
    assert parent.poll() and parent.recv() == here


def test_a_fresh_process_reports_an_unreadable_png(monkeypatch):
    monkeypatch.setattr(render_mod, "_pool_pid", -1)  # as in a child forked after a call
    with pytest.raises(EncodeError, match="oxipng cannot read it"):
        optimise_png(b"\x89PNG\r\n\x1a\nnot a png at all", 1)
    assert optimise_png(realistic(), 1) == render_mod._optimise_here(realistic(), 1)
