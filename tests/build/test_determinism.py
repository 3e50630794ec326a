"""Same inputs, same bytes: across two builds, and whatever --jobs is (videos included)."""

from __future__ import annotations

from .conftest import build


def test_two_builds_are_byte_identical(video_project):
    pr = video_project
    a = build(pr, out=pr.root / "a")
    b = build(pr, out=pr.root / "b")
    assert not a.failures and not b.failures
    one, two = pr.outputs(pr.root / "a"), pr.outputs(pr.root / "b")
    assert one == two and pr.manifest_bytes(pr.root / "a") == pr.manifest_bytes(pr.root / "b")
    assert any(p.endswith(".mp4") for p in one) and any(p.endswith(".webm") for p in one)


def test_jobs_do_not_change_outputs_or_manifest(video_project):
    pr = video_project
    pr.add("Hip-Posterior")
    serial = build(pr, out=pr.root / "j1", jobs=1)
    parallel = build(pr, out=pr.root / "j2", jobs=2)
    assert sorted(serial.built) == sorted(parallel.built) and not parallel.failures
    assert pr.outputs(pr.root / "j1") == pr.outputs(pr.root / "j2")
    assert pr.manifest_bytes(pr.root / "j1") == pr.manifest_bytes(pr.root / "j2")


def test_incremental_equals_clean(project):
    """A build that got there by steps leaves the same bytes as a clean build of the final inputs."""
    build(project)
    project.rerender("Leg-Lateral", seed=99)
    build(project)
    project.add("Hip-Posterior")
    build(project, jobs=2)
    stepwise = project.outputs()
    build(project, out=project.root / "clean")
    assert stepwise == project.outputs(project.root / "clean")
    assert project.manifest_bytes() == project.manifest_bytes(project.root / "clean")


def test_parallel_build_takes_every_result(project):
    """Many small units finishing close together: each one's outputs are recorded, none is lost."""
    for i in range(14):
        project.add(f"Part-Thing{i}")
    r = build(project, jobs=2)
    assert not r.failures
    assert r.units == 16 and len(r.built) == 16 * 5
    assert build(project, check=True).exit_code == 0


def test_partial_rebuild_equals_clean_with_mixed_transparency(project):
    """One frame with transparency makes the whole sequence RGBA; a lone rebuilt thumbnail must match."""
    from PIL import Image

    first = project.images / "muscles/png/Leg-Lateral-1.png"
    im = Image.open(first).convert("RGBA")
    im.putpixel((0, 0), (255, 255, 255, 0))
    im.save(first)
    build(project)
    clean = project.outputs()
    (project.out / "muscles/png/Leg-Lateral-3-thumb.png").unlink()
    assert build(project).built == ["muscles/png/Leg-Lateral-3-thumb.png"]
    assert project.outputs() == clean
