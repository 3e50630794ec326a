"""TXT002: two pages have the same, or nearly the same, description.

Compared: each page's description (the body's prose before the Back link, at least five words) and each
paragraph of at least twelve words of a plain Markdown/text article. Texts are the same when their words are;
nearly the same when their word 3-gram sets overlap by half or more and their word sequences match by 85% or
more. Candidates come from an inverted index of word 3-grams, so the check is linear in the number of pages.

Both pages are reported, each naming the other(s) in ``related``. Not reported:

* pages with the same permalink: an older copy of the same page (FM004 reports the duplicate permalink);
* pages with the same subject words in their titles (a copy of a page kept under an older permalink);
* parallel descriptions written for parallel pages: when the words that differ include the words that tell
  the two pages' subjects apart ("the medial head ... medial femoral condyle" vs "the lateral head ... lateral
  femoral condyle" on the medial- and lateral-head pages).

Severity warning: shared wording can be deliberate; TXT001 reports a description that is on the wrong page.
"""

from __future__ import annotations

import re

from pipeline.content.findings import Related, Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.text.similar import differing_words, make_unit, similar_pairs
from pipeline.lint.text.site import text_pages, without_gc

CODE = "TXT002"
SUMMARY = "same or nearly the same description on two pages"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-soleus.md
permalink: /muscle/leg/soleus/
title: The soleus muscle of the leg
stem: Leg-Soleus
description: The soleus is a broad, flat muscle deep in the calf; it joins the heel tendon and points the foot down.
# page: raw/pages/leg-plantaris.md
permalink: /muscle/leg/plantaris/
title: The plantaris muscle of the leg
stem: Leg-Plantaris
description: The plantaris is a slim muscle of the calf whose long, thin tendon runs down to the heel.
# render: raw/images/muscles/png/Leg-Soleus-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Plantaris-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-soleus.md
permalink: /muscle/leg/soleus/
title: The soleus muscle of the leg
stem: Leg-Soleus
description: This muscle lies at the back of the leg and helps to point the foot down when we walk or climb stairs.
# page: raw/pages/leg-plantaris.md
permalink: /muscle/leg/plantaris/
title: The plantaris muscle of the leg
stem: Leg-Plantaris
description: This muscle lies at the back of the leg and helps to point the foot down when we walk or climb stairs.
# render: raw/images/muscles/png/Leg-Soleus-1..4.png 64x48 RGB
# render: raw/images/muscles/png/Leg-Plantaris-1..4.png 64x48 RGB
"""

_DIGIT = re.compile(r"[0-9]")
MIN_WORDS_DESCRIPTION = 5
MIN_WORDS_ARTICLE = 12
MAX_RELATED = 5


class _Item:
    __slots__ = ("described", "line", "page", "text")

    def __init__(self, page, line, text, d=None) -> None:
        self.page, self.line, self.text, self.described = page, line, text, d


def _items(ctx: Context) -> list[_Item]:
    items = [_Item(d.page, d.desc.line, d.desc.text, d) for d in ctx.text.described if d.desc is not None]
    for page in text_pages(ctx):
        if page.is_article:
            for p in page.paragraphs:
                items.append(_Item(page, p.line, p.text))
    return items


def _tailored(a: _Item, b: _Item, wa: list[str], wb: list[str]) -> bool:
    da, db = a.described, b.described
    if da is None or db is None or da.subject is None or db.subject is None:
        return False
    fa, fb = da.subject.all_forms(), db.subject.all_forms()
    diff_a, diff_b = differing_words(wa, wb)
    return bool((diff_a & (fa - fb)) or (diff_b & (fb - fa)))


def _same_page(a: _Item, b: _Item) -> bool:
    if a.page is b.page:
        return True
    da, db = a.described, b.described
    if da is None or db is None:
        return False
    if da.permalink is not None and da.permalink == db.permalink:
        return True
    return da.subject is not None and db.subject is not None and da.subject.key == db.subject.key and da.subject.region == db.subject.region


@without_gc
def check(ctx: Context):
    items = _items(ctx)
    units = []
    keep = []
    for it in items:
        d = it.described
        # the description's words as TXT001 read them are ``words_of``'s when it has no digit and no apostrophe
        if d is not None and d.words is not None and "'" not in it.text and "\u2019" not in it.text and _DIGIT.search(it.text) is None:
            u = make_unit(it, it.text, d.words)
        else:
            u = make_unit(it, it.text)
        need = MIN_WORDS_DESCRIPTION if it.described is not None else MIN_WORDS_ARTICLE
        if u.count >= need:
            units.append(u)
            keep.append(it)
    # identical texts first (one representative each in the index, so boilerplate shared by many pages is cheap)
    groups: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        groups.setdefault(u.text, []).append(i)  # the same words (joined by spaces)
    reps = [g[0] for g in groups.values()]
    rep_units = [units[i] for i in reps]
    members = {g[0]: g for g in groups.values()}
    pairs: dict[int, dict[int, float]] = {}

    def link(i: int, j: int, ratio: float) -> None:
        a, b = keep[i], keep[j]
        if _same_page(a, b):
            return
        if _tailored(a, b, units[i].words, units[j].words):
            return
        pairs.setdefault(i, {})[j] = ratio
        pairs.setdefault(j, {})[i] = ratio

    for g in groups.values():
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                link(g[x], g[y], 1.0)
                if len(pairs.get(g[x], ())) > MAX_RELATED and len(g) > 50:
                    break
    for a, b, ratio in similar_pairs(rep_units):
        for i in members[reps[a]]:
            for j in members[reps[b]]:
                link(i, j, ratio)
    yield from _report(keep, pairs)


def _report(keep: list[_Item], pairs: dict[int, dict[int, float]]):
    """One finding per item that has look-alikes, naming the closest (then by path) and the others."""
    for i, others in pairs.items():
        it = keep[i]
        page = it.page
        ranked = sorted(others.items(), key=lambda kv: (-kv[1], keep[kv[0]].page.display))
        j, ratio = ranked[0]
        other = keep[j]
        what = "the same" if ratio >= 1.0 else f"nearly the same ({ratio:.0%} of the words match)"
        kind = "description" if it.described is not None else "paragraph"
        other_kind = "description" if other.described is not None else "paragraph"
        more = f" and {len(ranked) - 1} other page(s)" if len(ranked) > 1 else ""
        msg = f"{kind} is {what} as the {other_kind} of {other.page.display}"
        if other.page.permalink:
            msg += f" ({other.page.permalink})"
        msg += more
        related = tuple(
            Related(keep[k].page.display, keep[k].line, f"{'same' if r >= 1.0 else f'{r:.0%} similar'} text")
            for k, r in ranked[:MAX_RELATED]
        )
        line = it.line
        raw = page.line_text(line)
        yield at(page, line, len(raw) - len(raw.lstrip()) + 1, msg, related=related)
