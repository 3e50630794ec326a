"""Fingerprints: each kind of change that shapes an output changes its fingerprint; nothing else does."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from pipeline.encode.settings import EncodeSettings
from pipeline.build.fingerprint import NOT_SHAPING, SETTINGS_FOR, Fingerprinter, encoder_source_digest, hash_file, settings_for, tool_versions

A, B, C = "a" * 64, "b" * 64, "c" * 64
TOOLS = {k: {"pipeline": "1", "Pillow": "10", "numpy": "2"} for k in SETTINGS_FOR}


def fp(kind="gif", frames=(A, B, C), settings=EncodeSettings(), tools=TOOLS):
    return Fingerprinter(settings, tools).fingerprint(kind, list(frames))[0]


def test_same_inputs_same_fingerprint():
    assert fp() == fp()
    assert len(fp()) == 64


def test_frame_bytes_change_fingerprint():
    assert fp(frames=(A, B, C)) != fp(frames=(A, B, "d" * 64))


def test_frame_order_changes_fingerprint():
    assert fp(frames=(A, B, C)) != fp(frames=(B, A, C))


def test_frame_count_changes_fingerprint():
    assert fp(frames=(A, B)) != fp(frames=(A, B, B))


@pytest.mark.parametrize("kind", sorted(SETTINGS_FOR))
def test_each_setting_of_a_kind_changes_its_fingerprint(kind):
    base = EncodeSettings()
    for name in sorted(SETTINGS_FOR[kind] & EncodeSettings.field_names()):
        changed = dataclasses.replace(base, **{name: _other(getattr(base, name))})
        assert fp(kind, settings=base) != fp(kind, settings=changed), name


def _other(v):
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1 if v < 100 else v - 1
    if isinstance(v, float):
        return v / 2 + 0.25
    if isinstance(v, str):
        return "000000" if v != "000000" else "ffffff"
    raise AssertionError(f"no other value for {v!r}")


def test_settings_of_other_kinds_do_not_change_it():
    base = EncodeSettings()
    assert fp("thumb", frames=(A,), settings=base) == fp("thumb", frames=(A,), settings=dataclasses.replace(base, mp4_crf=30, quality=50))
    assert fp("gif", settings=base) == fp("gif", settings=dataclasses.replace(base, thumb_width=100))
    assert fp("mp4", settings=base) == fp("mp4", settings=dataclasses.replace(base, webm_crf=40))


def test_every_setting_is_accounted_for():
    """A setting no kind lists counts for all kinds: safe, but changing it rebuilds every output. Listing each new
    EncodeSettings field in fingerprint.SETTINGS_FOR (or NOT_SHAPING) keeps rebuilds narrow; warn when one is not."""
    listed = set().union(*SETTINGS_FOR.values()) | NOT_SHAPING
    unlisted = EncodeSettings.field_names() - listed
    if unlisted:
        warnings.warn(f"encoder setting(s) {sorted(unlisted)} not in fingerprint.SETTINGS_FOR: a change rebuilds every kind")
    for kind in SETTINGS_FOR:
        assert not set(settings_for(kind, EncodeSettings())) & NOT_SHAPING
        assert unlisted <= set(settings_for(kind, EncodeSettings()))


def test_unlisted_setting_counts_for_every_kind(monkeypatch):
    monkeypatch.setattr("pipeline.build.fingerprint.SETTINGS_FOR", {k: set() for k in SETTINGS_FOR})
    for kind in SETTINGS_FOR:
        assert "quality" in settings_for(kind, EncodeSettings())


def test_version_change_changes_fingerprint():
    newer = {k: dict(v) for k, v in TOOLS.items()}
    newer["gif"]["Pillow"] = "11"
    assert fp("gif", tools=TOOLS) != fp("gif", tools=newer)
    assert fp("thumb", frames=(A,), tools=TOOLS) == fp("thumb", frames=(A,), tools=newer)


def test_kind_is_part_of_fingerprint():
    assert fp("mp4") != fp("webm")


def test_parts_name_what_changed():
    f = Fingerprinter(EncodeSettings(), TOOLS)
    _, p1 = f.fingerprint("gif", [A, B])
    _, p2 = f.fingerprint("gif", [B, A])
    assert p1["frames"] != p2["frames"] and p1["settings"] == p2["settings"] and p1["tools"] == p2["tools"]


def test_tool_versions_cover_libraries_and_programs():
    probe: dict = {}
    tv = tool_versions(None, probe)
    assert set(tv) == {"gif", "mp4", "webm", "thumb"}
    for kind, v in tv.items():
        assert {"pipeline", "encoder-source", "pillow", "numpy"} <= set(v)
    assert "imagequant" in tv["gif"] and "gifsicle" in tv["gif"]
    assert "ffmpeg" in tv["mp4"] and tv["mp4"]["ffmpeg"] == tv["webm"]["ffmpeg"]
    # program versions are cached by binary path, size and mtime: a second call runs nothing
    calls = []
    import pipeline.build.fingerprint as fpm

    real = fpm.subprocess.run
    fpm.subprocess.run = lambda *a, **k: calls.append(a) or real(*a, **k)
    try:
        assert tool_versions(None, probe) == tv
    finally:
        fpm.subprocess.run = real
    assert calls == []


def test_encoder_source_digest_follows_the_code(tmp_path):
    files = {
        "frames.py": "from pipeline.encode.settings import EncodeSettings\n",
        "settings.py": "# settings\n",
        "tools.py": "# tools\n",
        "gif.py": "from pipeline.encode.frames import Frames\nfrom pipeline.encode.tools import run\n",
        "video.py": "from pipeline.encode.frames import Frames\n\ndef f():\n    from pipeline.encode.gif import parse_hex_colour\n",
        "thumbs.py": "from pipeline.encode import frames\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    kinds = ("gif", "mp4", "thumb")

    def digests():
        return {k: encoder_source_digest(k, tmp_path) for k in kinds}

    before = digests()
    (tmp_path / "video.py").write_text(files["video.py"] + "# changed\n")
    after = digests()
    assert after["gif"] == before["gif"] and after["thumb"] == before["thumb"] and after["mp4"] != before["mp4"]
    (tmp_path / "gif.py").write_text(files["gif.py"] + "# changed\n")  # video imports a helper from gif
    again = digests()
    assert again["gif"] != after["gif"] and again["mp4"] != after["mp4"] and again["thumb"] == after["thumb"]
    (tmp_path / "settings.py").write_text("# shared, changed\n")  # imported by frames: everything
    last = digests()
    assert all(last[k] != again[k] for k in kinds)


def test_hash_file_is_content_only(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "sub" / "b.png"
    b.parent.mkdir()
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    assert hash_file(a)[0] == hash_file(b)[0]
    b.write_bytes(b"other bytes")
    assert hash_file(a)[0] != hash_file(b)[0]
