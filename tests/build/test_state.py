"""The build's state lives beside the configuration, one per output folder, never in the published folder; the
state older versions left in the output folder is carried over once, and never makes a build fail."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline.build import legacy
from pipeline.build.hashcache import HashCache
from pipeline.build.state import DB_NAME, LOCK_NAME, STATE_FOLDER, state_dir, state_key

from .conftest import FRAMES, build
from .test_incremental import age

PER_PAGE = FRAMES + 1  # a GIF and a thumbnail per frame (videos off in `project`)


def test_the_output_folder_holds_outputs_only(project):
    build(project)
    names = {p.name for p in project.out.rglob("*") if p.is_file()}
    assert names and all(n.endswith((".gif", ".png")) for n in names)
    folder = project.root / STATE_FOLDER / "dist"
    assert project.state_folder() == folder
    assert (folder / DB_NAME).is_file() and (folder / LOCK_NAME).is_file()
    assert (project.root / STATE_FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"


def test_state_is_plain_sqlite_with_the_manifest_as_a_table(project):
    r = build(project)
    with sqlite3.connect(project.state_folder() / DB_NAME) as db:
        rows = db.execute("SELECT path, kind, page, size FROM outputs ORDER BY path").fetchall()
    assert [p for p, *_ in rows] == sorted(r.built)
    gif = next(row for row in rows if row[0] == "muscles/gif/Leg-Lateral.gif")
    assert gif[1:] == ("gif", "raw/pages/leg-lateral.md", (project.out / gif[0]).stat().st_size)


def test_each_output_folder_has_its_own_state(project):
    build(project)
    other = project.root / "shards" / "1"
    r = build(project, out=other)
    assert len(r.built) == 2 * PER_PAGE  # nothing borrowed from dist's state
    assert project.state_folder(other) == project.root / STATE_FOLDER / "shards%2F1"
    assert project.manifest(other)["outputs"].keys() == project.manifest()["outputs"].keys()
    assert build(project, out=other).built == [] and build(project).built == []


def test_state_keys(tmp_path):
    assert state_key(tmp_path, tmp_path / "dist") == "dist"
    assert state_key(tmp_path, tmp_path / "a" / "b") == "a%2Fb"
    assert state_key(tmp_path, tmp_path) == "%2E"
    outside = state_key(tmp_path / "site", tmp_path / "elsewhere" / "out")
    assert outside.startswith("ext-out-") and "/" not in outside
    assert outside != state_key(tmp_path / "site", tmp_path / "other" / "out")
    # relative to the project, so a project checked out elsewhere keeps its state
    assert state_dir(Path("/a/site"), Path("/a/site/dist")).relative_to("/a/site") == state_dir(Path("/b/x"), Path("/b/x/dist")).relative_to("/b/x")


def test_check_on_a_fresh_clone_says_everything_is_stale_and_creates_nothing(project):
    r = build(project, check=True)
    assert r.exit_code == 1 and len(r.stale) == 2 * PER_PAGE
    assert not (project.root / STATE_FOLDER).exists() and not project.out.exists()


def test_check_after_a_build_and_after_a_change(project):
    build(project)
    assert build(project, check=True).exit_code == 0
    project.rerender("Leg-Lateral", seed=5)
    r = build(project, check=True)
    assert r.exit_code == 1 and {s.path for s in r.stale} == {p for p in project.outputs() if "Leg-Lateral" in p}


def write_legacy(project, manifest: bytes, cache: dict | None) -> None:
    (project.out / legacy.MANIFEST_NAME).write_bytes(manifest)
    if cache is not None:
        (project.out / legacy.CACHE_NAME).write_text(json.dumps(cache))
    (project.out / legacy.LOCK_NAME).write_text("")


def old_layout(project) -> tuple[bytes, dict]:
    """A build, then its state laid out as older versions kept it: JSON files in the output folder."""
    age(project.images.rglob("*.png"))  # renders made a while before the build: their hashes are trusted
    build(project)
    manifest = project.manifest_bytes()
    state = project.state_folder()
    with sqlite3.connect(state / DB_NAME) as db:
        cache = {
            "format": 1,
            "context": dict(db.execute("SELECT key, value FROM meta"))["context"],
            "files": {r[0]: [r[1], r[2], r[3], r[4], bool(r[5])] for r in db.execute("SELECT * FROM files")},
            "outputs": {r[0]: list(r[1:]) for r in db.execute("SELECT * FROM output_stats")},
            "pages": {k: json.loads(v) for k, v in db.execute("SELECT key, record FROM pages")},
            "programs": dict(db.execute("SELECT key, version FROM programs")),
        }
    shutil.rmtree(state)
    write_legacy(project, manifest, cache)
    return manifest, cache


def test_old_state_is_migrated_and_removed_from_the_output_folder(project, monkeypatch):
    manifest, _ = old_layout(project)
    import pipeline.build.worker as worker_mod

    hashed = []
    real = worker_mod.hash_file
    monkeypatch.setattr(worker_mod, "hash_file", lambda p: hashed.append(p) or real(p))
    r = build(project)
    assert r.built == [] and r.current == 2 * PER_PAGE and hashed == []  # manifest and stat cache both carried over
    assert not any((project.out / n).exists() for n in legacy.NAMES)
    assert project.manifest_bytes() == manifest


def test_check_reads_the_old_state_and_touches_nothing(project):
    old_layout(project)
    before = sorted(p.name for p in project.out.iterdir())
    r = build(project, check=True)
    assert r.exit_code == 0 and r.current == 2 * PER_PAGE
    assert sorted(p.name for p in project.out.iterdir()) == before
    assert not project.state_folder().exists()


@pytest.mark.parametrize("manifest,cache", [
    (b"{ not json", {"format": 1, "files": "not a table"}),
    (b'{"format": 7, "outputs": {}}', None),
    (b'{"format": 1, "outputs": {"muscles/gif/Leg-Lateral.gif": {"kind": "gif"}}}', {"format": 1, "files": {"x": [1]}}),
    (b"\xff\xfe", {"format": 1, "context": 3, "pages": []}),
])
def test_damaged_old_state_rebuilds_and_never_fails(project, manifest, cache):
    build(project)
    good = project.outputs()
    shutil.rmtree(project.state_folder())
    write_legacy(project, manifest, cache)
    r = build(project)
    assert not r.failures and r.exit_code == 0
    assert project.outputs() == good  # the same bytes, whatever the old files said
    assert not any((project.out / n).exists() for n in legacy.NAMES)
    assert build(project).built == []


def test_old_state_beside_a_new_one_is_removed_and_ignored(project):
    build(project)
    write_legacy(project, b'{"format": 1, "outputs": {}}', {"format": 1})
    r = build(project)
    assert r.built == [] and not any((project.out / n).exists() for n in legacy.NAMES)


def test_a_state_of_another_format_is_replaced(project):
    build(project)
    with sqlite3.connect(project.state_folder() / DB_NAME) as db:
        db.execute("PRAGMA user_version = 99")
    r = build(project)
    assert not r.failures and len(r.built) == 2 * PER_PAGE
    with sqlite3.connect(project.state_folder() / DB_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (1,)


def test_state_deleted_rebuilds_the_same_bytes(project):
    build(project)
    good = project.outputs()
    shutil.rmtree(project.state_folder())
    r = build(project)
    assert len(r.built) == 2 * PER_PAGE and project.outputs() == good


def test_a_rebuild_writes_only_the_rows_that_changed(project):
    """Incremental saving: a re-rendered sequence rewrites its own rows; the other page's rows are untouched."""
    build(project)
    project.rerender("Leg-Lateral", seed=3)
    statements = []
    real_connect = sqlite3.connect

    def tracing(*a, **k):
        db = real_connect(*a, **k)
        db.set_trace_callback(statements.append)
        return db

    import pipeline.build.state as state_mod

    state_mod.sqlite3.connect, saved = tracing, state_mod.sqlite3.connect
    try:
        r = build(project)
    finally:
        state_mod.sqlite3.connect = saved
    assert sorted(r.built) == sorted(p for p in project.outputs() if "Leg-Lateral" in p)
    writes = [s for s in statements if s.startswith(("INSERT", "DELETE"))]
    assert writes and not any("Arm-Anterior" in s for s in writes)
    assert any("muscles/gif/Leg-Lateral.gif" in s for s in writes)


