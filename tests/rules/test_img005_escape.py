"""IMG005: an image reference that could leave the images root is refused, and never opened."""

from __future__ import annotations

from pipeline.lint.examples import site_page

from .helper import lint_example

CODE = "IMG005"


def test_escapes(rule):
    text = site_page(frames=5)
    text = text.replace("image_url: muscles/png/Leg-Lateral-1.png", "image_url: ../../secret/Leg-Lateral-1.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-2.png", "image_url: /muscles/png/Leg-Lateral-2.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-3.png", "image_url: muscles\\png\\Leg-Lateral-3.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-4.png", "image_url: muscles/png/Leg%2DLateral-4.png")
    rule.check(
        "# file: raw/pages/a.md\n" + text
        + "# render: outside/muscles/png/Leg-Lateral-5.png 32x24 RGB\n"
        + "# link: raw/images/muscles/png -> ../../../outside/muscles/png\n",
        (14, 16, "gallery image '../../secret/Leg-Lateral-1.png' contains '..' and could leave the images root"),
        (17, 16, "gallery image '/muscles/png/Leg-Lateral-2.png' is absolute"),
        (20, 16, "gallery image 'muscles\\png\\Leg-Lateral-3.png' uses a backslash"),
        (23, 16, "gallery image 'muscles/png/Leg%2DLateral-4.png' contains URL-encoded characters"),
        (26, 16, "gallery image 'muscles/png/Leg-Lateral-5.png' is a link that points outside the images root"),
    )
    assert lint_example(rule.root, select=["IMG004"]).findings == []  # never opened


def test_clean(rule):
    rule.check("# page: raw/pages/a.md\n# render: raw/images/muscles/png/Leg-Lateral-1..4.png 32x24 RGB\n")
