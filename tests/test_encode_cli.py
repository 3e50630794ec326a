"""`pipeline encode OUTPUT FRAME...` through click's CliRunner: the build's bytes for the same frames and settings,
the format from the suffix, and bad input (exit 1 or 2, nothing written)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.build.conftest import FRAMES, build, make_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path, stems=("Leg-Lateral",), encode="mp4_crf = 30")


def frames(pr, stem="Leg-Lateral"):
    return [str(pr.images / "muscles" / "png" / f"{stem}-{n}.png") for n in range(1, FRAMES + 1)]


def invoke(*args):
    return CliRunner().invoke(cli, ["encode", *args], catch_exceptions=False)


def test_each_format_is_the_builds_output_for_those_frames(project):
    project.config("mp4_crf = 30\nwebm_codec = \"vp9\"")  # configured settings, not the defaults
    assert build(project).exit_code == 0
    built = project.outputs()
    for suffix in (".gif", ".mp4", ".webm"):
        out = project.root / "one" / f"x{suffix.upper() if suffix == '.gif' else suffix}"
        r = invoke(str(out), *frames(project))
        assert r.exit_code == 0, r.output
        assert r.output.startswith(f"wrote {out}: {suffix[1:]}, {FRAMES} frame(s) 64x48")
        assert out.read_bytes() == built[f"muscles/gif/Leg-Lateral{suffix}"]
    assert sorted(p.name for p in (project.root / "one").iterdir()) == ["x.GIF", "x.mp4", "x.webm"]  # no temporaries


def test_settings_and_frame_order_shape_the_output(project):
    a, b, c = (project.root / f"{n}.mp4" for n in "abc")
    assert invoke(str(a), *frames(project)).exit_code == 0
    project.config("mp4_crf = 18")
    assert invoke(str(b), *frames(project)).exit_code == 0
    assert invoke("-q", str(c), *reversed(frames(project))).output == ""
    assert len({a.read_bytes(), b.read_bytes(), c.read_bytes()}) == 3


def test_unknown_suffix_is_a_usage_error(project):
    for name in ("x.png", "x", "x.avi"):
        r = invoke(str(project.root / name), *frames(project))
        assert r.exit_code == 2, r.output
        assert "use one of .gif, .mp4, .webm" in r.output
        assert not (project.root / name).exists()
    r = invoke(str(project.root / "x.gif"), str(project.root / "missing.png"))
    assert r.exit_code == 2 and "does not exist" in r.output


def test_bad_frames_fail_and_keep_the_old_file(project):
    out = project.root / "x.gif"
    out.write_bytes(b"old")
    bad = project.root / "bad.png"
    bad.write_bytes(b"not a png at all")
    r = invoke(str(out), *frames(project)[:2], str(bad))
    assert r.exit_code == 1
    assert "bad.png" in r.output and "Traceback" not in r.output
    project.add("Arm-Anterior")
    from tests.support.renders import write_sequence

    write_sequence(project.root / "big", "Big", 1, (80, 60), seed=1)
    r = invoke(str(out), frames(project)[0], str(project.root / "big" / "Big-1.png"))
    assert r.exit_code == 1 and "must be the same size" in r.output
    assert out.read_bytes() == b"old"
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".tmp-")] == []