def test_cache_tracks_what_changed():
    c = HashCache("ctx")
    c.record_output("a.png", [1, 2, 3], "h")
    c.record_output("a.png", [1, 2, 3], "h")
    assert c.changed["output_stats"] == {"a.png"}
    c.written()
    assert not c.dirty
    c.record_output("a.png", [1, 2, 3], "h")  # the same entry again: nothing to write
    assert not c.dirty
    c.forget_output("a.png")
    assert c.changed["output_stats"] == {"a.png"} and "a.png" not in c.outputs


def test_check_keeps_the_hashes_it_computed_and_never_the_manifest(project):
    build(project)
    before = project.manifest_bytes()
    project.rerender("Leg-Lateral", seed=8)
    frame = str((project.images / "muscles/png/Leg-Lateral-1.png").resolve())
    db_path = project.state_folder() / DB_NAME
    with sqlite3.connect(db_path) as db:
        old = db.execute("SELECT sha256 FROM files WHERE path = ?", (frame,)).fetchone()
    assert build(project, check=True).exit_code == 1
    with sqlite3.connect(db_path) as db:
        new = db.execute("SELECT sha256 FROM files WHERE path = ?", (frame,)).fetchone()
    assert old is not None and new is not None and new != old
    assert project.manifest_bytes() == before
