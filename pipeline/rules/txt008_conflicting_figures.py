"""TXT008: the same quantity about the same structure is stated with incompatible numbers in two documents.

Read from the body prose of pages and of plain Markdown/text articles, narrowly (see ``pipeline.text.figures``):

* prevalence: a percentage or range with a word of presence or absence in the sentence ("absent in about 10% of
  people", "present in 10-30% of knees"); absence is compared as presence (absent in 10% = present in 90%);
* counts of parts after a verb of composition ("comprises three muscles", "made up of two heads").

The structure is the site subject (a page title's subject words) the sentence names just before the number; or,
on a page, the page's own subject when the sentence starts with "It"/"The muscle"; or the first run of
anatomical words ("the fabella"). Prevalences conflict when their ranges do not overlap even after a tolerance
(25% of the value when written "about/approximately", 10% otherwise, at least one point); counts when they
differ. Each place is reported, naming the other(s). Figures within one document, and between pages that share a
permalink (an older copy of the same page), are not compared.
"""

from __future__ import annotations

from pipeline.findings import Related, Severity
from pipeline.rules.context import Context, at
from pipeline.text.figures import TRIGGER, claims
from pipeline.text.site import body_lines, described, text_pages
from pipeline.text.subjects import TextIndex, could_name
from pipeline.text.tokens import body_blocks
from pipeline.text.vocab import anatomy

CODE = "TXT008"
SUMMARY = "conflicting figures for the same structure in two documents"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# leg-plantaris.md:  The plantaris is absent in about 10% of people.
# article.md:        The plantaris is missing in 7 to 20 percent of limbs.
"""
FAILING = """\
# leg-lateralgastrocnemius.md: The fabella is present in 3-5% of knees.
# article.md:                  The fabella is found in 10-30% of knees.
"""

MAX_RELATED = 3


def check(ctx: Context):
    ds = described(ctx)
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
    for page in text_pages(ctx):
        own = subject_of.get(id(page))
        for block in body_blocks(page, body_lines(ctx, page)):
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
            for c in claims(text, cands, own, domain, regions):
                found.append((c, page, block))
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
