"""TXT006: a page's own texts disagree with each other.

Derived texts must follow the page title and the gallery: ``image_title`` and ``image_alt`` equal the
title (case aside); each gallery ``caption`` and ``title`` is the page title followed by the entry's
orientation number ("… - orientation 4" on the entry of ``…-4.png``, the fourth entry); the GIF
of ``images`` and the gallery frames name the same sequence; the ``image_id`` contains the words of
the GIF name after its region, in order (``lateralheadofgastrocnemius`` fits ``Leg-LateralGastrocnemius``;
``spinalis`` does not fit ``Back-Scapularis``). A caption base that is wrong on every entry is reported once.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "TXT006"
SUMMARY = "title, alt texts, captions, GIF name and gallery disagree within a page"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
alt: Muscles of the anterior compartment of the leg   # the title says 'lateral'
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""

_NUMBERED = re.compile(r"^(?P<base>.*?)[\s\-–—:,]*(?:orientation\s*)?(?P<n>\d+)\s*$", re.IGNORECASE)


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").split()).casefold()


def follows(value: str, title: str, number: int) -> bool:
    """A caption or title that follows the page title and its orientation number: "<title> - orientation 4", or
    the title (case and spacing aside) and the number in another usual form ("<title>: 4")."""
    if value == f"{title} - orientation {number}":
        return True  # the usual, correct form
    m = _NUMBERED.match(value)
    return m is not None and int(m.group("n")) == number and _norm(m.group("base")) == _norm(title)


def check(ctx: Context):
    for page in ok_pages(ctx):
        title = page.title
        if not title:
            continue
        t = _norm(title)
        for im in page.images:
            for key, value in (("image_title", im.title), ("image_alt", im.alt)):
                if value and _norm(value) != t:
                    line, col = page.fm.pos(("images", im.index, key))
                    yield at(page, line, col, f"{key} '{value}' differs from the page title '{title}'", fix=_title_fix(page, im, key, title))
        for problem in _captions(page, t, title):
            from pipeline.lint.fix.gallery import with_gallery_fix

            yield with_gallery_fix(ctx, page, problem)
        yield from _names(page)


def _title_fix(page, im, key: str, title: str):
    """Write the page title there: safe when the title names the structure the GIF shows (else the text may
    describe the image better than the title does)."""
    from pipeline.lint.fix.texts import value_fix

    safe = not im.name or names_structure(title, PurePosixPath(im.name).stem)
    return value_fix(page, ("images", im.index, key), title, f"write the page title as {key}", safe=safe)


def _captions(page, t: str, title: str):
    for key in ("caption", "title"):
        wrong_base: list = []
        for g in page.gallery:
            value = g.caption if key == "caption" else g.title
            if not value:
                continue
            expected = g.frame.number if g.frame is not None else g.index + 1
            if follows(value, title, expected):
                continue
            line, col = page.fm.pos(("gallery", g.index, key))
            m = _NUMBERED.match(value)
            if not m:
                yield at(page, line, col, f"gallery {key} '{value}' has no orientation number")
                continue
            base, n = m.group("base"), int(m.group("n"))
            if _norm(base) != t:
                wrong_base.append((g, value, line, col, base))
            if n != expected:
                why = f"its image is '{g.url}'" if g.frame is not None else f"it is entry {g.index + 1}"
                yield at(page, line, col, f"gallery {key} says orientation {n}, but {why}")
        if wrong_base:
            g, value, line, col, base = wrong_base[0]
            many = f" (and {len(wrong_base) - 1} more)" if len(wrong_base) > 1 else ""
            yield at(page, line, col, f"gallery {key} '{value}' does not follow the page title '{title}'{many}")


def _names(page):
    gallery_seqs = []
    for g in page.gallery:
        if g.frame is not None and g.frame.stem not in gallery_seqs:
            gallery_seqs.append(g.frame.stem)
    for im in page.images:
        if not im.name or not im.name.endswith(".gif"):
            continue
        stem = PurePosixPath(im.name).stem
        line, col = page.fm.pos(("images", im.index, "image_name"))
        if gallery_seqs and stem not in gallery_seqs:
            yield at(page, line, col, f"GIF '{im.name}' is named {stem}, but the gallery shows {', '.join(gallery_seqs)}")
        if im.image_id and not names_structure(im.image_id, stem):
            iline, icol = page.fm.pos(("images", im.index, "image_id"))
            yield at(page, iline, icol, f"image_id '{im.image_id}' does not name the structure of its GIF {stem}")


def names_structure(text: str, stem: str) -> bool:
    """``text`` (an image id, a title) contains the words of the GIF name after its region, in order
    ('lateralheadofgastrocnemius' fits Leg-LateralGastrocnemius); ids are otherwise free-form."""
    name = stem.split("-", 1)[-1]
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]
    squashed = re.sub(r"[^a-z0-9]", "", text.lower())
    pos = 0
    for w in words:
        pos = squashed.find(w, pos)
        if pos < 0:
            return False
        pos += len(w)
    return True
