"""FM004: two pages claim the same permalink, or their build outputs would have the same file name.

Jekyll writes one page over the other without a warning, and the build would write one animation or
thumbnail over another. Names that differ only in case clash too: they overwrite each other on
case-insensitive file systems (macOS, Windows) where authors build.
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.content.model import normalize_permalink, thumb_name
from pipeline.content.outputs import claims
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "FM004"
SUMMARY = "permalink or build output claimed by two pages"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
# leg-lateral.md
permalink: /muscle/leg/lateral/
# leg-anterior.md
permalink: /muscle/leg/anterior/
"""
FAILING = """\
# leg-lateral.md
permalink: /muscle/leg/lateral/
# leg_lateral.md (an old copy)
permalink: /muscle/leg/lateral/
"""


def check(ctx: Context):
    pages = sorted(ok_pages(ctx), key=lambda p: p.display)
    first_permalink: dict[str, tuple] = {}
    for page in pages:
        if not page.permalink:
            continue
        key = normalize_permalink(page.permalink)
        line, col = page.fm.pos(("permalink",))
        if key in first_permalink:
            other, oline = first_permalink[key]
            yield at(page, line, col, f"permalink {page.permalink} is also declared by {other}; one page overwrites the other",
                     related=(Related(other, oline, "same permalink"),))
        else:
            first_permalink[key] = (page.display, line)

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
            perm = normalize_permalink(page.permalink) if page.permalink else None
            if perm is not None and perm in first_permalink and first_permalink[perm][0] == other.display:
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
