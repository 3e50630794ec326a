"""IMG007: a page-image include naming an undefined image_id (an error), an images entry never shown (a warning)."""

from __future__ import annotations

from .helper import line_of

CODE = "IMG007"


def test_undefined_and_unused(rule):
    result = rule.check(
        "# page: raw/pages/a.md\nshow: leg-lateral\n",
        (9, 15, "image 'leglateral' is never shown"),
        (32, 1, "page-image include names im_id 'leg-lateral', which this page's images do not define (defined: leglateral)"),
        check_files=False,
    )
    assert [f.severity.value for f in result.findings] == ["warning", "error"]
    assert line_of(rule.root / "raw/pages/a.md", "page-image") == 32


def test_clean(rule):
    rule.check("# page: raw/pages/a.md\n", check_files=False)
