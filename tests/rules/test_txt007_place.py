"""TXT007: the permalink's region, the tags, the Back link and the renders' region prefix disagree."""

from __future__ import annotations

CODE = "TXT007"


def test_place(rule):
    rule.check(
        "# page: raw/pages/a.md\ntags: arm\nback: /muscle/thigh/\nstem: Arm-Lateral\n",
        (7, 7, "tags arm do not include the region 'leg' of permalink /muscle/leg/lateral/"),
        (10, 17, "render 'Arm-Lateral' has region prefix 'Arm', but the page is in region 'leg' (/muscle/leg/lateral/)"),
        (30, 10, "Back link goes to /muscle/thigh/, but this page belongs under /muscle/leg/"),
        check_files=False,
    )


def test_group_back_link_is_fine(rule):
    rule.check("# page: raw/pages/a.md\nback: /muscle/leg/superficialposterior/\n", check_files=False)
