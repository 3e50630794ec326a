"""TXT007: the page's place in the site is stated inconsistently.

A page at ``/muscle/<region>/<name>/`` belongs to one region, and four things must agree: the
permalink's region, the ``tags`` (which must include the region), the Back link (to
``/muscle/<region>/``; a region page links back to ``/muscle/``), and the region prefix of its renders
(``Leg-…`` on a leg page, not ``Arm-…``).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "TXT007"
SUMMARY = "permalink region, tags, Back link and render prefix disagree"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
tags: arm                   # the permalink puts the page in the region 'leg'
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def _tags(value) -> list[str]:
    if isinstance(value, str):
        return [t.strip().lower() for t in value.replace(",", " ").split() if t.strip()]
    if isinstance(value, list):
        return [t.strip().lower() for t in value if isinstance(t, str)]
    return []


def check(ctx: Context):
    for page in ok_pages(ctx):
        perm = page.permalink or ""
        parts = [p for p in perm.strip("/").split("/") if p]
        if len(parts) < 2 or parts[0] != "muscle":
            continue
        region = parts[1]
        is_region_page = len(parts) == 2
        # tags
        tags = _tags(page.data.get("tags"))
        if tags and not is_region_page and region not in tags:
            line, col = page.fm.pos(("tags",))
            yield at(page, line, col, f"tags {', '.join(tags)} do not include the region '{region}' of permalink {perm}")
        # Back link: to the region page (or a group page inside the region); a region page goes back to /muscle/
        expected = "/muscle/" if is_region_page else f"/muscle/{region}/"
        for link in page.links:
            if link.text.strip().lower().startswith("back"):
                target = link.target if link.target.endswith("/") else link.target + "/"
                own = perm if perm.endswith("/") else perm + "/"
                fits = target == expected if is_region_page else (target.startswith(expected) and target != own)
                if not fits:
                    yield at(page, link.line, link.column, f"Back link goes to {link.target}, but this page belongs under {expected}")
                break
        # render prefix
        stems = [(PurePosixPath(im.name).stem, page.fm.pos(("images", im.index, "image_name"))) for im in page.images if im.name]
        first = next((g for g in page.gallery if g.frame is not None), None)
        if first is not None:
            stems.append((first.frame.stem, (first.line, first.column)))
        reported: set[str] = set()
        for stem, (line, col) in stems:
            prefix = stem.split("-", 1)[0]
            if prefix.lower() != region and prefix.lower() not in reported:
                reported.add(prefix.lower())
                yield at(page, line, col, f"render '{stem}' has region prefix '{prefix}', but the page is in region '{region}' ({perm})")
