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
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
front: header: yes          # 'header' is set above: one of the two values is lost
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def check(ctx: Context):
    for page in ctx.site.pages:
        for issue in page.fm.issues:
            if issue.kind == "duplicate-key":
                yield at(page, issue.line, issue.column, issue.message, related=(Related(page.display, issue.related_line, "first defined here"),))
