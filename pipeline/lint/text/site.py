"""Per-site text state shared by the TXT rules (``TextState``: computed once per lint run, each part on first use,
reached as ``ctx.text``)."""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from pipeline.config import Config, ConfigError
from pipeline.content.model import Page, Site, normalize_permalink
from pipeline.lint.text.tokens import WORD, ProseField, body_prose_list

if TYPE_CHECKING:
    from pipeline.lint.text.vocab import Speller


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside the block; what is still alive after it is frozen, as the loader freezes
    the model. The text checks allocate many small acyclic objects (word lists and sets, per-page state kept for the
    run): collections triggered by those allocations find nothing to free and only rescan what the checks keep
    (about a quarter of their time on a large site), and so would the first collection after the block, over all of
    them at once. Reference counting still frees everything that is dropped."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


PAUSE_GC_FROM = 1000  # pages: on a smaller site collections cost little


def without_gc(check):
    """For a rule's ``check``: on a large site, find all its problems with collection paused (``gc_paused``), then
    yield them."""

    @functools.wraps(check)
    def run(ctx):
        if len(ctx.site.pages) < PAUSE_GC_FROM:
            yield from check(ctx)
            return
        with gc_paused():
            found = list(check(ctx))
        yield from found

    return run


def text_pages(ctx) -> Iterator[Page]:
    """Pages with readable front matter, and plain Markdown/text articles (no front matter). ``ctx``: anything
    with the ``site`` (a rule's context, the text state)."""
    for p in ctx.site.pages:
        if p.load_error is not None:
            continue
        if p.is_article or isinstance(p.fm.data, dict):
            yield p


class TextState:
    """What the TXT rules share in one run, each part made when a rule first asks for it (``ctx.text``)."""

    def __init__(self, site: Site, config: Config) -> None:
        self.site = site
        self.config = config
        self._body: dict[int, list[ProseField]] = {}
        self._words: dict[int, tuple[str, list[str]] | None] = {}  # id(page) -> ``description_words``

    @cached_property
    def speller(self) -> Speller:
        """The ``Speller`` with the project's words file (``[tool.pipeline.lint] words``)."""
        from pipeline.lint.text.vocab import Speller, project_words

        path = self.config.lint.words
        if path is not None and not path.is_file():
            raise ConfigError(f"{path}: words file not found ([tool.pipeline.lint] words)")
        return Speller(project_words(str(path)) if path is not None else frozenset())

    def body_lines(self, page: Page) -> list[ProseField]:
        """``tokens.body_prose(page)``, computed once per page and run."""
        got = self._body.get(id(page))
        if got is None:
            got = self._body[id(page)] = body_prose_list(page)
        return got

    def description_words(self, page: Page) -> tuple[str, list[str]] | None:
        """(text, words) of the page's description when it is ASCII: its words lowered, WORD's matches in the lowered
        text (what ``Checker.clean`` reads); None for an article or a page without such a description. Made once per
        page, by whichever comes first: a rule asking, or ``described`` (whose index holds the same words)."""
        got = self._words.get(id(page), _UNSET)
        if got is _UNSET:
            desc = None if page.is_article else _description(page)
            text = desc.text if desc is not None else ""
            words = WORD.findall(text.lower()) if text.isascii() else None
            got = self._words[id(page)] = (text, words) if words else None
        return got

    @cached_property
    def described(self) -> list[Described]:
        """Every page with its subject and description."""
        return _describe(self)


