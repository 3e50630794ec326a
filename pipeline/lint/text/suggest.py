"""Edit-distance helpers for spelling suggestions: the edits of a word, the closest words of a pool, and how
plausible a candidate is as the word meant."""

from __future__ import annotations

import re

_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POS = {c: (r, i) for r, row in enumerate(_KEYS) for i, c in enumerate(row)}


def _neighbours(a: str, b: str) -> bool:
    pa, pb = _KEY_POS.get(a), _KEY_POS.get(b)
    return bool(pa and pb and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1)


def typo_cost(word: str, cand: str, d: int) -> float:
    """How plausible it is that ``cand`` was meant (lower is likelier), for candidates at the same distance."""
    if d == 1:
        if len(cand) == len(word) + 1:
            return 0.6  # a dropped letter
        if len(cand) == len(word) - 1:
            return 0.8  # an extra letter
        diff = [i for i in range(len(word)) if word[i] != cand[i]]
        if len(diff) == 2:
            return 0.6  # two neighbouring letters swapped
        return 0.7 if _neighbours(word[diff[0]], cand[diff[0]]) else 1.0
    # two edits: prefer a misplaced double letter ('reffered' -> 'referred'), then the same letters in another order
    if undouble(word) == undouble(cand):
        return 0.0
    bag: dict[str, int] = {}
    for c in word:
        bag[c] = bag.get(c, 0) + 1
    for c in cand:
        bag[c] = bag.get(c, 0) - 1
    return sum(abs(v) for v in bag.values()) / 2


def undouble(w: str) -> str:
    return re.sub(r"(.)\1", r"\1", w)


def match_case(original: str, cand: str) -> str:
    if original[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(w)
    return out


def closest(word: str, pool: list[str], max_d: int):
    """(candidate, distance) for candidates within ``max_d`` edits (optimal string alignment distance)."""
    try:
        from rapidfuzz.distance import OSA
        from rapidfuzz.process import extract
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency; a slower pure-Python path keeps it optional
        for cand in pool:
            d = osa_distance(word, cand, max_d)
            if d <= max_d:
                yield cand, d
        return
    for cand, d, _i in extract(word, pool, scorer=OSA.distance, score_cutoff=max_d, limit=None):
        yield cand, int(d)


def osa_distance(a: str, b: str, cutoff: int = 99) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions)."""
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
