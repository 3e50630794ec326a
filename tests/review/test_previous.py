"""The build keeps the GIF it replaces (``pipeline.build.previous``): the last one only, verified when read."""

from __future__ import annotations

import hashlib
import json

from pipeline.build.previous import FOLDER, INCOMING, INDEX, read_changes

from tests.build.conftest import build


def _changes(pr):
    return read_changes(pr.state_folder())


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def test_first_build_records_every_animation_as_created(project):
    build(project)
    ch = _changes(project)
    assert ch.build == 1
    assert sorted(ch.animations) == ["muscles/gif/Arm-Anterior.gif", "muscles/gif/Leg-Lateral.gif"]
    for path, rec in ch.animations.items():
        assert rec["previous"] is None and rec["build"] == 1
        assert rec["sha256"] == _sha((project.out / path).read_bytes())
        assert ch.changed_by_last(path, rec["sha256"]) and ch.previous_file(path) is None
    assert not (project.state_folder() / FOLDER / INCOMING).exists()


def test_a_rebuilt_sequence_keeps_its_previous_gif(project):
    build(project)
    old = (project.out / "muscles/gif/Leg-Lateral.gif").read_bytes()
    project.rerender("Leg-Lateral", seed=777)
    build(project)
    new = (project.out / "muscles/gif/Leg-Lateral.gif").read_bytes()
    assert old != new
    ch = _changes(project)
    assert ch.build == 2
    rec = ch.animations["muscles/gif/Leg-Lateral.gif"]
    assert rec == {"build": 2, "page": "raw/pages/leg-lateral.md", "sha256": _sha(new), "previous": {"sha256": _sha(old), "size": len(old)}}
    assert ch.previous_file("muscles/gif/Leg-Lateral.gif").read_bytes() == old
    assert ch.changed_by_last("muscles/gif/Leg-Lateral.gif", _sha(new))
    assert not ch.changed_by_last("muscles/gif/Arm-Anterior.gif", ch.animations["muscles/gif/Arm-Anterior.gif"]["sha256"])
    assert not ch.changed_by_last("muscles/gif/Leg-Lateral.gif", _sha(old))  # the manifest no longer says this one


def test_only_the_last_previous_is_kept(project):
    build(project)
    project.rerender("Leg-Lateral", seed=1)
    build(project)
    second = (project.out / "muscles/gif/Leg-Lateral.gif").read_bytes()
    project.rerender("Leg-Lateral", seed=2)
    build(project)
    ch = _changes(project)
    assert ch.build == 3
    assert ch.previous_file("muscles/gif/Leg-Lateral.gif").read_bytes() == second
    kept = sorted(p.relative_to(ch.folder).as_posix() for p in ch.folder.rglob("*") if p.is_file())
    assert kept == [INDEX, "muscles/gif/Leg-Lateral.gif"]


def test_a_build_that_changes_no_animation_changes_no_record(project):
    build(project)
    project.rerender("Leg-Lateral", seed=5)
    build(project)
    before = (project.state_folder() / FOLDER / INDEX).read_bytes()
    build(project)  # up to date
    build(project, force=True)  # the same bytes again
    assert (project.state_folder() / FOLDER / INDEX).read_bytes() == before


def test_check_and_dry_run_keep_nothing(project):
    build(project)
    before = (project.state_folder() / FOLDER / INDEX).read_bytes()
    project.rerender("Leg-Lateral", seed=9)
    assert build(project, check=True).exit_code == 1
    build(project, dry_run=True)
    assert (project.state_folder() / FOLDER / INDEX).read_bytes() == before
    assert [p.name for p in (project.state_folder() / FOLDER).iterdir()] == [INDEX]


def test_a_previous_gif_altered_since_is_not_shown(project):
    build(project)
    project.rerender("Leg-Lateral", seed=3)
    build(project)
    kept = project.state_folder() / FOLDER / "muscles/gif/Leg-Lateral.gif"
    kept.write_bytes(b"GIF89a not the one")  # e.g. a build killed between renaming the GIF and writing the index
    assert _changes(project).previous_file("muscles/gif/Leg-Lateral.gif") is None


def test_a_removed_page_drops_its_record(project):
    build(project)
    project.rerender("Arm-Anterior", seed=3)
    build(project)
    (project.pages / "arm-anterior.md").unlink()
    build(project)
    ch = _changes(project)
    assert list(ch.animations) == ["muscles/gif/Leg-Lateral.gif"]
    assert not (ch.folder / "muscles/gif/Arm-Anterior.gif").exists()


def test_an_unreadable_index_is_an_empty_record_and_the_next_build_rewrites_it(project):
    build(project)
    index = project.state_folder() / FOLDER / INDEX
    for junk in (b"{ not json", b'{"format": 9}', b"[]", b'{"format": 1, "build": 1, "animations": {"x.gif": 3}}'):
        index.write_bytes(junk)
        ch = _changes(project)
        assert ch.build in (0, 1) and "muscles/gif/Leg-Lateral.gif" not in ch.animations
    odd = {"build": 1, "sha256": "x", "page": "p", "previous": {"size": 3}}
    index.write_text(json.dumps({"format": 1, "build": 1, "animations": {"muscles/gif/Leg-Lateral.gif": odd}}))
    (index.parent / "muscles/gif").mkdir(parents=True, exist_ok=True)
    (index.parent / "muscles/gif/Leg-Lateral.gif").write_bytes(b"GIF89a")
    assert _changes(project).previous_file("muscles/gif/Leg-Lateral.gif") is None
    project.rerender("Leg-Lateral", seed=8)
    r = build(project)
    assert not r.failures
    doc = json.loads(index.read_bytes())
    assert doc["animations"]["muscles/gif/Leg-Lateral.gif"]["previous"] is not None


def test_a_state_folder_that_cannot_keep_previous_gifs_never_fails_the_build(project):
    build(project)
    folder = project.state_folder() / FOLDER
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    folder.write_bytes(b"a file where the folder belongs")
    project.rerender("Leg-Lateral", seed=6)
    r = build(project)
    assert not r.failures and r.exit_code == 0 and "muscles/gif/Leg-Lateral.gif" in r.built
    assert _changes(project).build == 0
