"""TXT005: an internal link to a permalink no page has, with the closest one suggested."""

from __future__ import annotations

from .helper import line_of

CODE = "TXT005"

FIBULARIS = "# page: raw/pages/b.md\npermalink: /muscle/leg/fibularislongus/\nstem: Leg-FibularisLongus\n"


def test_broken_links(rule):
    rule.check(
        "# page: raw/pages/a.md\nback: /muscle/legs/\n"
        "body: - [Fibularis](/muscle/leg/fibularislonus/)\nbody: - [Self](../lateral/)\nbody: - [Web](https://example.org/x)\n"
        + FIBULARIS,
        (30, 10, "Back link points to /muscle/legs/, which is no page's permalink"),
        (32, 15, "link 'Fibularis' points to /muscle/leg/fibularislonus/, which is no page's permalink; did you mean /muscle/leg/fibularislongus/?"),
        check_files=False,
    )
    page = rule.root / "raw/pages/a.md"
    assert (line_of(page, "[Back"), line_of(page, "fibularislonus")) == (30, 32)
    assert len("[Back››](") + 1 == 10


def test_links_checked_against_whole_site_when_one_file_linted(rule):
    rule.check(
        "# page: raw/pages/a.md\nbody: - [B](/muscle/leg/b/)\n# page: raw/pages/b.md\npermalink: /muscle/leg/b/\nstem: Leg-B\n",
        check_files=False,
        paths=["raw/pages/a.md"],
    )
