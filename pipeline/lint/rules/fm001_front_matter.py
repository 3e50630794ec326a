"""FM001: the page has no front matter, or it cannot be read as YAML.

Reported at the line and column the YAML parser stopped at. Also covers files that are not UTF-8,
too large to read, front matter not closed by '---', YAML tags that would construct objects
(never executed), and alias expansion or nesting beyond the loader's limits.
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at

CODE = "FM001"
SUMMARY = "front matter missing or unparseable"
SEVERITY = Severity.ERROR
NEEDS_FILES = False
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# file: raw/pages/leg-lateral.md
---
layout: page
permalink: /muscle/leg/lateral/
title: 'Muscles of the lateral compartment of the leg
subheadline: 'Images and description.'
---
"""


def check(ctx: Context):
    for page in ctx.site.pages:
        if page.load_error is not None:
            yield at(page, page.load_error_line, page.load_error_column, page.load_error)
            continue
        fm = page.fm
        if not fm.present:
            if not page.is_article:
                yield at(page, 1, 1, "no front matter: a page must start with a '---' line")
            continue
        for issue in fm.issues:
            if issue.kind in ("syntax", "unsupported"):
                yield at(page, issue.line, issue.column, issue.message)
        if fm.data is None and not any(i.kind == "syntax" for i in fm.issues) and fm.end_line:
            if not fm.issues:
                yield at(page, fm.start_line, 1, "front matter is empty")
