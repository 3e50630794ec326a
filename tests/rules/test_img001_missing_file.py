"""IMG001: a render the page refers to is not under the images root (case-sensitive)."""

from __future__ import annotations

from .helper import line_of

CODE = "IMG001"

R = "# render: raw/images/muscles/png/Leg-Lateral-{}.png 64x48 RGB\n"


def test_missing_render_reported_at_its_gallery_line(rule):
    result = rule.check(
        "# page: raw/pages/a.md\n" + R.format(1) + R.format(2) + R.format(4),
        (20, 16, "gallery image 'muscles/png/Leg-Lateral-3.png' does not exist under raw/images"),
        select=[],
    )
    assert line_of(rule.root / "raw/pages/a.md", "Leg-Lateral-3.png") == 20
    assert result.findings[0].severity.value == "error" and result.exit_code == 1


def test_gif_without_any_frames(rule):
    rule.check(
        "# page: raw/pages/a.md\nframes: 1\n",
        (10, 17, "no frames for 'muscles/gif/Leg-Lateral.gif'"),
        (14, 16, "gallery image 'muscles/png/Leg-Lateral-1.png' does not exist"),
        select=[],
    )


def test_case_difference_is_missing_with_a_hint(rule):
    rule.check(
        "# page: raw/pages/a.md\nframes: 1\n# render: raw/images/muscles/png/Leg-lateral-1.png 64x48 RGB\n",
        (10, 17, "no frames for 'muscles/gif/Leg-Lateral.gif'"),
        (14, 16, "on disk as 'muscles/png/Leg-lateral-1.png': case differs"),
    )
