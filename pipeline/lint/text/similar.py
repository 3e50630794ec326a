"""Near-duplicate texts by word shingles and an inverted index: linear in the number of texts.

Each text becomes the set of hashes of its word 3-grams (lower case, punctuation ignored). An inverted index maps
a shingle to the texts that hold it (only shingles that several texts hold: found first with set operations); a
text's candidates are the texts sharing at least half of its shingles, counted through the index. Shingles held by more than ``MAX_POSTINGS`` texts (boilerplate) are not used to find
candidates, so a site of 10,000 pages costs about 10,000 times one page, never all pairs. Candidates are then
confirmed on the word sequences (difflib ratio).
"""

from __future__ import annotations

import difflib
import re
from itertools import chain

_WORDS = re.compile(r"[a-z0-9\u00e0-\u024f]+(?:'[a-z]+)?")
SHINGLE = 3
MAX_POSTINGS = 64


class Unit:
    """A text's words and the set of its shingles. The words are kept joined by spaces (one string per text, not
    a list of strings: a site's worth of units stays small) and split again for the few texts compared further."""

    __slots__ = ("count", "key", "shingles", "text")

    def __init__(self, key, text: str, count: int, shingles: frozenset[int]) -> None:
        self.key = key  # caller's handle
        self.text = text  # the words, joined by spaces
        self.count = count  # how many words
        self.shingles = shingles

    @property
    def words(self) -> list[str]:
        return self.text.split(" ") if self.text else []


def words_of(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("\u2019", "'"))


def make_unit(key, text: str, words: list[str] | None = None) -> Unit:
    """``words``: ``words_of(text)`` when already known."""
    w = words_of(text) if words is None else words
    if len(w) < SHINGLE:
        sh = frozenset([hash(tuple(w))]) if w else frozenset()
    else:
        sh = frozenset(map(hash, zip(w, w[1:], w[2:])))  # hash(tuple(w[i : i + 3])) for each i
    return Unit(key, " ".join(w), len(w), sh)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similar_pairs(units: list[Unit], min_jaccard: float = 0.5, min_ratio: float = 0.85):
    """Yield (i, j, ratio) for i < j whose word sequences are nearly the same."""
    # A shingle of one text only pairs nothing: the index holds the shingles that several texts share (found
    # with set operations), and a text sharing none is skipped.
    every = list(chain.from_iterable(u.shingles for u in units))
    seen: set[int] = set(every)
    if len(seen) == len(every):
        return  # no shingle is held twice: no candidates
    seen.clear()
    shared: set[int] = set()
    for u in units:
        shared |= seen.intersection(u.shingles)
        seen |= u.shingles
    postings: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        if not shared.isdisjoint(u.shingles):
            for h in shared.intersection(u.shingles):
                postings.setdefault(h, []).append(i)
    for i, u in enumerate(units):
        if not u.shingles or shared.isdisjoint(u.shingles):
            continue
        counts: dict[int, int] = {}
        for h in u.shingles:
            p = postings.get(h)
            if p is None or len(p) > MAX_POSTINGS:
                continue
            for j in p:
                if j > i:
                    counts[j] = counts.get(j, 0) + 1
        need = max(1, int(len(u.shingles) * min_jaccard * 0.5))
        for j, c in counts.items():
            if c < need:
                continue
            v = units[j]
            if jaccard(u.shingles, v.shingles) < min_jaccard:
                continue
            ratio = 1.0 if u.text == v.text else difflib.SequenceMatcher(None, u.words, v.words, autojunk=False).ratio()
            if ratio >= min_ratio:
                yield i, j, ratio


def differing_words(a: list[str], b: list[str]) -> tuple[set[str], set[str]]:
    """Words in the spans where two word sequences differ: (from a, from b)."""
    da: set[str] = set()
    db: set[str] = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            da.update(a[i1:i2])
            db.update(b[j1:j2])
    return da, db
