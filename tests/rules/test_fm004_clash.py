"""FM004: a permalink, or a build output name, claimed by two pages."""

from __future__ import annotations

from .helper import line_of

CODE = "FM004"

OTHER = "# page: raw/pages/b.md\nstem: Leg-Other\nimage_id: legother\n"


def test_same_permalink(rule):
    result = rule.check("# page: raw/pages/a.md\n" + OTHER, ("raw/pages/b.md", 3, 12, "also declared by raw/pages/a.md"), check_files=False)
    assert result.findings[0].related[0].line == 3  # a.md's permalink


def test_same_output_names_even_by_case(rule):
    result = rule.check(
        "# page: raw/pages/a.md\n# page: raw/pages/b.md\npermalink: /muscle/leg/other/\nstem: leg-lateral\nimage_id: leglateral\n",
        ("raw/pages/b.md", 10, 17, "differs only in case"),
        check_files=False,
    )
    assert line_of(rule.root / "raw/pages/b.md", "image_name") == 10


def test_distinct_pages_clean(rule):
    rule.check("# page: raw/pages/a.md\n" + OTHER + "permalink: /muscle/leg/other/\n", check_files=False)
