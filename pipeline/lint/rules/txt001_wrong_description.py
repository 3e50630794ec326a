"""TXT001: the description belongs to another page.

The page's subject comes from its title (region and "muscle" dropped; permalink words when there is no title):
"The lateral head of the gastrocnemius muscle of the leg" -> *lateral head gastrocnemius*. The description is the
body's prose before the Back link. A page is reported when its description does **not** name its own subject but
does name another page's subject more completely: every word of that subject within one sentence, close together
("the lateral head of the gastrocnemius muscle"), with more of its words than the best partial mention of the
page's own subject; or when the first sentence does not name the page's own subject but names another page's
(a description opens with what it is about: "The plantaris ... runs between the gastrocnemius and the soleus" on
the soleus page); here a part of the page's own subject, or a region, does not count. The finding names that page in ``related``; when two pages each hold the other's description,
each is reported once, saying they look swapped.

What keeps it precise:

* General words never decide: stopwords, "muscle", and the region word ("leg") are not subject words; a region
  page ("Muscles of the Leg") is named only when the description mentions nothing of the page's own subject.
* "compartment" is a class word that "muscles"/"group" satisfy: "the muscles of the lateral compartment" names
  the lateral compartment, "the lateral head" does not; so a compartment and a muscle in it are told apart.
* Naming needs proximity inside one sentence: a lateral-head description that says "it combines with the medial
  head" does not name the medial head of the gastrocnemius. Side-by-side pages with correct, almost identical
  descriptions (medial and lateral heads) are therefore not reported.
* Pages that share a permalink (an older copy of the same page) or the same subject words are never proposed as
  the owner: they are the same page. Articles (no front matter, no subject) are not checked.

Severity warning, as for every text check that does not break the site (set ``severity = { TXT001 = "error" }``
to fail CI on it). The check only fires on a positive match with another page (no finding merely because the
own subject is not named).
"""

from __future__ import annotations

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.text.site import Described, without_gc
from pipeline.lint.text.subjects import names

