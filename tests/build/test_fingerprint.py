"""Fingerprints: each kind of change that shapes an output changes its fingerprint; nothing else does."""

from __future__ import annotations

import dataclasses
import warnings

import pytest

from pipeline.build.fingerprint import Fingerprinter, hash_file, settings_for, source_digest, tool_versions
from pipeline.encode import kinds
from pipeline.encode.kinds import NOT_SHAPING
from pipeline.encode.settings import EncodeSettings

A, B, C = "a" * 64, "b" * 64, "c" * 64
SETTINGS_FOR = {k.name: k.settings for k in kinds.registered()}
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
    EncodeSettings field in a kind's ``settings`` (pipeline.encode.kinds, or NOT_SHAPING) keeps rebuilds narrow;
    warn when one is not."""
    listed = set().union(*SETTINGS_FOR.values()) | NOT_SHAPING
    unlisted = EncodeSettings.field_names() - listed
    if unlisted:
        warnings.warn(f"encoder setting(s) {sorted(unlisted)} listed by no output kind: a change rebuilds every kind")
    for kind in SETTINGS_FOR:
        assert not set(settings_for(kind, EncodeSettings())) & NOT_SHAPING
        assert unlisted <= set(settings_for(kind, EncodeSettings()))


def test_unlisted_setting_counts_for_every_kind(monkeypatch):
    monkeypatch.setattr(kinds, "_REGISTRY", {k.name: dataclasses.replace(k, settings=frozenset()) for k in kinds.registered()})
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
    assert set(tv) == {"gif", "mp4", "webm", "thumb", "render"}
    for kind, v in tv.items():
        assert {"pipeline", "encoder-source", "pillow", "numpy"} <= set(v)
    assert "imagequant" in tv["gif"] and "gifsicle" in tv["gif"] and "pyoxipng" in tv["render"]
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


def test_encoder_source_digest_follows_the_code(tmp_path, monkeypatch):
    """A change in a module a kind lists rebuilds that kind, and only the kinds that list it."""
    pkg = tmp_path / "toyenc"
    pkg.mkdir()
    files = {"__init__.py": "", "shared.py": "# decoding\n", "gif.py": "# gif\n", "video.py": "# video\n", "thumbs.py": "# thumbs\n"}
    for name, text in files.items():
        (pkg / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    lists = {"gif": ("toyenc.shared", "toyenc.gif"), "mp4": ("toyenc.shared", "toyenc.video", "toyenc.gif"), "thumb": ("toyenc.shared", "toyenc.thumbs")}

    def digests():
        return {k: source_digest(mods) for k, mods in lists.items()}

    before = digests()
    (pkg / "video.py").write_text(files["video.py"] + "# changed\n")
    after = digests()
    assert after["gif"] == before["gif"] and after["thumb"] == before["thumb"] and after["mp4"] != before["mp4"]
    (pkg / "gif.py").write_text(files["gif.py"] + "# changed\n")  # video lists a helper of gif
    again = digests()
    assert again["gif"] != after["gif"] and again["mp4"] != after["mp4"] and again["thumb"] == after["thumb"]
    (pkg / "shared.py").write_text("# shared, changed\n")  # listed by every kind: everything
    last = digests()
    assert all(last[k] != again[k] for k in lists)
    with pytest.raises(ModuleNotFoundError):
        source_digest(("toyenc.renamed",))  # a listed module that is gone fails, never drops out of the digest


def test_tool_versions_follow_the_registry(monkeypatch):
    """Each kind's tools table hashes the modules its registry entry lists."""
    real = tool_versions(None, {})
    gif = kinds.get("gif")
    monkeypatch.setattr(kinds, "_REGISTRY", {**kinds._REGISTRY, "gif": dataclasses.replace(gif, sources=gif.sources + ("pipeline.encode.thumbs",))})
    changed = tool_versions(None, {})
    assert changed["gif"]["encoder-source"] != real["gif"]["encoder-source"]
    assert {k: v for k, v in changed.items() if k != "gif"} == {k: v for k, v in real.items() if k != "gif"}


def test_hash_file_is_content_only(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "sub" / "b.png"
    b.parent.mkdir()
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    assert hash_file(a)[0] == hash_file(b)[0]
    b.write_bytes(b"other bytes")
    assert hash_file(a)[0] != hash_file(b)[0]
