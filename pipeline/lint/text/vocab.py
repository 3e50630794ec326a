"""Word lists for the spelling check, loaded lazily and once per process.

* ``data/english.txt``: SCOWL (the word lists behind the Hunspell/Aspell English dictionaries), American and
  British spellings up to size 70, each word tagged with its size (35/50/70: commoner words rank first among
  suggestions). Rebuilt by ``tools/build_data.py``.
* ``data/anatomy.txt``: anatomical vocabulary SCOWL lacks: Latin muscle, bone and ligament names, their English
  adjectives, movement terms, eponyms and abbreviations.
* the project's own words file (``[tool.pipeline.lint] words``), one word a line.

Words are matched without regard to case. Suggestions are the known words at the smallest edit distance
(optimal string alignment: a swap of two neighbouring letters counts as one edit), at most 2, commoner first.
"""

from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path

_DATA = Path(__file__).with_name("data")
LARGE, DOMAIN = 70, 40  # rank of a word among suggestions (lower first): SCOWL sizes 30/50/70, domain words 40

# short words that commonly end a run-together pair ("composedof"): a split into one of these is plausible
_GLUE = frozenset(["a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "the", "to", "with"])


@functools.lru_cache(maxsize=1)
def english_words() -> tuple[list[str], str]:
    """(sorted lower-case words, their SCOWL sizes as one digit each). Looked up by bisection: building a set of
    130,000 strings would cost more than the few thousand look-ups a site needs."""
    words = (_DATA / "english.txt").read_text(encoding="utf-8").split("\n")
    if words and not words[-1]:
        words.pop()
    sizes = (_DATA / "english-sizes.txt").read_text(encoding="ascii").strip()
    return words, sizes


def read_word_file(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.extend(line.split())
    return out


@functools.lru_cache(maxsize=1)
def anatomy() -> frozenset[str]:
    text = (_DATA / "anatomy.txt").read_text(encoding="utf-8")
    return frozenset(w.lower() for w in read_word_file(text))


@functools.lru_cache(maxsize=8)
def project_words(path: str | None) -> frozenset[str]:
    if not path:
        return frozenset()
    return frozenset(w.lower() for w in read_word_file(Path(path).read_text(encoding="utf-8")))


class Speller:
    """Known-word test, suggestions and run-together splits over English + anatomy + project words."""

    # after this many look-ups by bisection, one set of all English words answers faster
    WHOLE_SET_AFTER = 4096

    def __init__(self, extra: frozenset[str] = frozenset()) -> None:
        self.words, self.sizes = english_words()
        self._known: dict[str, bool] = {}
        self.domain = anatomy() | extra
        self.extra = extra
        self._suggest_cache: dict[str, list[str]] = {}
        # lower-case words known to be known (a cache that grows; all of English once look-ups are many)
        self.lower_known: set[str] = set(self.domain)
        self._lookups = 0
        self._whole = False

    def expect_lookups(self, n: int) -> None:
        """Many look-ups ahead (a large site): the set of all English words now rather than after the first ones."""
        if n > self.WHOLE_SET_AFTER:
            self._lookups = max(self._lookups, self.WHOLE_SET_AFTER)

    def all_known(self, words) -> bool:
        """Whether every one of ``words`` (lower case) is known; the known ones join ``lower_known``."""
        if not self._whole:
            self._lookups += len(words)
            if self._lookups > self.WHOLE_SET_AFTER:
                self._whole = True
                self.lower_known.update(self.words)
                words = [w for w in words if w not in self.lower_known]
        for w in words:
            if not self.known(w):
                return False
            self.lower_known.add(w)
        return True

    # -- membership
    def in_english(self, w: str) -> bool:
        i = bisect.bisect_left(self.words, w)
        return i < len(self.words) and self.words[i] == w

    def known(self, word: str) -> bool:
        r = self._known.get(word)
        if r is None:
            r = self._known[word] = self._known_uncached(word)
        return r

    def _known_uncached(self, word: str) -> bool:
        w = word.lower().replace("\u2019", "'")
        if w in self.domain or self.in_english(w):
            return True
        if w.endswith("'s") or w.endswith("s'"):
            return self.known(w[:-2] if w.endswith("'s") else w[:-1])
        if w.endswith("'"):
            return self.known(w[:-1])
        # plural of a domain word ('infrahyoids', 'bursas')
        if w.endswith("s") and (w[:-1] in self.domain or (w.endswith("es") and w[:-2] in self.domain)):
            return True
        return False

    # -- suggestions
    def size_of(self, word: str) -> int:
        """SCOWL size of a known word (35, 50, 70); domain and project words rank with size-40 words."""
        if word in self.domain:
            return DOMAIN
        i = bisect.bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return int(self.sizes[i]) * 10  # '3' -> 30 (SCOWL 35), '5' -> 50, '7' -> 70
        return LARGE

    def _is_word(self, w: str) -> bool:
        return w in self.domain or self.in_english(w)

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Known words closest to ``word``: edit distance 1, else 2 (words of 5 letters or more).

        Among equally distant words, the likelier typo comes first: a dropped letter or two swapped letters, then a
        neighbouring key, then an extra letter, then any other; for two edits, the word with the same letters.
        Then commoner words (smaller SCOWL size) first. Distance 1 is searched by generating every edit of the
        word; distance 2 among the words that share its first letter (a typo rarely hits the first letter twice).
        """
        w = word.lower()
        if w not in self._suggest_cache:
            self._suggest_cache[w] = self._suggest(w, limit) if len(w) >= 3 and w.isalpha() else []
        return [_match_case(word, c) for c in self._suggest_cache[w]]

    def _suggest(self, w: str, limit: int) -> list[str]:
        found = [(1, c) for c in _edits1(w) if self._is_word(c)]
        if not found and len(w) >= 5:
            pool: list[str] = [d for d in self.domain if d[:1] == w[0]]
            nxt = chr(ord(w[0]) + 1)
            ws = self.words
            pool.extend(ws[bisect.bisect_left(ws, w[0]) : bisect.bisect_left(ws, nxt)])
            found = [(d, c) for c, d in _closest(w, pool, 2)]
        ranked = sorted({(d, _typo_cost(w, c, d), self.size_of(c), c) for d, c in found})
        return [c for _d, _k, _s, c in ranked[:limit]]

    def split_run_on(self, word: str) -> tuple[str, str] | None:
        """'composedof' -> ('composed', 'of'); 'AgurArthur' -> ('Agur', 'Arthur'); None when no good split."""
        m = re.fullmatch(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})", word)
        if m and m.group(1) not in ("Mac", "Van", "Von", "Des", "Den", "Della"):
            return m.group(1), m.group(2)
        w = word.lower()
        best: tuple[int, str, str] | None = None
        for i in range(1, len(w)):
            left, right = w[:i], w[i:]
            if not (self._word_for_split(left) and self._word_for_split(right)):
                continue
            if (len(left) < 3 and left not in _GLUE) or (len(right) < 3 and right not in _GLUE):
                continue
            score = self.size_of(left) + self.size_of(right)
            if best is None or score < best[0]:
                best = (score, word[:i], word[i:])
        return (best[1], best[2]) if best else None

    def _word_for_split(self, part: str) -> bool:
        """A plausible half of a run-together pair: a glue word, a domain word, or a common English word (SCOWL
        size 50 or less; rarer words make spurious splits such as 'Agur' -> 'A gur')."""
        if part in _GLUE or part in self.domain:
            return True
        return len(part) > 2 and self.size_of(part) <= 50


_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POS = {c: (r, i) for r, row in enumerate(_KEYS) for i, c in enumerate(row)}


def _neighbours(a: str, b: str) -> bool:
    pa, pb = _KEY_POS.get(a), _KEY_POS.get(b)
    return bool(pa and pb and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1)


def _typo_cost(word: str, cand: str, d: int) -> float:
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
    if _undouble(word) == _undouble(cand):
        return 0.0
    bag: dict[str, int] = {}
    for c in word:
        bag[c] = bag.get(c, 0) + 1
    for c in cand:
        bag[c] = bag.get(c, 0) - 1
    return sum(abs(v) for v in bag.values()) / 2


def _undouble(w: str) -> str:
    return re.sub(r"(.)\1", r"\1", w)


def _match_case(original: str, cand: str) -> str:
    if original[:1].isupper():
        return cand[:1].upper() + cand[1:]
    return cand


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(w)
    return out


def _closest(word: str, pool: list[str], max_d: int):
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
