"""IMG006: renders on disk that no page uses (an orphan sequence).

Every ``<Name>-N.png`` sequence under the images root should be listed by some page's gallery.
An orphan is usually a page that was renamed or a render made for a page not yet written.
Only checked when the whole site is linted (orphans cannot be judged from a few pages).
"""

from __future__ import annotations

from pipeline.content.findings import Problem, Severity
from pipeline.lint.rules.context import Context, ok_pages

CODE = "IMG006"
SUMMARY = "render sequence on disk that no page references"
SEVERITY = Severity.WARNING
NEEDS_FILES = True

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Soleus-1..4.png 64x48 RGB     # no page shows them
"""

def check(ctx: Context):
    if ctx.files is None or not ctx.site.whole_site:
        return
    used: set[tuple[str, str]] = set()
    for page in ok_pages(ctx):
        for g in page.gallery:
            if g.frame is not None:
                used.add((g.frame.directory, g.frame.stem))
    for (rel, stem), frames in sorted(ctx.files.sequences().items()):
        if (rel, stem) in used:
            continue
        first = min(frames, key=lambda f: f[0])[1]
        path = ctx.config.show(ctx.files.root / rel / first)
        seq = f"{rel}/{stem}" if rel else stem
        yield Problem(path, 1, 1, f"{len(frames)} render(s) of sequence {seq} are not referenced by any page")
