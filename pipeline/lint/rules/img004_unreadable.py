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
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Lateral-2.png 64x48 RGB empty        # the render was interrupted
# render: raw/images/muscles/png/Leg-Lateral-3.png 64x48 RGB truncated
# render: raw/images/muscles/png/Leg-Lateral-4.png 64x48 RGB jpeg         # a JPEG saved under a .png name
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
