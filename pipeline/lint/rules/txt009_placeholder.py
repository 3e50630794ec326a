"""TXT009: placeholder text left where readers will see it.

A page is not finished while its prose holds a placeholder: the description ``pipeline new`` writes for a new
page ("TODO: describe ..."), or a ``TODO``, ``FIXME`` or ``TBD`` marker, or "lorem ipsum" filler. Checked in the
body's prose (not in Liquid or HTML comments, code or link targets, which readers do not see) and in the front
matter's texts for readers (title, subheadline, captions, image titles and alt texts). Markers count only in
capitals, as written to be found ("todo list" is prose).
"""

from __future__ import annotations

import re

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages
from pipeline.lint.text.tokens import front_matter_values, locate_value

CODE = "TXT009"
SUMMARY = "placeholder text (TODO, FIXME, TBD, lorem ipsum) left in a page"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
body: {% comment %}TODO: add the nerve supply{% endcomment %}
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
description: TODO: describe the muscles of the lateral compartment of the leg.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""

MARKER = re.compile(r"\b(?:TODO|FIXME|TBD)\b|\b[Ll]orem ipsum\b")


_INLINE_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}")


def check(ctx: Context):
    for page in ok_pages(ctx):
        text = page.text
        if ("TODO" in text or "FIXME" in text or "TBD" in text or "orem ipsum" in text) and MARKER.search(text):
            places = list(_places(ctx, page))
            if places:
                line, col, what = places[0]
                more = f" ({len(places)} places on this page)" if len(places) > 1 else ""
                yield at(page, line, col, f"placeholder left in the page: '{what}'{more}; write the text before the page is published")


def _places(ctx: Context, page):
    """(line, column, the text from the marker on) of each placeholder, front matter first."""
    for path, value in front_matter_values(page):
        m = MARKER.search(value)
        if m:
            f = locate_value(page, path, value, "")
            yield f.line, f.column + m.start() if f.single_line else f.column, _shown(value[m.start() :])
    for f in ctx.text.body_lines(page):
        raw, text = page.line_text(f.line), f.text
        for c in _INLINE_COMMENT.finditer(raw) if "{%" in raw else ():
            text = text[: c.start()] + " " * (c.end() - c.start()) + text[c.end() :]  # a comment on one line
        for m in MARKER.finditer(text):
            yield f.line, f.column + m.start(), _shown(raw[m.start() :])


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 60 else text[:57] + "..."
