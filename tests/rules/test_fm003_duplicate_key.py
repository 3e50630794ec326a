"""FM003: a key given twice in one mapping, reported at the second, with the first as related."""

from __future__ import annotations

from pipeline.lint.examples import site_page

from .helper import check_malformed

CODE = "FM003"


def test_duplicate_key(rule):
    result = rule.check("# page: raw/pages/a.md\nfront: title: 'Other'\n", (7, 1, "duplicate key 'title'"), check_files=False)
    assert result.findings[0].related[0].line == 4  # the first title


def test_duplicate_key_in_a_malformed_site_is_reported_and_others_still_checked(tmp_path):
    data = site_page().replace("header: no\n", "header: no\nheader: yes\n").encode()
    check_malformed(tmp_path, data, CODE, 7, "duplicate key 'header'")


def test_clean(rule):
    rule.check("# page: raw/pages/a.md\n", check_files=False)
