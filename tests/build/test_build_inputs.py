"""`pipeline build` refuses what lint rejects in its inputs: a damaged page or sequence builds nothing (never an
animation from part of its gallery), is reported in lint's format at the page and gallery line, fails the build
(exit 1), and the good page beside it is still built."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from pipeline.content.atomic import TMP_PREFIX
from pipeline.cli import cli

from .conftest import FRAMES, page_text

PAGE = "raw/pages/leg-lateral.md"


def _line_of(project, needle: str) -> int:
    lines = (project.pages / "leg-lateral.md").read_text().splitlines()
    return next(i for i, t in enumerate(lines, 1) if needle in t)


def _edit_gallery(project, old: str, new: str) -> int:
    p = project.pages / "leg-lateral.md"
    p.write_text(p.read_text().replace(f"image_url: {old}\n", f"image_url: {new}\n"))
    return _line_of(project, f"image_url: {new}")


def _frame(project, n: int = 3):
    return project.images / "muscles/png" / f"Leg-Lateral-{n}.png"


def _empty_page(project, tmp_path):
    (project.pages / "leg-lateral.md").write_text("")
    return "FM001", 1


def _unclosed(project, tmp_path):
    text = page_text("Leg-Lateral")
    (project.pages / "leg-lateral.md").write_text(text.replace("\n---\n\nThe", "\n\nThe", 1))
    return "FM001", None


def _dotdot(project, tmp_path):
    return "IMG005", _edit_gallery(project, "muscles/png/Leg-Lateral-2.png", "../../../etc/hostname")


def _absolute(project, tmp_path):
    return "IMG005", _edit_gallery(project, "muscles/png/Leg-Lateral-2.png", "/etc/hostname")


def _url_encoded(project, tmp_path):
    return "IMG005", _edit_gallery(project, "muscles/png/Leg-Lateral-2.png", "muscles/png/%2e%2e/Leg-Lateral-2.png")


def _symlink_out(project, tmp_path):
    outside = tmp_path / "outside.png"
    os.replace(_frame(project, 2), outside)
    os.symlink(outside, _frame(project, 2))
    return "IMG005", _line_of(project, "Leg-Lateral-2.png")


def _missing(project, tmp_path):
    _frame(project).unlink()
    return "IMG001", _line_of(project, "Leg-Lateral-3.png")


def _other_case(project, tmp_path):
    return "IMG001", _edit_gallery(project, "muscles/png/Leg-Lateral-3.png", "muscles/png/leg-lateral-3.png")


def _zero_bytes(project, tmp_path):
    _frame(project).write_bytes(b"")
    return "IMG004", _line_of(project, "Leg-Lateral-3.png")


def _truncated(project, tmp_path):
    data = _frame(project).read_bytes()
    _frame(project).write_bytes(data[: len(data) // 2])
    return "IMG004", _line_of(project, "Leg-Lateral-3.png")


def _other_size(project, tmp_path):
    Image.new("RGB", (80, 60), (200, 60, 50)).save(_frame(project))
    return "IMG003", _line_of(project, "Leg-Lateral-3.png")


def _gap(project, tmp_path):
    (project.pages / "leg-lateral.md").write_text(page_text("Leg-Lateral", order=[1, 2, 4]))
    return "IMG002", _line_of(project, "Leg-Lateral-4.png")


CASES = {
    "empty page": _empty_page,
    "unclosed front matter": _unclosed,
    "gallery entry with ..": _dotdot,
    "absolute gallery entry": _absolute,
    "URL-encoded gallery entry": _url_encoded,
    "frame linked outside the root": _symlink_out,
    "missing frame": _missing,
    "frame named in other letter case": _other_case,
    "zero-byte frame": _zero_bytes,
    "truncated frame": _truncated,
    "frame of another size": _other_size,
    "orientation gap": _gap,
}


def _leg_outputs(project) -> list[str]:
    return sorted(p.relative_to(project.out).as_posix() for p in project.out.rglob("*Leg-Lateral*")) if project.out.exists() else []


@pytest.mark.parametrize("damage", list(CASES), ids=list(CASES))
def test_bad_input_builds_nothing_of_that_page(project, runner, tmp_path, damage):
    code, line = CASES[damage](project, tmp_path)
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    where = f"{PAGE}:{line}:" if line else f"{PAGE}:"
    reported = [t for t in r.output.splitlines() if t.startswith(where) and f" {code} " in t]
    assert reported, f"expected a {code} finding at {where}\n{r.output}"
    assert f"{PAGE}:" in r.output and "build failed: page not built" in r.output
    assert _leg_outputs(project) == []  # nothing of the damaged page, not even thumbnails of its good frames
    assert (project.out / "muscles/gif/Arm-Anterior.gif").is_file()  # the good page beside it
    assert len(list(project.out.rglob("Arm-Anterior-*-thumb.png"))) == FRAMES
    assert "1 failed or skipped" in r.output.splitlines()[-1]


def test_partial_gallery_never_reaches_the_videos(video_project, runner):
    """With videos on: a missing orientation leaves no GIF, MP4 or WebM made from the frames that remain."""
    (video_project.images / "muscles/png/Leg-Lateral-2.png").unlink()
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 1 and "IMG001" in r.output
    assert not list(video_project.out.rglob("Leg-Lateral.*"))
    assert {p.suffix for p in video_project.out.rglob("Arm-Anterior.*")} == {".gif", ".mp4", ".webm"}


def test_damage_after_a_good_build_keeps_the_last_good_outputs(project, runner):
    assert runner.invoke(cli, ["build", "--jobs", "1"]).exit_code == 0
    before = {p: data for p, data in project.outputs().items() if "Leg-Lateral" in p}
    _frame(project).write_bytes(b"")
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 1 and "IMG004" in r.output
    assert {p: data for p, data in project.outputs().items() if "Leg-Lateral" in p} == before
    check = runner.invoke(cli, ["build", "--check"])
    assert check.exit_code == 1
    assert f"{PAGE}:{_line_of(project, 'Leg-Lateral-3.png')}:" in check.output and "IMG004" in check.output
    assert "1 page problem(s)" in check.output
    every = runner.invoke(cli, ["all"])
    assert every.exit_code == 1 and "IMG004" in every.output
    assert {p: data for p, data in project.outputs().items() if "Leg-Lateral" in p} == before
    _frame(project).unlink()  # repaired: re-rendered
    project.rerender("Leg-Lateral", seed=11)
    assert runner.invoke(cli, ["build", "--jobs", "1"]).exit_code == 0


def test_a_repaired_page_is_checked_again(project, runner):
    """Findings are cached with the page, keyed by its bytes and by the files it names: fixing either clears them."""
    _frame(project).unlink()
    assert runner.invoke(cli, ["build", "--jobs", "1"]).exit_code == 1
    assert runner.invoke(cli, ["build", "--jobs", "1"]).exit_code == 1  # still missing: the cached finding holds
    project.rerender("Leg-Lateral", seed=3)
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert (project.out / "muscles/gif/Leg-Lateral.gif").is_file()


def test_warnings_that_do_not_touch_the_frames_do_not_block(project, runner):
    """A caption that does not follow the title (TXT006) or a mode difference is lint's business, not the build's."""
    p = project.pages / "leg-lateral.md"
    p.write_text(p.read_text().replace("orientation 2'", "view two'"))
    im = Image.open(_frame(project, 2)).convert("RGBA")
    im.save(_frame(project, 2))
    r = runner.invoke(cli, ["build", "--jobs", "1"])
    assert r.exit_code == 0, r.output
    assert (project.out / "muscles/gif/Leg-Lateral.gif").is_file()


def test_temporaries_of_a_killed_build_are_swept(project, runner):
    stale = project.out / "muscles" / "gif" / f"{TMP_PREFIX}Leg-Lateral.gif.x1.part.gif"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a GIF")
    assert runner.invoke(cli, ["build", "--jobs", "1"]).exit_code == 0
    assert not stale.exists()
