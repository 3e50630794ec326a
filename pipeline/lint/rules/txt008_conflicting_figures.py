"""TXT008: the same quantity about the same structure is stated with incompatible numbers in two documents.

Read from the body prose of pages and of plain Markdown/text articles, narrowly (see ``pipeline.lint.text.figures``):

* prevalence: a share of people or of their parts (limbs, knees, cadavers, specimens...; not of cases or
  findings) with a word of presence or absence in the sentence: "absent in about 10% of people", "present in
  10-30% of knees", "visible in approximately ten to thirty percent of knees", "found in one in five people",
  "identified in two thirds of specimens", "No fabella was observed in 60% of cadavers"; absence is compared as
  presence (absent in 10% = present in 90%);
* counts of parts after a verb of composition ("comprises three muscles", "made up of two heads").

The structure of a prevalence is the one the clause names before its word of presence ("The fabella is present
in ...", "In 3-5% of people a fabella is present"): a site subject (a page title's subject words) or a run of
anatomical words ("psoas minor"); "It"/"The muscle" stands for what the previous sentence was about, or for the
page's own subject; a clause about something else ("a cyst beside the soleus") makes no claim. Prevalences
conflict when their ranges do not overlap even after a tolerance (25% of the value when written
"about/approximately", 10% otherwise, at least one point); counts when they differ. Each place is reported,
naming the other(s). Figures within one document, and between pages that share a permalink (an older copy of
the same page), are not compared.
"""

from __future__ import annotations

import re
from itertools import compress, repeat

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.text.figures import NUM_WORDS, TRIGGER, claims
from pipeline.lint.text.site import text_pages, without_gc
from pipeline.lint.text.subjects import TextIndex, could_name
from pipeline.lint.text.tokens import body_blocks
from pipeline.lint.text.vocab import anatomy

CODE = "TXT008"
SUMMARY = "conflicting figures for the same structure in two documents"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-plantaris.md
permalink: /muscle/leg/plantaris/
title: The plantaris muscle of the leg
stem: Leg-Plantaris
description: The plantaris is a slender calf muscle with a long tendon, and it is absent in about 10% of limbs.
# file: raw/pages/notes/plantaris.txt
The plantaris

The plantaris is missing in 6 to 16 percent of limbs in one dissection study.
# render: raw/images/muscles/png/Leg-Plantaris-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-plantaris.md
permalink: /muscle/leg/plantaris/
title: The plantaris muscle of the leg
stem: Leg-Plantaris
description: The plantaris is a slender calf muscle with a long tendon, and it is absent in about 10% of limbs.
# file: raw/pages/notes/plantaris.txt
The plantaris