class Described:
    """A page with a description and/or a subject: what TXT001 and TXT002 compare.

    The description's ``TextIndex`` (its words and word pairs by sentence, the bulk of this state) is not kept:
    what every check needs from it is computed once here (where it names the page's own subject, where its first
    sentence ends), and ``index`` rebuilds it for the few pages that are compared further."""

    __slots__ = (
        "_index",
        "_own_at",
        "desc",
        "first_end",
        "has_index",
        "own_first",
        "own_named",
        "own_partial",
        "page",
        "permalink",
        "subject",
        "words",
    )

    def __init__(self, page, subject, desc, index, permalink: str | None = None) -> None:
        self.page = page
        self.subject = subject
        self.desc = desc  # Paragraph or None
        self.has_index = index is not None  # the description has text
        self._index = None
        self._own_at = None  # offset where the description names the page's own subject (_UNSET: not worked out)
        self.own_named = False  # the description names the page's own subject (``own_at`` is not None)
        self.own_first = False  # ... in its first sentence (``own_at`` < ``first_end``)
        self.own_partial = 0
        self.first_end = None  # offset of the description's second sentence (its length + 1 when it has one)
        self.words = None  # ``index.words``, for the checks that reuse them
        if index is not None:
            s = index.sentences
            self.first_end = s[1].offset if len(s) > 1 else len(index.text) + 1
            if index.words:
                self.words = index.words
        self.permalink = permalink if permalink is not None else normalize_permalink(page.permalink) if page.permalink else None

    @property
    def own_at(self) -> int | None:
        """Offset where the description names the page's own subject (``subjects.names``), or None."""
        if self._own_at is _UNSET:
            from pipeline.lint.text.subjects import names

            self._own_at = names(self.index, self.subject)
        return self._own_at

    @property
    def index(self):
        """TextIndex of the description, or None."""
        if self._index is None and self.has_index:
            from pipeline.lint.text.subjects import TextIndex

            self._index = TextIndex.of(self.desc.text)
        return self._index


def _describe(state: TextState) -> list[Described]:
    from pipeline.lint.text.subjects import TextIndex, best_partial, names, subject_of

    def segment(slug: str) -> list[str]:
        return segment_words(slug, state.speller)

    out = []
    for page in text_pages(state):
        if page.is_article:
            continue
        pl = page.permalink
        pl = normalize_permalink(pl) if pl else None
        subj = subject_of(page, segment, pl)
        desc = _description(page)
        ti = TextIndex.of(desc.text, vocab=False) if desc is not None and desc.text.strip() else None
        d = Described(page, subj, desc, ti, pl)
        if d.words is not None:
            state._words.setdefault(id(page), (desc.text, d.words))
        if subj is not None and ti is not None:
            if len(ti.sentences) == 1 and len(subj.forms) <= 2 and _named_early(ti.sentences[0].tokens, subj):
                d.own_named = d.own_first = True  # the offset is worked out if ever asked for
                d._own_at = _UNSET
            else:
                d._own_at = at = names(ti, subj)
                d.own_named = at is not None
                d.own_first = d.own_named and at < d.first_end
                if at is None:
                    d.own_partial = best_partial(ti, subj)
        out.append(d)
    return out


_UNSET = object()


def _named_early(tokens: list[str], subj) -> bool:
    """Every term of ``subj`` (two at most) has a form among the first ``len(terms) + GAP`` words: then ``names``
    finds a window (for one or two terms, pairing each place of one with the nearest of the other finds the
    narrowest), so the description names the subject."""
    from pipeline.lint.text.subjects import GAP

    head = tokens[: len(subj.forms) + GAP]
    return all(not f.isdisjoint(head) for f in subj.forms)


def _description(page):
    """``page.description``; a description of one paragraph is that paragraph (same text and line, not a copy)."""
    lead = [p for p in page.paragraphs if p.lead]
    if len(lead) == 1:
        return lead[0]
    return page.description


def segment_words(slug: str, sp) -> list[str]:
    """'lateralgastrocnemius' -> ['lateral', 'gastrocnemius'] (fewest known words; unknown slug: itself)."""
    s = re.sub(r"[^a-z]", "", slug.lower())
    n = len(s)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(1, n + 1):
        for j in range(max(0, i - 24), i):
            if best[j] is not None and (i - j >= 2 or s[j:i] == "a") and sp.known(s[j:i]):
                cand = best[j] + [s[j:i]]
                if best[i] is None or len(cand) < len(best[i]):
                    best[i] = cand
    return best[n] if best[n] else [s] if s else []
