"""Incremental builds: what is rebuilt after each kind of change, and what is not."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time

import pytest

import pipeline.build.session as session_mod
import pipeline.build.worker as worker_mod
from pipeline.build.state import DB_NAME

from .conftest import FRAMES, build, page_text

ALL_KINDS_PER_PAGE = FRAMES + 1  # a GIF and a thumbnail per frame (videos off in `project`)


def age(paths, seconds=3600):
    """Pretend files were written a while ago (renders made before the build, outside the racy window)."""
    t = time.time() - seconds
    for p in paths:
        os.utime(p, (t, t))


def all_frames(pr):
    return sorted(pr.images.rglob("*.png"))


@pytest.fixture
def counted(monkeypatch):
    """Count content hashes of input frames (the expensive reads a no-op build must avoid)."""
    calls = []
    real = worker_mod.hash_file

    def spy(path):
        if str(path).endswith(".png") and "/raw/images/" in str(path):
            calls.append(str(path))
        return real(path)

    monkeypatch.setattr(worker_mod, "hash_file", spy)
    return calls


def test_cold_build_writes_everything_and_a_manifest(project):
    r = build(project)
    assert r.exit_code == 0 and not r.failures
    assert len(r.built) == 2 * ALL_KINDS_PER_PAGE
    m = project.manifest()
    assert set(m["outputs"]) == set(r.built)
    gif = m["outputs"]["muscles/gif/Leg-Lateral.gif"]
    assert gif["kind"] == "gif" and gif["page"] == "raw/pages/leg-lateral.md"
    assert gif["size"] == (project.out / "muscles/gif/Leg-Lateral.gif").stat().st_size
    assert (project.out / "muscles/png/Leg-Lateral-1-thumb.png").is_file()


def test_manifest_is_sorted_json_without_times(project):
    build(project)
    raw = project.manifest_bytes().decode()
    data = json.loads(raw)
    assert list(data) == sorted(data) and list(data["outputs"]) == sorted(data["outputs"])
    assert all(list(e) == sorted(e) for e in data["outputs"].values())
    assert len(raw.splitlines()) == len(data["outputs"]) + 7  # one output per line
    assert "mtime" not in raw and str(project.root) not in raw


def test_noop_rebuild_builds_nothing_and_reads_no_frame(project, counted):
    age(all_frames(project))
    build(project)
    assert len(counted) == 2 * FRAMES  # each frame hashed once, while building
    counted.clear()
    before = project.outputs()
    r = build(project)
    assert r.built == [] and r.current == 2 * ALL_KINDS_PER_PAGE and r.removed == []
    assert counted == []  # stat cache hit: no frame read
    assert project.outputs() == before


def test_touch_rebuilds_nothing(project, counted):
    age(all_frames(project))
    build(project)
    before = project.outputs()
    for p in all_frames(project):
        p.touch()
    counted.clear()
    r = build(project)
    assert r.built == [] and r.current == 2 * ALL_KINDS_PER_PAGE
    assert len(counted) == 2 * FRAMES  # re-hashed (stat changed), found identical
    assert project.outputs() == before


def test_changed_frame_rebuilds_its_unit_only(project):
    age(all_frames(project))
    build(project)
    project.rerender("Leg-Lateral", seed=12345)
    r = build(project)
    assert sorted(r.built) == sorted(
        ["muscles/gif/Leg-Lateral.gif"] + [f"muscles/png/Leg-Lateral-{n}-thumb.png" for n in range(1, FRAMES + 1)]
    )
    assert r.current == ALL_KINDS_PER_PAGE


def test_one_changed_frame_rebuilds_animation_and_that_thumbnail(project):
    build(project)
    src = project.images / "muscles/png/Leg-Lateral-2.png"
    other = project.images / "muscles/png/Leg-Lateral-3.png"
    src.write_bytes(other.read_bytes())
    r = build(project)
    assert sorted(r.built) == ["muscles/gif/Leg-Lateral.gif", "muscles/png/Leg-Lateral-2-thumb.png"]


def test_frame_order_change_is_refused_and_keeps_the_outputs(project):
    """Orientations out of order (IMG002) would animate wrongly: the page is not built, its outputs stay."""
    build(project)
    before = project.outputs()
    (project.pages / "leg-lateral.md").write_text(page_text("Leg-Lateral", order=[2, 1, 3, 4]))
    r = build(project)
    assert r.exit_code == 1 and r.built == [] and r.removed == []
    assert [f.code for f in r.findings] == ["IMG002"] and "out of order" in r.findings[0].message
    assert project.outputs() == before


def test_setting_change_rebuilds_only_the_kind_it_shapes(project):
    build(project)
    project.config("video = false\nthumb_width = 32\nthumb_height = 32")
    r = build(project)
    assert sorted(r.built) == sorted(p for p in project.outputs() if p.endswith("-thumb.png"))
    project.config("video = false\nthumb_width = 32\nthumb_height = 32\nduration_ms = 200")
    r = build(project)
    assert sorted(r.built) == ["muscles/gif/Arm-Anterior.gif", "muscles/gif/Leg-Lateral.gif"]


def test_version_change_rebuilds(project, monkeypatch):
    build(project)
    real = session_mod.tool_versions

    def newer(kinds, probe):
        v = real(kinds, probe)
        v["gif"] = {**v["gif"], "imagequant": "99.0"}
        return v

    monkeypatch.setattr(session_mod, "tool_versions", newer)
    plan = build(project, dry_run=True)
    assert {s.path for s in plan.stale} == {"muscles/gif/Arm-Anterior.gif", "muscles/gif/Leg-Lateral.gif"}
    assert all("version" in s.reason for s in plan.stale)
    r = build(project)
    assert sorted(r.built) == ["muscles/gif/Arm-Anterior.gif", "muscles/gif/Leg-Lateral.gif"]


def test_missing_or_altered_output_is_rebuilt(project):
    build(project)
    good = project.outputs()
    (project.out / "muscles/png/Leg-Lateral-1-thumb.png").unlink()
    gif = project.out / "muscles/gif/Arm-Anterior.gif"
    gif.write_bytes(gif.read_bytes()[:-10] + b"0123456789")  # same size, other bytes
    r = build(project)
    assert sorted(r.built) == ["muscles/gif/Arm-Anterior.gif", "muscles/png/Leg-Lateral-1-thumb.png"]
    assert project.outputs() == good


def test_touched_output_is_verified_not_rebuilt(project):
    build(project)
    (project.out / "muscles/gif/Arm-Anterior.gif").touch()
    r = build(project)
    assert r.built == []


def test_force_rebuilds_everything(project):
    build(project)
    good = project.outputs()
    r = build(project, force=True)
    assert len(r.built) == 2 * ALL_KINDS_PER_PAGE and r.reused == []
    assert project.outputs() == good


def test_renamed_render_folder_encodes_nothing(project):
    build(project)
    good = project.outputs()
    (project.images / "muscles/png").rename(project.images / "muscles/renders")
    for p in project.pages.glob("*.md"):
        p.write_text(p.read_text().replace("muscles/png/", "muscles/renders/"))
    r = build(project)
    assert sorted(r.built) == sorted(r.reused)  # thumbnails at their new names are copies, nothing encoded
    assert {p for p in r.built} == {p.replace("muscles/png/", "muscles/renders/") for p in good if p.endswith("-thumb.png")}
    assert sorted(r.removed) == sorted(p for p in good if p.endswith("-thumb.png"))
    assert not (project.out / "muscles/png").exists()  # emptied folders go too
    moved = project.outputs()
    for p, data in good.items():
        if p.endswith("-thumb.png"):
            assert moved[p.replace("muscles/png/", "muscles/renders/")] == data
    assert build(project).built == []


def test_renamed_page_rebuilds_nothing(project):
    build(project)
    (project.pages / "leg-lateral.md").rename(project.pages / "lateral.md")
    r = build(project)
    assert r.built == [] and r.removed == []
    m = project.manifest()
    assert m["outputs"]["muscles/gif/Leg-Lateral.gif"]["page"] == "raw/pages/lateral.md"


def test_outputs_of_a_removed_page_are_removed(project):
    build(project)
    arm = sorted(p for p in project.outputs() if "Arm-Anterior" in p)
    assert len(arm) == ALL_KINDS_PER_PAGE
    (project.pages / "arm-anterior.md").unlink()
    r = build(project)
    assert sorted(r.removed) == arm
    assert not any("Arm-Anterior" in p for p in project.outputs())
    m = project.manifest()
    assert not any("Arm-Anterior" in p for p in m["outputs"])


def test_building_one_page_keeps_the_others(project):
    build(project)
    (project.pages / "arm-anterior.md").unlink()
    from pipeline.build.api import BuildOptions, build_paths
    from pipeline.lint.inputs import BuildInputCheck
    from pipeline.build.progress import Progress

    cfg = project.cfg()
    r, _ = build_paths(cfg, [project.pages / "leg-lateral.md"], BuildOptions(jobs=1, whole_site=False), Progress(mode="lines", quiet=True),
                       check=BuildInputCheck(cfg))
    assert r.removed == []
    assert (project.out / "muscles/gif/Arm-Anterior.gif").is_file()


def test_broken_page_is_reported_and_others_built(project):
    build(project)
    p = project.pages / "leg-lateral.md"
    p.write_text(p.read_text().replace("title: 'Muscles of Leg-Lateral'", "title: 'unclosed"))
    project.rerender("Arm-Anterior", seed=7)
    r = build(project)
    assert r.exit_code == 1
    (f,) = r.failures
    assert f.page == "raw/pages/leg-lateral.md" and f.line > 1
    assert sorted(r.built) == sorted(p for p in project.outputs() if "Arm-Anterior" in p)
    assert (project.out / "muscles/gif/Leg-Lateral.gif").is_file()  # kept until the page is fixed
    assert r.removed == []


def test_missing_frame_fails_that_page_only(project):
    (project.images / "muscles/png/Leg-Lateral-3.png").unlink()
    r = build(project)
    assert r.exit_code == 1
    (f,) = r.failures
    text = (project.pages / "leg-lateral.md").read_text().splitlines()
    assert f.page == "raw/pages/leg-lateral.md" and "Leg-Lateral-3.png" in f.message
    assert "Leg-Lateral-3.png" in text[f.line - 1]  # the gallery entry of the missing frame
    assert (project.out / "muscles/gif/Arm-Anterior.gif").is_file()
    assert not (project.out / "muscles/gif/Leg-Lateral.gif").exists()


def test_undecodable_frame_fails_that_page_only(project):
    (project.images / "muscles/png/Leg-Lateral-3.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    r = build(project)
    assert r.exit_code == 1
    (f,) = r.failures
    assert f.page == "raw/pages/leg-lateral.md"
    assert (project.out / "muscles/gif/Arm-Anterior.gif").is_file()


def test_racy_entry_is_rehashed(project):
    """A frame rewritten in place with the same size and mtime right after being hashed is still noticed."""
    build(project)
    p = project.images / "muscles/png/Leg-Lateral-1.png"
    st = p.stat()
    data = bytearray(p.read_bytes())
    other = (project.images / "muscles/png/Leg-Lateral-2.png").read_bytes()
    with open(p, "r+b") as f:  # same inode
        f.write(other[: len(data)].ljust(len(data), b"\0"))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size and p.stat().st_mtime_ns == st.st_mtime_ns
    r = build(project)
    assert "muscles/png/Leg-Lateral-1-thumb.png" in r.built or r.failures


def test_lost_cache_costs_hashing_not_building(project, counted):
    build(project)
    with sqlite3.connect(project.state_folder() / DB_NAME) as db:  # the stat cache's tables, not the manifest
        db.execute("DELETE FROM files")
        db.execute("DELETE FROM output_stats")
    counted.clear()
    r = build(project)
    assert r.built == [] and len(counted) == 2 * FRAMES


def test_damaged_manifest_rebuilds(project):
    build(project)
    good = project.outputs()
    (project.state_folder() / DB_NAME).write_bytes(b"{ not a database" * 100)
    r = build(project)
    assert len(r.built) == 2 * ALL_KINDS_PER_PAGE and not r.failures
    assert project.outputs() == good
    assert build(project).built == []


def test_skipped_animation_keeps_its_outputs(project):
    """A page edited so its GIF cannot be made (no frames named like it) reports the problem and deletes nothing."""
    build(project)
    p = project.pages / "leg-lateral.md"
    text = p.read_text()
    p.write_text(re.sub(r"gallery:\n(  .*\n)+", "gallery: []\n", text))  # mid-edit: the gallery emptied
    r = build(project)
    assert r.exit_code == 1 and [f.code for f in r.findings] == ["FM002"] and "$.gallery" in r.findings[0].message
    assert r.removed == []
    assert (project.out / "muscles/gif/Leg-Lateral.gif").is_file()