The plantaris is missing in 40 to 50 percent of limbs in one dissection study.
# render: raw/images/muscles/png/Leg-Plantaris-1..4.png 64x48 RGB
"""

MAX_RELATED = 3


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Non-ASCII letters that match an ASCII letter of the pattern regardless of case (U+0130, U+0131, U+017F, U+212A)
_CASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")
_NUMBER_ENDS = (*NUM_WORDS, *"0123456789")


def _may_trigger(texts) -> bool:
    """False only when ``TRIGGER`` surely finds nothing in ``texts`` joined by spaces; cheaper than the pattern.

    A match is a '%', 'per cent' (so 'cent'), or a number followed by a blank: a digit, or a number word that ends
    a run of non-blanks and starts at a word boundary. The runs of the joined text are those of each text (the
    space between two texts ends a run). In a text that is not all ASCII the other characters are blanked first,
    which only makes more runs and boundaries; a non-ASCII digit or case twin sends the page to the pattern."""
    for text in texts:
        if text.isspace():
            continue
        got = _SEEN.get(text) if len(text) < 200 else None  # short lines recur (links, includes): read once
        if got is None:
            got = _text_may_trigger(text)
            if len(text) < 200 and len(_SEEN) < 10_000:
                _SEEN[text] = got
        if got:
            return True
    return False


_SEEN: dict[str, bool] = {}  # short texts already looked at


def _text_may_trigger(text: str) -> bool:
    """``_may_trigger`` for one text."""
    if not text.isascii():
        if any(c in _CASE_TWINS or c.isdecimal() for c in _NON_ASCII.findall(text)):
            return True
        text = _NON_ASCII.sub(" ", text)
    low = text.lower()
    if "%" in low or "cent" in low:
        return True
    runs = low.split()
    for run in compress(runs, map(str.endswith, runs, repeat(_NUMBER_ENDS))):
        if run[-1].isdigit():
            return True
        for w in NUM_WORDS:
            if run.endswith(w) and (len(run) == len(w) or not (run[-len(w) - 1].isalnum() or run[-len(w) - 1] == "_")):
                return True
    return False


def _blocks_with_figures(ctx: Context) -> list:
    """(page, blocks) of the pages whose body prose may hold a figure. A page's blocks are its non-empty stripped
    prose lines joined by spaces, so they are pieces of the page's lines joined the same way: a page where that
    text has no trigger has no block with one (and its blocks need not be built)."""
    out = []
    for page in text_pages(ctx):
        lines = ctx.text.body_lines(page)
        if not _may_trigger([f.text for f in lines]):
            continue
        text = " ".join([t for t in (f.text.strip() for f in lines) if t])
        if TRIGGER.search(text):
            out.append((page, body_blocks(page, lines)))
    return out


@without_gc
def check(ctx: Context):
    ds = ctx.text.described
    pages = _blocks_with_figures(ctx)
    if not pages:
        return
    subject_of = {id(d.page): d.subject for d in ds}
    permalink_of = {id(d.page): d.permalink for d in ds}
    unique: dict[frozenset, object] = {}
    by_form: dict[str, list] = {}
    for d in ds:
        if d.subject is not None and d.subject.key not in unique:
            unique[d.subject.key] = d.subject
            for f in d.subject.forms[0]:
                by_form.setdefault(f, []).append(d.subject)
    domain = anatomy()
    regions = frozenset(d.subject.region for d in ds if d.subject is not None and d.subject.region) | frozenset(
        t for d in ds if d.subject is not None and d.subject.is_region_page for t in d.subject.terms
    )
    found = []  # (claim, page, block)
    for page, blocks in pages:
        own = subject_of.get(id(page))
        for block in blocks:
            text = block.text
            if not TRIGGER.search(text):
                continue
            vocab = TextIndex.of(text)
            cands = []
            seen = set()
            for tok in vocab.vocab:
                for s in by_form.get(tok, ()):
                    if id(s) not in seen and could_name(vocab, s):
                        seen.add(id(s))
                        cands.append(s)
            cands.sort(key=lambda s: (s.label, sorted(s.terms)))  # set order must not decide ties
            for c in claims(text, cands, own, domain, regions):
                found.append((c, page, block))
    yield from _conflicts(found, permalink_of)


def _conflicts(found: list, permalink_of: dict):
    """Each claim of ``found`` ((claim, page, block)) that another document contradicts, naming the other(s)."""
    groups: dict[tuple, list] = {}
    for item in found:
        groups.setdefault((item[0].kind, item[0].structure), []).append(item)
    for items in groups.values():
        if len(items) < 2:
            continue
        for c, page, block in items:
            others = []
            for c2, page2, block2 in items:
                if page2 is page:
                    continue
                p1, p2 = permalink_of.get(id(page)), permalink_of.get(id(page2))
                if p1 is not None and p1 == p2:
                    continue
                if c.conflicts(c2):
                    others.append((c2, page2, block2))
            if not others:
                continue
            line, col = block.position(c.offset)
            c2, page2, block2 = others[0]
            l2, _ = block2.position(c2.offset)
            what = "how often it is present" if c.kind == "prevalence" else f"number of {c.kind.split(':', 1)[1]}s"
            msg = (
                f"'{c.label}': '{c.text}' here, but '{c2.text}' in {page2.display}:{l2} ({what} cannot be both)"
                + (f"; {len(others) - 1} more conflicting place(s)" if len(others) > 1 else "")
            )
            related = tuple(
                Related(p.display, b.position(cc.offset)[0], f"'{cc.text}' about '{cc.label}'") for cc, p, b in others[:MAX_RELATED]
            )
            yield at(page, line, col, msg, related=related)
