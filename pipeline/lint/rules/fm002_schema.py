"""FM002: front matter does not match the page schema (``pipeline/lint/page.schema.json``, shipped in the package, or
the file ``[tool.pipeline] schema`` names).

Every error is reported, not only the first, each at the line of the offending value (for an unknown
key, at the key), with its JSON path.
"""

from __future__ import annotations

import re

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.schema import validate

CODE = "FM002"
SUMMARY = "front matter violates the page schema"
SEVERITY = Severity.ERROR
NEEDS_FILES = False
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
front: colour: red          # not a key of the page schema
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def check(ctx: Context):
    for page in ctx.site.pages:
        if page.load_error is not None or not page.fm.present or page.fm.data is None:
            continue  # FM001 speaks for it
        if any(i.kind == "syntax" for i in page.fm.issues):
            continue
        for issue in validate(page.fm, ctx.validator):
            yield at(page, issue.line, issue.column, issue.message, json_path=issue.json_path, blocks_build=_build_field(issue))


_ITEM = re.compile(r"^\$\.(images|gallery)\[\d+\]$")


def _build_field(issue) -> bool:
    """Errors in what the build reads (the animation names, the frame paths, the lists holding them) keep the page
    from being built; others (a caption, a tag) do not."""
    p, msg = issue.json_path, issue.message
    if p == "$":
        return "is not of type 'object'" in msg
    if p in ("$.images", "$.gallery") or p.endswith((".image_name", ".image_url")):
        return True
    if _ITEM.match(p):
        return "'image_name'" in msg or "'image_url'" in msg or "is not of type 'object'" in msg
    return False
