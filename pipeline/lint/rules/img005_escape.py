"""IMG005: an image reference could leave the images root: it is never opened.

Refused: absolute paths, '..' segments, backslashes, URL-encoded characters, and (when the renders
are available) a path that passes through a symbolic link pointing outside the images root.
"""

from __future__ import annotations

from pipeline.content.files import ImageFiles
from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "IMG005"
SUMMARY = "image reference escapes the images root (never opened)"
SEVERITY = Severity.ERROR
NEEDS_FILES = False
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: elsewhere/png/Leg-Lateral-1..4.png 64x48 RGB
# link: raw/images/muscles/png -> ../../../elsewhere/png    # the folder leads out of the images root
"""


def _plain(ref: str) -> bool:
    """Cheap proof that a reference cannot escape: relative, no '..', '\\', '%' or scheme."""
    return not (ref.startswith("/") or ".." in ref or "\\" in ref or "%" in ref or ":" in ref)


def check(ctx: Context):
    files = ctx.files or ImageFiles(ctx.config.images)
    for page in ok_pages(ctx):
        refs = [(g.url, g, "gallery image") for g in page.gallery if g.url]
        refs += [(im.name, im, "image") for im in page.images if im.name]
        for ref, entry, what in refs:
            why = None if _plain(ref) else files.unsafe_reason(ref)
            if why is None and ctx.files is not None and ref.endswith(".png"):
                why = ctx.files.resolve(ref).unsafe  # a link inside the root that points out of it
            if why:
                if what == "image":
                    line, col = page.fm.pos(("images", entry.index, "image_name"))
                else:
                    line, col = entry.line, entry.column
                yield at(page, line, col, f"{what} '{ref}' {why}")
