"""IMG008: a GIF published without the videos the page shows in its place.

The site's ``page-image`` include shows an ``images`` GIF ``X.gif`` as an autoplaying ``<video>`` with the sources
``X.webm`` and ``X.mp4`` beside it; the ``<img>`` of the GIF inside ``<video>`` is shown only by browsers without
video support, so a page whose two videos are missing shows a blank box (error), and one whose WebM or MP4 alone is
missing is blank in browsers that play only the other format (warning).

Checked only when the images root is a published asset folder (the site's ``assets/images``, or the build's output
folder): that is, when a folder holding a page's GIF also holds a video (``.webm`` or ``.mp4``). A root of renders
alone (``raw/images``, where the build makes the GIFs and videos) holds no GIF, so the rule stays silent there.
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "IMG008"
SUMMARY = "published GIF without its WebM/MP4 (the page's video box is blank)"
SEVERITY = Severity.ERROR
NEEDS_FILES = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# file: raw/images/muscles/gif/Leg-Lateral.gif
# file: raw/images/muscles/gif/Leg-Lateral.webm
# file: raw/images/muscles/gif/Leg-Lateral.mp4
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# file: raw/images/muscles/gif/Leg-Lateral.gif      # published, but no Leg-Lateral.webm or .mp4
# file: raw/images/muscles/gif/Leg.gif              # the region page's animation, with its videos
# file: raw/images/muscles/gif/Leg.webm
# file: raw/images/muscles/gif/Leg.mp4
"""

VIDEOS = (".webm", ".mp4")


def _gifs(ctx: Context):
    """(page, images entry, the GIF's name without '.gif') of every page's GIF that exists under the images root."""
    for page in ok_pages(ctx):
        for im in page.images:
            name = im.name
            if name and name.endswith(".gif") and not ctx.files.unsafe_reason(name) and ctx.files.exists(name):
                yield page, im, name[: -len(".gif")]


def published(ctx: Context, gifs) -> bool:
    """Whether the images root is a published asset folder: a folder holding a page's GIF holds a video too."""
    for folder in sorted({base.rpartition("/")[0] for _, _, base in gifs}):
        if any(n.endswith(VIDEOS) for n in ctx.files.listing(folder) or ()):
            return True
    return False


def check(ctx: Context):
    if ctx.files is None:
        return
    gifs = list(_gifs(ctx))
    if not gifs or not published(ctx, gifs):
        return
    for page, im, base in gifs:
        missing = [base + ext for ext in VIDEOS if not ctx.files.exists(base + ext)]
        if not missing:
            continue
        line, col = page.fm.pos(("images", im.index, "image_name"))
        names = " and ".join(f"'{m.rpartition('/')[2]}'" for m in missing)
        if len(missing) == len(VIDEOS):
            yield at(page, line, col, f"'{im.name}' is published without its videos: no {names} beside it under {ctx.files.shown}; "
                     "the page shows a blank video box (the GIF inside <video> is only for browsers without video)")
        else:
            yield at(page, line, col, f"'{im.name}' is published without {names} beside it under {ctx.files.shown}; "
                     "browsers that play only that format show a blank video box", severity=Severity.WARNING)
