"""FM005: a lint-ignore that silences nothing, or names an unknown rule (front matter key or Liquid comment)."""

from __future__ import annotations

from .helper import line_of

CODE = "FM005"


def test_front_matter_suppression_and_unused(rule):
    result = rule.check(
        "# page: raw/pages/a.md\ntags: arm\nfront: lint-ignore: [TXT007, FM003]\n",
        (7, 23, "lint-ignore: FM003 suppresses nothing on this page"),
        select=[],
        check_files=False,
    )
    assert result.suppressed == 1  # TXT007's finding
    assert line_of(rule.root / "raw/pages/a.md", "lint-ignore") == 7


def test_liquid_comment_suppression_and_unknown_code(rule):
    result = rule.check(
        "# page: raw/pages/a.md\ntags: arm\nbody: {% comment %}lint-ignore: TXT007, ZZZ123{% endcomment %}\n",
        (32, 1, "lint-ignore names unknown rule 'ZZZ123'"),
        select=[],
        check_files=False,
    )
    assert result.suppressed == 1
    assert line_of(rule.root / "raw/pages/a.md", "endcomment") == 32
