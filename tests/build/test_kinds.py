"""The output-kind registry: a kind registered here, with its encoder in this module, is planned, fingerprinted,
built (in the build's process and in workers), recorded, kept up to date and removed like the kinds the project
ships, without a change to any other module."""

from __future__ import annotations


import numpy as np
import pytest
from PIL import Image

from pipeline.cli import cli
from pipeline.encode import kinds
from pipeline.encode.kinds import OutputKind, Per

from .conftest import FRAMES, build

STEMS = ("Arm-Anterior", "Leg-Lateral")


def first_frame_png(frames, dest, settings) -> None:
    """The toy encoder: the animation's first frame as a PNG (its poster)."""
    Image.fromarray(frames.images[0]).save(dest, format="PNG", compress_level=9)


POSTER = OutputKind(
    "poster", Per.ANIMATION, f"{__name__}:first_frame_png", frozenset(), ("pillow", "numpy"),
    ("pipeline.encode.frames", "pipeline.encode.settings", __name__), suffix="-poster.png",
    description="the first frame of the animation",
)


@pytest.fixture
def poster():
    kinds.register(POSTER)
    yield POSTER
    kinds.unregister(POSTER.name)


def posters() -> list[str]:
    return [f"muscles/gif/{s}-poster.png" for s in STEMS]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_registered_kind_is_built_recorded_and_kept_current(project, poster, jobs):
    r = build(project, jobs=jobs)
    assert not r.failures and sorted(p for p in r.built if p.endswith("-poster.png")) == posters()
    assert len(r.built) == 2 * (FRAMES + 2)
    for stem, path in zip(STEMS, posters()):
        with Image.open(project.out / path) as im, Image.open(project.images / f"muscles/png/{stem}-1.png") as first:
            assert np.array_equal(np.asarray(im.convert("RGB")), np.asarray(first.convert("RGB")))
    m = project.manifest()
    assert m["outputs"][posters()[0]]["kind"] == "poster" and "poster" in m["settings"] and "poster" in m["tools"]
    assert set(m["tools"]["poster"]) == {"pipeline", "encoder-source", "pillow", "numpy"}
    again = build(project, jobs=jobs)
    assert again.built == [] and again.current == len(r.built)


def test_registering_a_kind_builds_only_its_outputs(project):
    """Page records cached before the kind existed are not reused: the plan context names the enabled kinds."""
    build(project)
    kinds.register(POSTER)
    try:
        r = build(project)
        assert sorted(r.built) == posters() and r.current == 2 * (FRAMES + 1)
    finally:
        kinds.unregister(POSTER.name)
    r = build(project)
    assert sorted(r.removed) == posters() and r.built == []


def test_its_encoder_source_is_part_of_its_fingerprint(project, poster, monkeypatch):
    build(project)
    from pipeline.build import fingerprint

    real = fingerprint.module_source
    monkeypatch.setattr(fingerprint, "module_source", lambda name: real(name) + (b"# edited\n" if name == __name__ else b""))
    r = build(project, dry_run=True)
    assert sorted(s.path for s in r.stale) == posters()
    assert all(s.reason == "encoder or library version changed" for s in r.stale)


def test_a_kind_enabled_by_a_setting(project):
    """Like the videos: a kind that a boolean setting turns on is planned only when it is on."""
    kinds.register(OutputKind(**{**POSTER.__dict__, "enabled_by": "video"}))
    try:
        assert not any(p.endswith("-poster.png") for p in build(project).built)  # `project` has video = false
        project.config("video = true")
        assert sorted(s.path for s in build(project, dry_run=True).stale if s.path.endswith("-poster.png")) == posters()
    finally:
        kinds.unregister(POSTER.name)


def test_help_lists_registered_kinds(poster, runner):
    out = runner.invoke(cli, ["build", "--help"]).output
    for k in kinds.registered():
        assert k.name in out
    assert "the first frame of the animation" in out


def test_registry_refuses_a_second_kind_of_a_name_and_a_per_frame_kind_without_naming():
    with pytest.raises(ValueError):
        kinds.register(kinds.get("gif"))
    with pytest.raises(ValueError):
        kinds.register(OutputKind(**{**POSTER.__dict__, "name": "tile", "per": Per.FRAME}))
    assert "tile" not in kinds.names()
