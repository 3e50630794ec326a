"""IMG003: frames of one sequence differ in size (an error) or in mode (a warning)."""

from __future__ import annotations

CODE = "IMG003"


def test_size_and_mode(rule):
    result = rule.check(
        "# page: raw/pages/a.md\n"
        "# page: raw/pages/b.md\npermalink: /muscle/leg/b/\nstem: Leg-B\n"
        "# render: raw/images/muscles/png/Leg-Lateral-1..2.png 32x24 RGB\n"
        "# render: raw/images/muscles/png/Leg-Lateral-3.png 40x24 RGB\n"
        "# render: raw/images/muscles/png/Leg-Lateral-4.png 32x24 RGB\n"
        "# render: raw/images/muscles/png/Leg-B-1..2.png 32x24 RGB\n"
        "# render: raw/images/muscles/png/Leg-B-3.png 32x24 RGBA\n"
        "# render: raw/images/muscles/png/Leg-B-4.png 32x24 RGB\n",
        ("raw/pages/a.md", 20, 16, "'muscles/png/Leg-Lateral-3.png' is 40x24, but 'muscles/png/Leg-Lateral-1.png' is 32x24"),
        ("raw/pages/b.md", 20, 16, "'muscles/png/Leg-B-3.png' is 8-bit RGBA, but 'muscles/png/Leg-B-1.png' is 8-bit RGB"),
    )
    assert [f.severity.value for f in result.findings] == ["error", "warning"]
    assert [f.related[0].line for f in result.findings] == [14, 14]  # the first frame


def test_one_size_and_mode_clean(rule):
    rule.check("# page: raw/pages/a.md\n# render: raw/images/muscles/png/Leg-Lateral-1..4.png 32x24 RGB\n")
