"""FM002: front matter that violates the page schema, one finding per error, at the node, with its JSON path."""

from __future__ import annotations

import pytest

from pipeline.lint.examples import site_page

from .helper import check_malformed, line_of, write_site

CODE = "FM002"

MALFORMED = {
    "top_level_list": (b"---\n- a\n- b\n---\n", 2, "is not of type 'object'"),
    "top_level_scalar": (b"---\njust a string\n---\n", 2, "is not of type 'object'"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_page_is_reported_and_others_still_checked(tmp_path, name):
    data, line, part = MALFORMED[name]
    check_malformed(tmp_path, data, CODE, line, part)


def test_schema_errors_each_at_their_line(rule):
    text = site_page(frames=2).replace("  - image_url: muscles/png/Leg-Lateral-2.png", "  - image_url: muscles/png/Leg Lateral 2.jpg")
    text = text.replace("header: no\n", "header: no\ncolour: red\n").replace("layout: page\n", "")
    result = rule.check(
        "# file: raw/pages/a.md\n" + text,
        (2, 1, "'layout' is a required property"),
        (6, 1, "unknown key 'colour'"),
        (17, 16, "$.gallery[1].image_url: 'muscles/png/Leg Lateral 2.jpg' does not match"),
        check_files=False,
    )
    assert [f.json_path for f in result.findings] == ["$", "$.colour", "$.gallery[1].image_url"]


def test_moderate_aliases_pass_through_schema_and_rules(rule):
    text = site_page().replace("header: no\n", "header: no\nx: &big [" + ", ".join(["y"] * 100) + "]\nz: [" + ", ".join(["*big"] * 100) + "]\n")
    rule.check("# file: raw/pages/a.md\n" + text, (7, 1, "unknown key 'x'"), (8, 1, "unknown key 'z'"), select=[], check_files=False)


def test_names_with_spaces_and_non_ascii(rule, tmp_path):
    text = site_page(frames=2).replace("muscles/png/Leg-Lateral-2.png", "muscles/png/Leg Latéral-2.png")
    write_site(tmp_path, "# render: raw/images/muscles/png/Leg-Lateral-1.png 64x48 RGB\n")
    (tmp_path / "raw/images/muscles/png/Leg Latéral-2.png").write_bytes((tmp_path / "raw/images/muscles/png/Leg-Lateral-1.png").read_bytes())
    (tmp_path / "raw/pages/a.md").write_text(text, encoding="utf-8")
    line = line_of(tmp_path / "raw/pages/a.md", "Leg Latéral-2.png")
    result = rule.check("# file: raw/pages/a.md\n" + text, (line, 16, "$.gallery[1].image_url"))
    assert result.findings[0].json_path == "$.gallery[1].image_url"
