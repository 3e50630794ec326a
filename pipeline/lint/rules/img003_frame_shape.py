"""IMG003: frames of one sequence differ in size or in pixel format.

All orientations of an animation must share one size (a GIF or video frame cannot change size)
and should share one mode (bit depth and colour type): a frame rendered with other settings
shows as a jump in the animation. Read from the PNG header only; nothing is decoded.
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at, ok_pages, png_info

CODE = "IMG003"
SUMMARY = "frames of one sequence differ in size or mode"
SEVERITY = Severity.ERROR
NEEDS_FILES = True
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..3.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Lateral-4.png 128x96 RGB    # re-rendered at another size
"""


def check(ctx: Context):
    for page in ok_pages(ctx):
        first: dict[str, tuple] = {}
        for g in page.gallery:
            if g.frame is None:
                continue
            info = png_info(ctx, g.url)
            if info is None or info.error:
                continue  # IMG001 / IMG004 / IMG005
            seq = g.frame.sequence
            if seq not in first:
                first[seq] = (g, info)
                continue
            g0, i0 = first[seq]
            if (info.width, info.height) != (i0.width, i0.height):
                yield at(page, g.line, g.column,
                         f"'{g.url}' is {info.width}x{info.height}, but '{g0.url}' is {i0.width}x{i0.height}: frames of an animation must have one size",
                         related=(Related(page.display, g0.line, "first frame of the sequence"),))
            elif (info.bit_depth, info.colour_type) != (i0.bit_depth, i0.colour_type):
                yield at(page, g.line, g.column, f"'{g.url}' is {info.mode}, but '{g0.url}' is {i0.mode}",
                         related=(Related(page.display, g0.line, "first frame of the sequence"),), severity=Severity.WARNING,
                         blocks_build=False)  # the decoder converts every frame to one mode
