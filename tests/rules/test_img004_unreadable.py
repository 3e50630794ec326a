"""IMG004: a render that cannot be used: empty, truncated, not a PNG, animated, or over the pixel limit."""

from __future__ import annotations

CODE = "IMG004"

R = "# render: raw/images/muscles/png/Leg-Lateral-{} 64x48 RGB {}\n"


def test_bad_files(rule):
    rule.check(
        "# page: raw/pages/a.md\nframes: 5\n"
        + R.format("1.png", "empty") + R.format("2.png", "truncated") + R.format("3.png", "jpeg") + R.format("4.png", "text") + R.format("5.png", ""),
        (14, 16, "'muscles/png/Leg-Lateral-1.png': file is empty"),
        (17, 16, "'muscles/png/Leg-Lateral-2.png': truncated PNG"),
        (20, 16, "'muscles/png/Leg-Lateral-3.png': not a PNG: the content is a JPEG file"),
        (23, 16, "'muscles/png/Leg-Lateral-4.png': not a PNG: the content is a text file"),
    )


def test_too_large_refused_from_header(rule):
    rule.check(
        "# file: pyproject.toml\n[tool.pipeline]\npages = [\"raw/pages\"]\nimages = \"raw/images\"\n"
        "[tool.pipeline.encode]\nmax_pixels = 100\n[tool.pipeline.lint]\nknown-permalinks = [\"/muscle/leg/\"]\n"
        "# page: raw/pages/a.md\nframes: 1\n" + R.format("1.png", ""),
        (14, 16, "64x48 pixels exceeds the limit of 100"),
    )


def test_animated_png(rule):
    rule.check("# page: raw/pages/a.md\nframes: 1\n" + R.format("1.png", "animated"), (14, 16, "is an animated PNG"))
