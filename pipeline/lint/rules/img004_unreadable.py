"""IMG004: a render cannot be used: unreadable, empty, truncated, not a PNG, animated, or too large.

Checked from the file's first bytes and its last 12 bytes (a whole PNG ends with IEND), so an
interrupted render or a JPEG saved as ``.png`` is caught without decoding. Dimensions above the
``max_pixels`` limit (``[tool.pipeline.encode]``) are refused before any decoder sees them.
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages, png_info

CODE = "IMG004"
SUMMARY = "render unreadable, truncated, not a PNG, animated or too large"
SEVERITY = Severity.ERROR
NEEDS_FILES = True
BUILD_INPUT = True

PASSING = """\
muscles/png/Leg-Lateral-1.png    a complete 600x800 PNG
"""
FAILING = """\
muscles/png/Leg-Lateral-1.png    a JPEG saved with a .png name
muscles/png/Leg-Lateral-2.png    0 bytes (the render was interrupted)
"""


def check(ctx: Context):
    for page in ok_pages(ctx):
        for g in page.gallery:
            if not g.url:
                continue
            info = png_info(ctx, g.url)
            if info is None:
                continue
            if info.error:
                yield at(page, g.line, g.column, f"'{g.url}': {info.error}")
            elif info.animated:
                yield at(page, g.line, g.column, f"'{g.url}' is an animated PNG; a gallery frame must be a single image")
