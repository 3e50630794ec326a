"""IMG006: renders on disk that no page uses (an orphan sequence).

Every ``<Name>-N.png`` sequence under the images root should be listed by some page's gallery.
An orphan is usually a page that was renamed or a render made for a page not yet written.
Only checked when the whole site is linted (orphans cannot be judged from a few pages).
"""

from __future__ import annotations

import os
import re

from pipeline.content.findings import Problem, Severity
from pipeline.content.loader import display_path
from pipeline.lint.rules.context import Context, ok_pages

CODE = "IMG006"
SUMMARY = "render sequence on disk that no page references"
SEVERITY = Severity.WARNING
NEEDS_FILES = True

PASSING = """\
raw/images/muscles/png/Leg-Lateral-1.png … -16.png    listed by leg-lateral.md
"""
FAILING = """\
raw/images/muscles/png/Leg-Peroneus-1.png … -16.png   no page lists them
"""

_FRAME = re.compile(r"^(?P<stem>.+)-(?P<n>\d+)\.png$")


def check(ctx: Context):
    if ctx.files is None or not ctx.site.whole_site:
        return
    used: set[tuple[str, str]] = set()
    for page in ok_pages(ctx):
        for g in page.gallery:
            if g.frame is not None:
                used.add((g.frame.directory, g.frame.stem))
    root = str(ctx.files.root)
    found: dict[tuple[str, str], list[str]] = {}
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        for n in names:
            m = _FRAME.match(n)
            if m and not n.endswith("-thumb.png"):
                found.setdefault((rel, m.group("stem")), []).append(n)
    for (rel, stem), names in sorted(found.items()):
        if (rel, stem) in used:
            continue
        first = min(names, key=lambda n: int(_FRAME.match(n).group("n")))
        path = display_path(ctx.files.root / rel / first)
        seq = f"{rel}/{stem}" if rel else stem
        yield Problem(path, 1, 1, f"{len(names)} render(s) of sequence {seq} are not referenced by any page")
