"""What the spelling check knows, loaded lazily and once per process.

* ``data/english.txt``: SCOWL (the word lists behind the Hunspell and Aspell English dictionaries), every
  spelling (American, British, Canadian, common variants) up to size 70, each word tagged in
  ``english-sizes.txt`` with the first digit of its SCOWL size (1-5 common, 6-7 the usual dictionary);
  ``data/english-rare.txt``: size 80, rare words; ``data/names.txt``: proper names that are no ordinary words. Rebuilt by
  ``python tools/build_data.py``.
* ``data/medical.dic`` with ``data/medical.aff``: the project's anatomical and medical dictionary in Hunspell
  format: English clinical words with their inflections, Latin anatomical nouns and adjectives with their cases
  (Terminologia Anatomica's forms: 'surae', 'nuchae', 'tendinis'), Greek plurals, and the combining forms and
  final elements of compounds ('osteo', 'itis'); its forms, as the Hunspell engine (``spylls``) makes them, are
  shipped compiled (see ``medical``).
* ``data/anatomy.txt``: anatomical words (muscle, bone and ligament names, movement terms) as a plain list.
* the project's own words file (``[tool.pipeline.lint] words``), one word a line, Hunspell flags of
  ``medical.aff`` allowed ('tendinopathy/S').

A word is *known* when one of these holds it, when ``morph.Morphology`` derives it from known words (an
inflection, a prefix, a compound of combining forms, a Latin form), or on weaker evidence: SCOWL's rare words
and, when the ``wordfreq`` package is installed, a word used in published English (see ``freq``). Weak evidence
does not clear a word that one typing slip turns into a common word ('bordes' -> 'borders'): that is how a real
typo looks. Words are matched without regard to case.

Suggestions are the known words at the smallest edit distance (optimal string alignment: a swap of two
neighbouring letters counts as one edit), at most 2, commoner first.
"""

from __future__ import annotations

import bisect
import functools
from itertools import compress
from pathlib import Path

from pipeline.lint.text import freq, medical
from pipeline.lint.text.morph import Morphology
from pipeline.lint.text.suggest import closest, edits1, match_case, typo_cost, undouble

_DATA = Path(__file__).with_name("data")
LARGE, DOMAIN = 70, 40  # rank of a word among suggestions (lower first): SCOWL sizes 10-70, domain words 40
DOMAIN_BONUS = 0.15  # how much likelier a slip of an anatomical word is than the same slip of another word
SEARCHES_BY_BISECTION = 64  # edit searches answered by bisection before the sets of words are built

# short words that commonly end a run-together pair ("composedof"): a split into one of these is plausible
_GLUE = frozenset(["a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on", "or", "the", "to", "with"])
_LIGATURES = str.maketrans({"æ": "ae", "œ": "oe", "ë": "e", "ï": "i", "ü": "u", "ö": "o", "é": "e"})


@functools.lru_cache(maxsize=1)
def english_words() -> tuple[list[str], str]:
    """(sorted lower-case words, their SCOWL sizes as one digit each). Looked up by bisection: building a set of
    all the words would cost more than the few thousand look-ups a site needs."""
    words = (_DATA / "english.txt").read_text(encoding="utf-8").split("\n")
    if words and not words[-1]:
        words.pop()
    sizes = (_DATA / "english-sizes.txt").read_text(encoding="ascii").strip()
    return words, sizes


class SortedLines:
    """A sorted word list file, searched by bisection in its text: no list or set of its words is made, so a
    large list costs only its reading (a millisecond or two) and each test some twenty string comparisons."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")

    def __contains__(self, word: str) -> bool:
        text = self.text
        lo, hi = 0, len(text)  # the word, if there, starts a line in text[lo:hi]
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", lo, mid) + 1 if mid > lo else lo
            if start < lo:
                start = lo
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                lo = end + 1
            else:
                hi = start
        return False


@functools.lru_cache(maxsize=1)
def rare_words() -> SortedLines:
    """SCOWL's rare words (size 80): read when a word is in no other list."""
    return SortedLines(_DATA / "english-rare.txt")


@functools.lru_cache(maxsize=1)
def proper_names() -> SortedLines:
    return SortedLines(_DATA / "names.txt")