CODE = "TXT001"
SUMMARY = "description belongs to another page"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
# page: raw/pages/leg-soleus.md
permalink: /muscle/leg/soleus/
title: The soleus muscle of the leg
stem: Leg-Soleus
description: The soleus is a broad, flat muscle deep in the calf; it joins the heel tendon and points the foot down.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Soleus-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
# page: raw/pages/leg-soleus.md
permalink: /muscle/leg/soleus/
title: The soleus muscle of the leg
stem: Leg-Soleus
description: The lateral compartment of the leg holds two muscles that run along the fibula and turn the sole outward.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Soleus-1..4.png 64x48 RGB
"""


def owners(ctx: Context) -> dict[int, tuple[Described, Described, bool]]:
    """id(page) -> (page, the page its description belongs to, swapped)."""
    ds = ctx.text.described
    lost = [d for d in ds if d.subject is not None and d.has_index and not d.own_first]
    best: dict[int, tuple[Described, Described]] = {}
    if lost:
        by_form: dict[str, list[Described]] = {}
        for d in ds:
            if d.subject is not None:
                for f in d.subject.forms[0] if len(d.subject.forms) == 1 else _rarest(d):
                    by_form.setdefault(f, []).append(d)
        for p in lost:
            seen: set[int] = set()
            cands = []
            for tok in p.index.vocab:
                for q in by_form.get(tok, ()):
                    if id(q) in seen or q is p:
                        continue
                    seen.add(id(q))
                    if q.permalink is not None and q.permalink == p.permalink:
                        continue
                    if same_subject(q, p):
                        continue
                    q_at = names(p.index, q.subject)
                    if q_at is None:
                        continue
                    # the first sentence (what a description is about) names the other page's subject, which is
                    # neither a part of this page's subject nor a region ...
                    opening = q_at < p.first_end and not q.subject.key <= p.subject.key and not q.subject.is_region_page
                    # ... or this page's subject is not named at all and the other is named more completely
                    fuller = not p.own_named and len(q.subject.terms) > p.own_partial
                    if not (opening or fuller):
                        continue
                    swap = (
                        q.has_index
                        and not q.own_first
                        and names(q.index, p.subject) is not None
                    )
                    cands.append(((not swap, -len(q.subject.terms), q_at, q.own_named, q.page.display), q))
            if cands:
                cands.sort(key=lambda c: c[0])
                best[id(p)] = (p, cands[0][1])
    for p, q in _parts_swapped(ds):
        best.setdefault(id(p), (p, q))
        best.setdefault(id(q), (q, p))
    # a page whose description another page holds, and whose own description names nothing of its subject,
    # holds the other page's (or another) description: the two look swapped
    for p, q in list(best.values()):
        if id(q) not in best and q.has_index and not q.own_named and q.own_partial == 0 and not q.subject.is_region_page:
            best[id(q)] = (q, p)
    out: dict[int, tuple[Described, Described, bool]] = {}
    for k, (p, q) in best.items():
        back = best.get(id(q))
        out[k] = (p, q, back is not None and back[1] is p)
    return out


def same_subject(a: Described, b: Described) -> bool:
    """The same subject in the same region: one page under two names. The anterior compartment of the leg and
    of the thigh are two pages."""
    return a.subject.key == b.subject.key and a.subject.region == b.subject.region


def _parts_swapped(ds: list[Described]):
    """(whole, part) pairs that hold each other's description: the page of a muscle whose description opens
    with one of its parts ('The short head of the biceps femoris ...', the part's words before the muscle's),
    and the page of that part whose description does not name it but names the muscle."""
    by_key: dict[frozenset, list[Described]] = {}
    for d in ds:
        if d.subject is not None and d.has_index:
            by_key.setdefault(d.subject.key, []).append(d)
    for q in (d for d in ds if d.subject is not None and d.has_index and len(d.subject.terms) > 1):
        for key in _subsets(q.subject.key):
            for p in by_key.get(key, ()):
                if p is q or p.subject.region != q.subject.region or not p.own_first:
                    continue
                at = names(q.index, p.subject)
                if at is not None and at < q.first_end and not _opens_with_part(q, p, q) and _opens_with_part(p, p, q):
                    yield p, q


def _subsets(key: frozenset):
    terms = sorted(key)
    for drop in range(1, len(terms)):
        from itertools import combinations

        for keep in combinations(terms, len(terms) - drop):
            yield frozenset(keep)


def _opens_with_part(d: Described, whole: Described, part: Described) -> bool:
    """The first sentence of ``d``'s description names ``part``'s subject, and the part's own words come before
    the whole's ('The short head of the biceps femoris', not 'The biceps femoris has a long and a short head')."""
    at = names(d.index, part.subject)
    if at is None or at >= d.first_end:
        return False
    first = d.index.sentences[0].tokens
    own = set().union(*(f for t, f in zip(whole.subject.terms, whole.subject.forms)))
    extra = set().union(*(f for t, f in zip(part.subject.terms, part.subject.forms) if t not in whole.subject.key))
    first_own = next((i for i, t in enumerate(first) if t in own), None)
    first_extra = next((i for i, t in enumerate(first) if t in extra), None)
    return first_extra is not None and (first_own is None or first_extra < first_own)


def _rarest(d: Described):
    # index a subject under the forms of each of its terms: a candidate must contain all of them anyway
    out: set[str] = set()
    for f in d.subject.forms:
        out |= f
    return out


@without_gc
def check(ctx: Context):
    for p, q, swapped in owners(ctx).values():
        page = p.page
        line = p.desc.line
        col = len(page.line_text(line)) - len(page.line_text(line).lstrip()) + 1
        q_where = q.desc.line if q.desc is not None else 1
        q_name = q.page.permalink or q.page.display
        if swapped:
            msg = (
                f"descriptions look swapped with {q.page.display}: this page is about '{p.subject.label}' but its "
                f"description is about '{q.subject.label}' ({q_name}), and that page has this page's description"
            )
            rel = Related(q.page.display, q_where, f"page about '{q.subject.label}', holding the description of '{p.subject.label}'")
        else:
            msg = (
                f"description is about '{q.subject.label}', not this page's subject '{p.subject.label}': "
                f"it looks like the description of {q.page.display} ({q_name})"
            )
            rel = Related(q.page.display, q_where, f"page about '{q.subject.label}'")
        yield at(page, line, col, msg, related=(rel,))
