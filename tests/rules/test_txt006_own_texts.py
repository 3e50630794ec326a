"""TXT006: a page's title, alt texts, captions, GIF name and gallery disagree."""

from __future__ import annotations

from pipeline.lint.examples import site_page

from .helper import line_of

CODE = "TXT006"

TITLE = "Muscles of the lateral compartment of the leg"


def test_disagreeing_texts(rule):
    text = site_page(frames=4)
    text = text.replace(f"caption: '{TITLE} - orientation 4'", f"caption: '{TITLE} - orientation 3'")
    text = text.replace(f"image_alt: '{TITLE}'", "image_alt: 'Muscles of the anterior compartment'")
    text = text.replace("image_name: 'muscles/gif/Leg-Lateral.gif'", "image_name: 'muscles/gif/Leg-Anterior.gif'")
    rule.check(
        "# file: raw/pages/a.md\n" + text,
        (9, 15, "image_id 'leglateral' does not name the structure of its GIF Leg-Anterior"),
        (10, 17, "GIF 'muscles/gif/Leg-Anterior.gif' is named Leg-Anterior, but the gallery shows Leg-Lateral"),
        (12, 16, "image_alt 'Muscles of the anterior compartment' differs from the page title"),
        (24, 14, "gallery caption says orientation 3, but its image is 'muscles/png/Leg-Lateral-4.png'"),
        check_files=False,
    )
    page = rule.root / "raw/pages/a.md"
    assert (line_of(page, "image_name"), line_of(page, "image_alt"), line_of(page, f"caption: '{TITLE} - orientation 3'", 2)) == (10, 12, 24)


def test_wrong_base_reported_once(rule):
    text = site_page(frames=4).replace(f"caption: '{TITLE}", "caption: 'Muscles of the calf")
    rule.check("# file: raw/pages/a.md\n" + text, (15, 14, "does not follow the page title 'Muscles of the lateral compartment of the leg' (and 3 more)"), check_files=False)


def test_clean(rule):
    rule.check("# page: raw/pages/a.md\n", check_files=False)
