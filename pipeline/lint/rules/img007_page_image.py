"""IMG007: the ``page-image`` include and the ``images`` list disagree.

``{% include page-image im_id="X" %}`` must name an ``image_id`` defined in the page's ``images``
(otherwise the page shows nothing: an error), and every ``images`` entry should be shown by some
``page-image`` include (otherwise it is dead weight: a warning).
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "IMG007"
SUMMARY = "page-image include names an undefined image_id, or an images entry is never shown"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
show: leg-lateral           # the page's image_id is 'leglateral'
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def check(ctx: Context):
    for page in ok_pages(ctx):
        ids = {im.image_id: im for im in page.images if im.image_id}
        shown: set[str] = set()
        for inc in page.includes:
            if inc.name != "page-image":
                continue
            iid = inc.params.get("im_id")
            if iid is None:
                yield at(page, inc.line, inc.column, "page-image include without an im_id parameter")
                continue
            shown.add(iid)
            if iid not in ids:
                known = ", ".join(sorted(ids)) or "none"
                yield at(page, inc.line, inc.column, f"page-image include names im_id '{iid}', which this page's images do not define (defined: {known})")
        for iid, im in ids.items():
            if iid not in shown:
                line, col = page.fm.pos(("images", im.index, "image_id"))
                yield at(page, line, col, f"image '{iid}' is never shown: no {{% include page-image im_id=\"{iid}\" %}} in the body", severity=Severity.WARNING)
