"""IMG001: a render the page refers to is not on disk under the images root.

Checked for every gallery ``image_url``, and for each ``images`` GIF: its sequence
``<dir>/png/<Name>-N.png`` (the frames the GIF is built from) must have at least one frame.
Existence follows the folder listing, so a name whose case differs is reported (the server is case-sensitive).
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.content.model import gif_sequence
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "IMG001"
SUMMARY = "referenced render file missing"
SEVERITY = Severity.ERROR
NEEDS_FILES = True
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..3.png 64x48 RGB    # the gallery also shows -4.png
"""


def check(ctx: Context):
    files = ctx.files
    if files is None:
        return
    for page in ok_pages(ctx):
        for g in page.gallery:
            if not g.url or files.unsafe_reason(g.url):
                continue  # schema / IMG005
            r = files.resolve(g.url)
            if r.missing:
                from pipeline.lint.fix.gallery import with_gallery_fix

                yield with_gallery_fix(ctx, page, at(page, g.line, g.column, f"gallery image '{g.url}' {r.missing}"))
        for im in page.images:
            if not im.name or files.unsafe_reason(im.name) or not im.name.endswith(".gif"):
                continue
            directory, stem = gif_sequence(im.name)
            if not files.sequence_numbers(directory, stem):
                line, col = page.fm.pos(("images", im.index, "image_name"))
                # the site's folder convention; the build makes the animation from the gallery, which the rest checks
                yield at(page, line, col, f"no frames for '{im.name}': expected {directory}/{stem}-1.png … under {files.shown}", blocks_build=False)
