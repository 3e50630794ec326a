"""TXT005: an internal link points at a permalink that no page has.

Markdown links in the body (the ``[Back››](…)`` link included) whose target is a site path
(``/muscle/leg/fibularislongus/``, or a relative path resolved against the page's permalink)
must name a page's permalink. Pages published by the rest of the site, outside the linted
content, are listed in ``[tool.pipeline.lint] known-permalinks``. The message suggests the
closest existing permalink. Assets (paths with a file extension) are not checked here.

When only some files are linted (a pre-commit hook, with the rest of the site as context), a broken link on a page
of the context whose target was, at the last commit, the permalink of a linted page is reported on that page too:
the change of its permalink broke the link.
"""

from __future__ import annotations

import difflib
import posixpath
import re

from pipeline.content.findings import Related, Severity
from pipeline.content.frontmatter import split
from pipeline.content.model import Page, normalize_permalink
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "TXT005"
SUMMARY = "internal link to a permalink that no page has"
SEVERITY = Severity.ERROR
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
body: - [Anterior compartment](/muscle/leg/anterior/)
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
body: - [Anterior compartment](/muscle/leg/anterior/)   # no page has this permalink
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ASSET = re.compile(r"\.(?!html?$)[A-Za-z0-9]{1,5}$")


def known_permalinks(ctx: Context) -> set[str]:
    """The site's permalinks and those the rest of the site publishes (``known-permalinks``), normalised."""
    return set(ctx.permalinks) | {normalize_permalink(p) for p in ctx.config.lint.known_permalinks}


def resolve_target(page, target: str) -> str | None:
    """The site path a link points at, or None when it is not an internal page link."""
    target = target.strip()
    if not target or target.startswith(("#", "//", "{{", "{%")) or _SCHEME.match(target):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    if not path.startswith("/"):
        base = page.permalink or "/"
        path = posixpath.normpath(posixpath.join(base if base.endswith("/") else posixpath.dirname(base) + "/", path))
        if not path.startswith("/"):
            path = "/" + path
    if _ASSET.search(path.rstrip("/")):
        return None
    return normalize_permalink(path)


def _suggest(path: str, known: set[str], by_parent: dict[str, list[str]], memo: dict[str, str]) -> str:
    """Closest permalink among the target's siblings and its parent's siblings (bounded work per link)."""
    if path not in memo:
        parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
        grand = parent.rstrip("/").rsplit("/", 1)[0] + "/"
        pool = by_parent.get(parent, []) + by_parent.get(grand, []) + [p for p in (parent, grand) if p in known]
        close = difflib.get_close_matches(path, pool, n=1, cutoff=0.75)
        memo[path] = f"; did you mean {close[0]}?" if close else ""
    return memo[path]


def check(ctx: Context):
    known = known_permalinks(ctx)
    by_parent: dict[str, list[str]] = {}
    for k in sorted(known):
        by_parent.setdefault(k.rstrip("/").rsplit("/", 1)[0] + "/", []).append(k)
    memo: dict[str, str] = {}
    moved: dict[str, Page] | None = None  # made when a page of the context has a broken link
    for page in ok_pages(ctx):
        for link in page.links:
            path = resolve_target(page, link.target)
            if path is None or path in known:
                continue
            hint = _suggest(path, known, by_parent, memo)
            what = "Back link" if link.text.lower().startswith("back") else f"link '{link.text}'"
            related: tuple[Related, ...] = ()
            if not page.reported:
                moved = _moved_permalinks(ctx) if moved is None else moved
                if path in moved:
                    was = moved[path]
                    related = (Related(was.display, was.fm.pos(("permalink",))[0], f"had the permalink {path} at the last commit; now {was.permalink}"),)
            yield at(page, link.line, link.column, f"{what} points to {link.target}, which is no page's permalink{hint}", related=related)


def _moved_permalinks(ctx: Context) -> dict[str, Page]:
    """The permalinks the linted pages had at the last commit and no longer have (normalised) -> the page."""
    from pipeline.content.history import committed_texts  # (git, asked only when a context page has a broken link)

    linted = {p.path: p for p in ok_pages(ctx) if p.reported and p.permalink}
    out: dict[str, Page] = {}
    for path, text in committed_texts(list(linted), ctx.config.root).items():
        page = linted[path]
        data = split(text).data
        old = data.get("permalink") if isinstance(data, dict) else None
        if isinstance(old, str) and normalize_permalink(old) != normalize_permalink(page.permalink):
            out[normalize_permalink(old)] = page
    return out