def read_word_file(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.extend(line.split())
    return out


@functools.lru_cache(maxsize=1)
def anatomy() -> frozenset[str]:
    """Every anatomical and medical word form the project ships (``anatomy.txt`` and ``medical.dic``)."""
    text = (_DATA / "anatomy.txt").read_text(encoding="utf-8")
    return frozenset(w.lower() for w in read_word_file(text)) | medical.forms().words


@functools.lru_cache(maxsize=8)
def project_words(path: str | None) -> frozenset[str]:
    """The words file's words; an entry with Hunspell flags ('tendinopathy/S') with every form they make."""
    if not path:
        return frozenset()
    entries = read_word_file(Path(path).read_text(encoding="utf-8"))
    flagged = [e for e in entries if "/" in e.strip("/")]
    out = {e.lower() for e in entries if e not in flagged}
    if flagged:
        out |= medical.expand_flagged(flagged)
    return frozenset(out)


class Speller:
    """Known-word test, suggestions and run-together splits over English, anatomy, medicine and project words."""

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
        self._sets: dict[str, frozenset[str]] = {}
        self._searches = 0
        med = medical.forms()
        self.morph = Morphology(self.listed, med.combining, med.finals, self.domain)

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
    def _index(self, w: str) -> int:
        i = bisect.bisect_left(self.words, w)
        return i if i < len(self.words) and self.words[i] == w else -1

    def in_english(self, w: str) -> bool:
        return self._index(w) >= 0

    def listed(self, w: str) -> bool:
        """In a dictionary as it is (lower case): domain, project or a SCOWL word (not a rare one)."""
        return w in self.domain or self._index(w) >= 0

    def slip_of_common_word(self, word: str) -> bool:
        """One typing slip turns ``word`` into a common English word (SCOWL size 50 or less)."""
        return bool(self._listed_of(self._slips(word.lower()), "5"))

    def common(self, w: str) -> bool:
        """A common English word (SCOWL size 50 or less)."""
        return bool(self._listed_of({w}, "5"))

    def is_rare(self, w: str) -> bool:
        return w in rare_words()

    def is_name(self, word: str) -> bool:
        """A proper name SCOWL lists that is not also an ordinary word ('Arthur', not 'Injuries')."""
        return word.lower() in proper_names()

    def known(self, word: str) -> bool:
        r = self._known.get(word)
        if r is None:
            r = self._known[word] = self._known_uncached(word)
        return r

    def _known_uncached(self, word: str) -> bool:
        w = word.lower().replace("\u2019", "'")
        if self.listed(w):
            return True
        if w.endswith("'s") or w.endswith("s'"):
            return self.known(w[:-2] if w.endswith("'s") else w[:-1])
        if w.endswith("'"):
            return self.known(w[:-1])
        if not w.isascii():
            plain = w.translate(_LIGATURES)
            if plain != w and plain.isascii():
                return self.known(plain)
            return False
        if self.morph.built(w):
            return True
        if self.morph.derived(w):
            return not self.slip_of_common(w)  # an English word with an affix: unless a slip of a commoner word
        return self.weakly_known(w)

    def weakly_known(self, w: str) -> bool:
        """A rare SCOWL word, or a word in use (``freq``), that is no typing slip of a much commoner word; a word
        only in use must also be used well beyond two common words run together ('withthe' is in web text)."""
        if self.is_rare(w):
            if freq.in_use(w):
                return True  # a rare word that is in use ('brainstem'): a typo of a common word would not be
            return not self.slip_of_common(w)
        if self.doubling_slip(w):
            return False  # 'reffered', 'saccrum': a doubled letter misplaced, the commonest slip (no frequency needed)
        z = freq.zipf(w)
        if z < freq.IN_USE or (z < freq.SPLIT_IN_USE and self.splits_into_small_word(w)):
            return False
        return not self.slip_of_common(w)

    def doubling_slip(self, w: str) -> bool:
        """A known word differs from ``w`` only in which letters are doubled ('referred' of 'reffered')."""
        single = undouble(w)
        cands = {single[:i] + single[i] + single[i:] for i in range(len(single))}
        cands |= {c[:j] + c[j] + c[j:] for c in cands for j in range(len(c)) if undouble(c[:j] + c[j] + c[j:]) == single}
        cands.add(single)
        cands.discard(w)
        return bool(self._listed_of(cands, "7")) or not cands.isdisjoint(self.domain)

    def slip_of_common(self, w: str) -> bool:
        """One edit turns ``w`` into a known word much more used than ``w`` (with ``wordfreq``; without it, into a
        common word): ``w`` looks like its typo ('bordes' -> 'borders', 'ossiication' -> 'ossification')."""
        cands = self._slips(w)
        if not freq.available():
            return bool(self._listed_of(cands, "5"))
        return any(freq.much_commoner(c, w) for c in self._listed_of(cands, "7") | (cands & self.domain))

    @staticmethod
    def _slips(w: str) -> set[str]:
        """The words one typing slip from ``w``, but not ``w`` without an edge letter ('acellular' is 'a' +
        'cellular', 'nuchae' a case of 'nucha')."""
        return {c for c in edits1(w) if not (len(c) == len(w) - 1 and (w.startswith(c) or w.endswith(c)))}

    def splits_into_small_word(self, w: str) -> bool:
        """A small word ('the', 'of') glued to a common one ('withthe', 'thesame')."""
        return any(
            (w[:i] in _GLUE or w[i:] in _GLUE) and len(self._listed_of({w[:i], w[i:]}, "5")) == 2 for i in range(1, len(w))
        )

    def _listed_of(self, words: set[str], most: str) -> set[str]:
        """The ``words`` that are English words of SCOWL size digit ``most`` or less: by bisection for the first
        few searches (a site with a handful of typos), then with the set of those words."""
        self._searches += 1
        if self._searches > SEARCHES_BY_BISECTION or most in self._sets:
            return words & self._sized(most)
        out = set()
        for w in words:
            i = self._index(w)
            if i >= 0 and self.sizes[i] <= most:
                out.add(w)
        return out

    def _sized(self, most: str) -> frozenset[str]:
        """The English words of SCOWL size digit ``most`` or less, as a set (made once, for edit searches)."""
        got = self._sets.get(most)
        if got is None:
            keep = bytes.maketrans(b"12345678", bytes(1 if str(d) <= most else 0 for d in range(1, 9)))
            got = self._sets[most] = frozenset(compress(self.words, self.sizes.encode("ascii").translate(keep)))
        return got

    # -- suggestions
    def size_of(self, word: str) -> int:
        """SCOWL size of a known word (10 .. 80); domain and project words rank with size-40 words."""
        if word in self.domain:
            return DOMAIN
        i = self._index(word)
        if i >= 0:
            return int(self.sizes[i]) * 10  # '3' -> 30 (SCOWL 35), '5' -> 50, '7' -> 70
        return LARGE

    def suggest(self, word: str, limit: int = 3, *, near: bool = False) -> list[str]:
        """Known words closest to ``word``: edit distance 1, else 2 (words of 5 letters or more; not with
        ``near``).

        Among equally distant words, the likelier typo comes first: a dropped letter or two swapped letters, then a
        neighbouring key, then an extra letter, then any other; for two edits, the word with the same letters.
        Then commoner words (smaller SCOWL size) first. Distance 1 is searched by generating every edit of the
        word; distance 2 among the words that share its first letter (a typo rarely hits the first letter twice).
        """
        w = word.lower()
        key = (w, near)
        if key not in self._suggest_cache:
            self._suggest_cache[key] = self._suggest(w, limit, near) if len(w) >= 3 and w.isalpha() else []
        return [match_case(word, c) for c in self._suggest_cache[key]]

    def _suggest(self, w: str, limit: int, near: bool) -> list[str]:
        cands = edits1(w)
        names = proper_names()
        found = [(1, c) for c in {c for c in self._listed_of(cands, "7") if c not in names} | (cands & self.domain)]
        if not found and len(w) >= 5 and not near:
            pool: list[str] = [d for d in self.domain if d[:1] == w[0]]
            nxt = chr(ord(w[0]) + 1)
            ws = self.words
            lo, hi = bisect.bisect_left(ws, w[0]), bisect.bisect_left(ws, nxt)
            pool.extend(ws[lo:hi])
            names = proper_names()
            found = [(d, c) for c, d in closest(w, pool, 2) if c not in names]
        # among equally likely slips an anatomical word first ('tendin' -> 'tendon' before 'tending')
        ranked = sorted({(d, typo_cost(w, c, d) - (DOMAIN_BONUS if c in self.domain else 0.0), self.size_of(c), c) for d, c in found})
        return [c for _d, _k, _s, c in ranked[:limit]]

    def split_run_on(self, word: str) -> tuple[str, str] | None:
        """'composedof' -> ('composed', 'of'); 'rectusfemoris' -> ('rectus', 'femoris'); None when no good split."""
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

    def segment_common(self, word: str) -> list[str] | None:
        """'Bytheendofthissection' -> ['By', 'the', 'end', 'of', 'this', 'section']: a long word that is three or more
        common words with their spaces lost (fewest parts); None when there is no such reading."""
        w = word.lower()
        if len(w) < 12:
            return None
        common = self._sized("5")
        n = len(w)
        best: list[list[int] | None] = [None] * (n + 1)
        best[0] = []
        for i in range(1, n + 1):
            for j in range(max(0, i - 16), i):
                part = w[j:i]
                if best[j] is not None and (part in _GLUE or (len(part) >= 3 and part in common)):
                    if best[i] is None or len(best[j]) + 1 < len(best[i]):
                        best[i] = best[j] + [i]
        cuts = best[n]
        if not cuts or len(cuts) < 3:
            return None
        return [word[a:b] for a, b in zip([0, *cuts[:-1]], cuts)]

    def _word_for_split(self, part: str) -> bool:
        """A plausible half of a run-together pair: a glue word, a domain word, or a common English word (SCOWL
        size 50 or less; rarer words make spurious splits such as 'Agur' -> 'A gur')."""
        if part in _GLUE or part in self.domain:
            return True
        return len(part) > 2 and self.size_of(part) <= 50



