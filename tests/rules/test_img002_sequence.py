"""IMG002: an orientation sequence with a gap, a duplicate, the wrong order, or frames on disk the gallery omits."""

from __future__ import annotations

from .helper import line_of

CODE = "IMG002"


def test_gap_duplicate_order(rule):
    rule.check(
        "# page: raw/pages/gap.md\nframes: 1, 2, 4\n"
        "# page: raw/pages/dup.md\npermalink: /muscle/leg/b/\nstem: Leg-B\nframes: 1, 2, 2, 3\n"
        "# page: raw/pages/order.md\npermalink: /muscle/leg/c/\nstem: Leg-C\nframes: 1, 3, 2\n",
        ("raw/pages/dup.md", 20, 16, "orientation 2 of muscles/png/Leg-B is listed twice"),
        ("raw/pages/gap.md", 20, 16, "gap in muscles/png/Leg-Lateral: orientation 3 missing before 4"),
        ("raw/pages/order.md", 17, 16, "orientation 3 of muscles/png/Leg-C comes before orientation 2: out of order"),
        check_files=False,
    )
    pages = rule.root / "raw" / "pages"
    assert line_of(pages / "gap.md", "Leg-Lateral-4.png") == 20
    assert line_of(pages / "dup.md", "Leg-B-2.png", 2) == 20
    assert line_of(pages / "order.md", "Leg-C-3.png") == 17


def test_unlisted_frames_on_disk(rule):
    rule.check(
        "# page: raw/pages/a.md\nframes: 3\n# render: raw/images/muscles/png/Leg-Lateral-1..5.png 64x48 RGB\n",
        (20, 16, "gallery lists 3 orientation(s) of muscles/png/Leg-Lateral but 5 are on disk; not listed: Leg-Lateral-4.png"),
    )


def test_whole_sequence_clean(rule):
    rule.check("# page: raw/pages/a.md\n# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB\n")
