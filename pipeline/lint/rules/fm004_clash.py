"""FM004: two pages claim the same permalink, or their build outputs would have the same file name.

Jekyll writes one page over the other without a warning, and the build would write one animation or
thumbnail over another. Names that differ only in case clash too: they overwrite each other on
case-insensitive file systems (macOS, Windows) where authors build.
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.content.model import Page, normalize_permalink, thumb_name
from pipeline.content.outputs import claims
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "FM004"
SUMMARY = "permalink or build output claimed by two pages"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
# page: raw/pages/leg-anterior.md
permalink: /muscle/leg/anterior/
title: Muscles of the anterior compartment of the leg
stem: Leg-Anterior
description: The anterior compartment holds the tibialis anterior and the long extensors of the toes, which lift the foot.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Anterior-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# page: raw/pages/leg_lateral.md    # an old copy, under the same permalink
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def check(ctx: Context):
    owner: dict[str, Page] = {}  # normalised permalink -> the page keeping it (the first by path)
    for key, declaring in ctx.permalinks.items():
        # when some files are linted with the site as context, a page among them is never the one keeping it: the
        # finding lands on the page that was changed (a new page copying an existing page's permalink)
        first, *others = sorted(declaring, key=lambda p: (p.reported, p.display))
        owner[key] = first
        for page in others:
            line, col = page.fm.pos(("permalink",))
            yield at(page, line, col, f"permalink {page.permalink} is also declared by {first.display}; one page overwrites the other",
                     related=(Related(first.display, first.fm.pos(("permalink",))[0], "same permalink"),))

    pages = sorted(ok_pages(ctx), key=lambda p: p.display)
    # outputs: the GIF (+ videos beside it) of each images entry, and each gallery thumbnail; positions only on a clash
    first_output: dict[str, tuple] = {}
    for page in pages:
        claimed = claims(page)
        names: list[tuple[str, object]] = [(im.name, im) for im in claimed.animations]
        names += [(thumb_name(g.url), g) for g in claimed.frames]
        seen_here: set[str] = set()
        for name, entry in names:
            key = name.lower()
            if key in seen_here:
                continue  # repeated within one page: IMG002's business
            seen_here.add(key)
            first = first_output.get(key)
            if first is None:
                first_output[key] = (page, entry, name)
                continue
            other, oentry, oname = first
            if other is page:
                continue
            kept = owner.get(normalize_permalink(page.permalink)) if page.permalink else None
            if kept is not None and kept.display == other.display:
                continue  # already reported as one clash above
            line, col = _where(page, entry)
            how = "the same file" if oname == name else f"'{oname}' (differs only in case)"
            yield at(page, line, col, f"build output '{name}' is also produced by {other.display} as {how}; one would overwrite the other",
                     related=(Related(other.display, _where(other, oentry)[0], "same output"),))
            break  # one finding per pair of pages is enough


def _where(page, entry) -> tuple[int, int]:
    if hasattr(entry, "url"):  # a gallery entry
        return entry.line, entry.column
    return page.fm.pos(("images", entry.index, "image_name"))
