"""IMG006: a render sequence on disk that no page uses (judged only when the whole site is linted)."""

from __future__ import annotations

from PIL import Image

from .helper import lint_example

CODE = "IMG006"

SITE = (
    "# page: raw/pages/a.md\n"
    "# page: raw/pages/b.md\npermalink: /muscle/leg/b/\nstem: Leg-B\n"
    "# render: raw/images/muscles/png/Leg-Lateral-1..4.png 32x24 RGB\n"
    "# render: raw/images/muscles/png/Leg-B-1..4.png 32x24 RGB\n"
)


def test_orphan_only_on_whole_site(rule):
    rule.check(
        SITE + "# render: raw/images/muscles/png/Leg-Peroneus-1..3.png 32x24 RGB\n",
        ("raw/images/muscles/png/Leg-Peroneus-1.png", 1, 1, "3 render(s) of sequence muscles/png/Leg-Peroneus are not referenced by any page"),
    )
    assert lint_example(rule.root, select=["IMG006"], paths=["raw/pages/a.md"]).findings == []  # one file: cannot be judged


def test_thumbnails_are_not_sequences(rule):
    rule.check("# page: raw/pages/a.md\n# render: raw/images/muscles/png/Leg-Lateral-1..4.png 32x24 RGB\n")
    Image.new("RGB", (4, 4)).save(rule.root / "raw/images/muscles/png/Leg-Lateral-1-thumb.png")
    assert lint_example(rule.root, select=["IMG006"]).findings == []
