"""FM003: a key appears twice in the same mapping.

YAML requires unique keys, but common loaders (PyYAML, Jekyll's Psych) silently keep the last value,
so the first one is lost without a word. Reported at the second key, with the first as related.
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at

CODE = "FM003"
SUMMARY = "duplicate key in a front matter mapping"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
title: 'Muscles of the lateral compartment of the leg'
subheadline: 'Images and description.'
"""
FAILING = """\
title: 'Muscles of the lateral compartment of the leg'
title: 'Lateral compartment'      # the first title is silently lost
"""


def check(ctx: Context):
    for page in ctx.site.pages:
        for issue in page.fm.issues:
            if issue.kind == "duplicate-key":
                yield at(page, issue.line, issue.column, issue.message, related=(Related(page.display, issue.related_line, "first defined here"),))
