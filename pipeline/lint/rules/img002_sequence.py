"""IMG002: a gallery's orientation sequence is not whole.

The gallery of one sequence (``Leg-Lateral-1.png`` … ``-16.png``) must list orientations 1, 2, 3 …
in order, each once. Reported: a number skipped (a gap), a number listed twice, a number out of
order, and (when the renders are available) frames on disk that the gallery does not list.
Encoders that take ``%d`` patterns stop at the first gap; this check says so before they run.
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at, ok_pages

CODE = "IMG002"
SUMMARY = "orientation sequence with a gap, duplicate, wrong order or unlisted frames"
SEVERITY = Severity.WARNING
NEEDS_FILES = False
BUILD_INPUT = True

PASSING = """\
# page: raw/pages/leg-lateral.md
frames: 3
# render: raw/images/muscles/png/Leg-Lateral-1..3.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
frames: 1, 3, 3             # orientation 2 is skipped, 3 is listed twice
# render: raw/images/muscles/png/Leg-Lateral-1.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Lateral-3.png 64x48 RGB
"""


def check(ctx: Context):
    for page in ok_pages(ctx):
        groups: dict[str, list] = {}
        for g in page.gallery:
            if g.frame is not None:
                groups.setdefault(g.frame.sequence, []).append(g)
        for seq, entries in groups.items():
            for problem in _check_group(ctx, page, seq, entries):
                from pipeline.lint.fix.gallery import with_gallery_fix

                yield with_gallery_fix(ctx, page, problem)


def _check_group(ctx, page, seq, entries):
    seen: dict[int, object] = {}
    expected = 1
    announced: set[int] = set()  # numbers already reported as coming late
    for g in entries:
        n = g.frame.number
        if n in seen:
            yield at(page, g.line, g.column, f"orientation {n} of {seq} is listed twice",
                     related=(Related(page.display, seen[n].line, "first listed here"),))
            continue
        seen[n] = g
        if n == expected:
            expected += 1
        elif n > expected:
            missing = list(range(expected, n))
            shown = ", ".join(map(str, missing[:5])) + (" …" if len(missing) > 5 else "")
            # a later entry may still supply the skipped number (then it is an ordering problem)
            later = {e.frame.number for e in entries[entries.index(g) + 1 :]}
            if set(missing) & later:
                announced |= set(missing) & later
                yield at(page, g.line, g.column, f"orientation {n} of {seq} comes before orientation {min(set(missing) & later)}: out of order")
            else:
                yield at(page, g.line, g.column, f"gap in {seq}: orientation {shown} missing before {n}")
            expected = n + 1
        elif n not in announced:  # n < expected and not seen: it was skipped and comes late
            yield at(page, g.line, g.column, f"orientation {n} of {seq} is out of order (after {expected - 1})")
    if ctx.files is None:
        return
    directory, stem = entries[0].frame.directory, entries[0].frame.stem
    on_disk = ctx.files.sequence_numbers(directory, stem)
    unlisted = sorted(set(on_disk) - set(seen))
    if unlisted:
        last = entries[-1]
        names = ", ".join(on_disk[n] for n in unlisted[:4]) + (" …" if len(unlisted) > 4 else "")
        yield at(page, last.line, last.column,
                 f"gallery lists {len(seen)} orientation(s) of {seq} but {len(on_disk)} are on disk; not listed: {names}",
                 blocks_build=False)
