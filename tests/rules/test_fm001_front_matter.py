"""FM001: front matter missing or unparseable; the malformed pages it reports never stop the others being checked."""

from __future__ import annotations

import os

import pytest

from pipeline.lint.examples import site_page

from .helper import check_malformed, lint_example, write_site

CODE = "FM001"

MALFORMED = {
    "empty": (b"", 1, "no front matter"),
    "unclosed": (b"---\ntitle: x\nlayout: page\n", 1, "not closed"),
    "tabs": (b"---\ntitle: x\n\tlayout: page\n---\n", 3, "YAML syntax error"),
    "not_utf8": (b"---\ntitle: 'caf\xe9'\n---\n", 2, "not valid UTF-8"),
    "python_tag": (b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n", 2, "not allowed in front matter"),
    "deep_nesting": (b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n", 2, "nested more than"),
    "object_key": (b"---\n? [a, b]\n: 1\ntitle: x\n---\n", 2, "mapping key must be a plain value"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_page_is_reported_and_others_still_checked(tmp_path, name):
    data, line, part = MALFORMED[name]
    check_malformed(tmp_path, data, CODE, line, part)


def test_syntax_error_at_its_position(rule):
    rule.check("# file: raw/pages/a.md\n---\ntitle: 'x\nlayout: page\n---\nbody\n", (4, 1, "YAML syntax error"), check_files=False)


def test_missing_front_matter(rule):
    rule.check("# file: raw/pages/a.md\nNo front matter here.\n", (1, 1, "no front matter"), check_files=False)


def test_alias_bomb_is_refused_quickly(rule):
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for n in "bcdefghij":
        lines.append(f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = n
    text = "\n".join(lines + ["---", ""])
    result = rule.check("# file: raw/pages/bomb.md\n" + text, (2, 32, "aliases repeated too often"), select=["FM"], check_files=False)
    assert result.exit_code == 1


def test_huge_file_is_capped(rule):
    text = site_page() + "word " * 300_000
    rule.check("# file: raw/pages/huge.md\n" + text, (1, 1, "over the 1,000,000-byte limit"), select=[], check_files=False)


def test_unreadable_file(rule, tmp_path):
    write_site(tmp_path, "# page: raw/pages/a.md\n")
    p = tmp_path / "raw" / "pages" / "a.md"
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):
            pytest.skip("running as a user who can read any file")
        (f,) = lint_example(tmp_path, check_files=False).findings
        assert (f.code, f.line, f.column) == ("FM001", 1, 1) and "cannot read" in f.message
    finally:
        p.chmod(0o644)
