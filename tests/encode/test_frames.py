"""Frame loading: every PNG flavour becomes 8-bit RGB/RGBA; bad files become a FrameError."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from PIL import Image

from pipeline.encode.frames import FrameError, load_frames, read_frame_info
from pipeline.encode.settings import EncodeSettings

from .conftest import apng_bytes, png_bytes, render, save_pngs

S = EncodeSettings()


def test_rgb_sequence(tmp_path):
    src = render(4)
    fr = load_frames(save_pngs(tmp_path, src), S)
    assert fr.size == (32, 24) and len(fr) == 4 and not fr.has_alpha
    for a, b in zip(fr.images, src):
        assert a.dtype == np.uint8 and a.shape == (24, 32, 3)
        assert np.array_equal(a, b)


def test_rgba_partial_alpha_kept_exactly(tmp_path):
    src = render(3, transparent=True)
    fr = load_frames(save_pngs(tmp_path, src), S)
    assert fr.has_alpha
    for a, b in zip(fr.images, src):
        assert a.shape == (24, 32, 4)
        assert np.array_equal(a, b)
    assert any(((a[..., 3] > 0) & (a[..., 3] < 255)).any() for a in fr.images)


def test_fully_opaque_rgba_loads_as_rgb(tmp_path):
    src = [np.dstack([a, np.full(a.shape[:2], 255, np.uint8)]) for a in render(2)]
    fr = load_frames(save_pngs(tmp_path, src), S)
    assert not fr.has_alpha and fr.images[0].shape == (24, 32, 3)


def test_mixed_rgb_and_rgba_frames_all_get_alpha(tmp_path):
    opaque = render(1)[0]
    clear = render(1, transparent=True)[0]
    paths = save_pngs(tmp_path, [opaque, clear])
    fr = load_frames(paths, S)
    assert fr.has_alpha
    assert fr.images[0].shape == (24, 32, 4) and (fr.images[0][..., 3] == 255).all()
    assert np.array_equal(fr.images[0][..., :3], opaque)


def test_16bit_greyscale_is_scaled_not_clipped(tmp_path):
    values = np.array([[0, 257, 32896, 65535], [128, 40000, 65280, 1000]], np.uint16)
    p = tmp_path / "g16-1.png"
    p.write_bytes(png_bytes(4, 2, 0, 16, values.astype(">u2").tobytes()))
    with Image.open(p) as im:
        assert im.mode.startswith("I")
    fr = load_frames([p], S)
    got = fr.images[0]
    assert got.shape == (2, 4, 3)
    expect = np.rint(values / 257.0).astype(np.uint8)
    assert np.array_equal(got[..., 0], expect)
    assert np.array_equal(got[..., 0], got[..., 2])


def test_16bit_greyscale_with_transparent_value(tmp_path):
    values = np.array([[0, 5000, 65535]], np.uint16)
    p = tmp_path / "g16t-1.png"
    p.write_bytes(png_bytes(3, 1, 0, 16, values.astype(">u2").tobytes(),
                            extra=[(b"tRNS", struct.pack(">H", 5000))]))
    fr = load_frames([p], S)
    assert fr.has_alpha
    assert fr.images[0][0, :, 3].tolist() == [255, 0, 255]


def test_16bit_rgb_and_rgba(tmp_path):
    rgb = np.array([[[65535, 0, 32896], [257, 514, 771]]], np.uint16)
    p = tmp_path / "c16-1.png"
    p.write_bytes(png_bytes(2, 1, 2, 16, rgb.astype(">u2").tobytes()))
    fr = load_frames([p], S)
    assert fr.images[0].tolist() == [[[255, 0, 128], [1, 2, 3]]]
    rgba = np.array([[[65535, 0, 0, 65535], [0, 65535, 0, 32896]]], np.uint16)
    q = tmp_path / "c16a-1.png"
    q.write_bytes(png_bytes(2, 1, 6, 16, rgba.astype(">u2").tobytes()))
    fr = load_frames([q], S)
    assert fr.has_alpha and fr.images[0].tolist() == [[[255, 0, 0, 255], [0, 255, 0, 128]]]


def test_greyscale_palette_and_bilevel(tmp_path):
    grey = (np.arange(32 * 24).reshape(24, 32) % 256).astype(np.uint8)
    Image.fromarray(grey, "L").save(tmp_path / "l-1.png")
    fr = load_frames([tmp_path / "l-1.png"], S)
    assert np.array_equal(fr.images[0], np.dstack([grey] * 3))

    pal = Image.fromarray((grey % 4).astype(np.uint8), "P")
    pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
    pal.save(tmp_path / "p-1.png")
    fr = load_frames([tmp_path / "p-1.png"], S)
    assert not fr.has_alpha
    assert fr.images[0][0, :4].tolist() == [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30]]

    Image.fromarray(grey > 100).save(tmp_path / "one-1.png")
    fr = load_frames([tmp_path / "one-1.png"], S)
    assert set(np.unique(fr.images[0]).tolist()) <= {0, 255}


def test_palette_with_transparency(tmp_path):
    idx = np.array([[0, 1, 2, 3]], np.uint8)
    pal = Image.fromarray(idx, "P")
    pal.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])
    pal.save(tmp_path / "pt-1.png", transparency=bytes([255, 0, 128, 255]))
    fr = load_frames([tmp_path / "pt-1.png"], S)
    assert fr.has_alpha
    assert fr.images[0][0, :, 3].tolist() == [255, 0, 128, 255]
    assert fr.images[0][0, 0, :3].tolist() == [255, 0, 0]


def test_la_and_grey_with_trns(tmp_path):
    la = np.dstack([np.full((2, 3), 77, np.uint8), np.array([[0, 100, 255], [255, 255, 1]], np.uint8)])
    Image.fromarray(la, "LA").save(tmp_path / "la-1.png")
    fr = load_frames([tmp_path / "la-1.png"], S)
    assert fr.images[0][..., 3].tolist() == [[0, 100, 255], [255, 255, 1]]
    assert (fr.images[0][..., :3] == 77).all()

    grey = np.array([[5, 6, 7]], np.uint8)
    Image.fromarray(grey, "L").save(tmp_path / "lt-1.png", transparency=6)
    fr = load_frames([tmp_path / "lt-1.png"], S)
    assert fr.images[0][0, :, 3].tolist() == [255, 0, 255]


# ---------------------------------------------------------------------------
# refusals: each names the file and says why, in one line


def _refused(paths, settings=S) -> FrameError:
    with pytest.raises(FrameError) as e:
        load_frames(paths, settings)
    msg = str(e.value)
    assert "Traceback" not in msg and "\n" not in msg
    return e.value


def test_zero_byte_file(tmp_path):
    good = save_pngs(tmp_path, render(2))
    empty = tmp_path / "Seq-3.png"
    empty.write_bytes(b"")
    err = _refused([*good, empty])
    assert err.path == empty and "Seq-3.png" in str(err)


def test_truncated_png(tmp_path):
    good = save_pngs(tmp_path, render(3))
    data = good[1].read_bytes()
    good[1].write_bytes(data[: len(data) // 2])
    err = _refused(good)
    assert err.path == good[1]
    assert "truncated" in err.reason or "damaged" in err.reason


def test_jpeg_named_png(tmp_path):
    p = tmp_path / "Seq-1.png"
    Image.fromarray(render(1)[0]).save(p, format="JPEG")
    err = _refused([p])
    assert err.path == p and "JPEG" in err.reason and "PNG" in err.reason


def test_text_named_png(tmp_path):
    p = tmp_path / "Seq-1.png"
    p.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n")
    err = _refused([p])
    assert err.path == p and "not an image" in err.reason


def test_missing_file(tmp_path):
    err = _refused([tmp_path / "nope-1.png"])
    assert "not found" in err.reason


def test_animated_png_refused(tmp_path):
    p = tmp_path / "Seq-1.png"
    p.write_bytes(apng_bytes(render(3)))
    with Image.open(p) as im:
        assert getattr(im, "n_frames", 1) == 3
    err = _refused([p])
    assert "animated" in err.reason and "3 frames" in err.reason


def test_oversized_refused_before_decoding(tmp_path):
    # a header claiming 50000 x 50000 pixels over a few bytes of data: refused from the header
    p = tmp_path / "Seq-1.png"
    p.write_bytes(png_bytes(50000, 50000, 2, 8, b"", idat=b"x\x9c\x03\x00\x00\x00\x00\x01"))
    err = _refused([p])
    assert "over the limit" in err.reason and "50000x50000" in err.reason
    small = save_pngs(tmp_path / "s", render(1))
    err = _refused(small, EncodeSettings(max_pixels=100))
    assert "max_pixels" in err.reason


def test_mismatched_sizes(tmp_path):
    a = save_pngs(tmp_path, render(2))
    b = tmp_path / "Seq-3.png"
    Image.fromarray(render(1, 30, 24)[0]).save(b)
    err = _refused([*a, b])
    assert err.path == b and "30x24" in err.reason and "32x24" in err.reason


def test_too_many_frames_and_none(tmp_path):
    paths = save_pngs(tmp_path, render(3))
    err = _refused(paths, EncodeSettings(max_frames=2))
    assert err.path == paths[2] and "max_frames" in err.reason
    with pytest.raises(FrameError):
        load_frames([], S)


def test_read_frame_info_does_not_decode(tmp_path):
    p = tmp_path / "Seq-1.png"
    p.write_bytes(png_bytes(50000, 40000, 6, 8, b"", idat=b"x\x9c\x03\x00\x00\x00\x00\x01"))
    info = read_frame_info(p, S)
    assert (info.format, info.size, info.mode, info.n_frames, info.transparency) == \
        ("PNG", (50000, 40000), "RGBA", 1, True)
    q = tmp_path / "Seq-2.png"
    q.write_bytes(apng_bytes(render(2)))
    assert read_frame_info(q).n_frames == 2
    j = tmp_path / "Seq-3.png"
    Image.fromarray(render(1)[0]).save(j, format="JPEG")
    assert read_frame_info(j).format == "JPEG"
    with pytest.raises(FrameError):
        read_frame_info(tmp_path / "missing.png")


def test_errors_survive_pickling(tmp_path):
    import pickle

    from pipeline.encode.tools import EncodeError

    e = pickle.loads(pickle.dumps(FrameError(tmp_path / "x-1.png", "is broken")))
    assert isinstance(e, FrameError) and e.path == tmp_path / "x-1.png" and e.reason == "is broken"
    assert str(e).endswith("x-1.png: is broken")
    f = pickle.loads(pickle.dumps(EncodeError("ffmpeg failed", tool_output="last line")))
    assert f.message == "ffmpeg failed" and f.tool_output == "last line" and "last line" in str(f)
