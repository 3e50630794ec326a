"""Spelling issues in one run of prose: misspelt words, words run together, repeated words.

``Checker.issues(text)`` returns offsets into the text, so a rule can place each at its line and column.
Words not checked: single letters, acronyms in capitals (ASIS, MRI, IV), words touching digits or underscores
(C7, L5, file_2), and, in citation lines, capitalised words (author names, journal abbreviations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import eq

from pipeline.lint.text.tokens import WORD
from pipeline.lint.text.morph import PREFIXES
from pipeline.lint.text.vocab import Speller

_ALLOWED_REPEATS = frozenset({"that", "had", "is", "bye", "so", "very", "no", "ha"})
_DIGITS = "0123456789"
_SEEN_MAX = 100_000


@dataclass(frozen=True)
class Issue:
    offset: int  # in the text
    kind: str  # 'misspelt', 'unknown', 'run-together', 'repeated'
    word: str
    suggestions: tuple[str, ...] = ()

    def message(self) -> str:
        w = self.word
        if self.kind == "repeated":
            return f"repeated word: '{w} {w}'"
        if self.kind == "run-together":
            return f"'{w}' looks like words run together: '{' '.join(self.suggestions)}'"
        if self.kind == "misspelt":
            opts = [f"'{s}'" for s in self.suggestions]
            alts = opts[0] if len(opts) == 1 else ", ".join(opts[:-1]) + " or " + opts[-1]
            return f"'{w}' is not a known word: did you mean {alts}?"
        return f"'{w}' is not a known word (if it is right, add it to the project's words file)"


def _clean_key(text: str) -> str:
    """The text without a trailing number, so that numbered captions share one verdict; digits glued to a word
    ('foo1': the word is not checked) keep the whole text as its key, or 'foo' would inherit its verdict."""
    key = text.rstrip(_DIGITS)
    if key != text and key and (key[-1].isalnum() or key[-1] == "_"):
        return text
    return key


class Checker:
    """Issues of many texts, remembered per text.

    Most texts are clean: ``clean`` proves it for a whole text at once (its lower-case words against the known ones
    as one set operation, neighbours compared pairwise in C), and only a text it cannot clear is checked word by
    word, with positions.
    """

    def __init__(self, speller: Speller) -> None:
        self.speller = speller
        # by citation flag (False, True): texts found clean, without trailing digits; issues of each text seen
        self._clean: tuple[set[str], set[str]] = (set(), set())
        self._seen: tuple[dict[str, list[Issue]], dict[str, list[Issue]]] = ({}, {})
        self._seen_count = 0
        self._bad: tuple[set[str], set[str]] = (set(), set())  # the texts in ``_seen`` with issues

    def issues(self, text: str, *, citation: bool = False, words: list[str] | None = None) -> list[Issue]:
        """Issues in ``text`` (one line or one front matter value), repeated words included. ``words``: the words
        of ``text`` lowered, when already known (see ``clean``)."""
        seen = self._seen[citation]
        got = seen.get(text)
        if got is not None:
            return got
        clean = self._clean[citation]
        key = _clean_key(text)  # '... - orientation 12' is clean when '... - orientation 1' is
        if key in clean:
            return []
        out = [] if self.clean(text, words) else self._issues(text, citation)
        if self._seen_count < _SEEN_MAX:
            seen[text] = out
            self._seen_count += 1
            if out:
                self._bad[citation].add(text)
        if not out:
            clean.add(key)
        return out

    def all_clean(self, texts: list[str], *, citation: bool = False) -> bool:
        """True when ``issues`` would find nothing in any of ``texts`` (called on each in turn, as it then
        remembers them: this does the same). False, remembering nothing, when one of them may have an issue.

        A text ``issues`` would check is the first one with a key not yet in ``_clean``: any text remembered in
        ``_seen`` has its key there (or it has issues, and then the answer is False). So the texts are looked up
        only among the few with issues, and the per-text steps run as C loops over the whole list."""
        texts = list(dict.fromkeys(texts))  # a repeated text changes nothing (``issues`` remembers it)
        if not self._bad[citation].isdisjoint(texts):
            return False
        clean = self._clean[citation]
        keys = [_clean_key(t) for t in texts]
        new = [(key, texts[keys.index(key)]) for key in dict.fromkeys(keys) if key not in clean]  # with its first text
        if not new:
            return True
        if not self.clean("\n".join([text for _key, text in new])):
            return False
        seen = self._seen[citation]
        for key, text in new:
            if self._seen_count < _SEEN_MAX:
                seen[text] = []
                self._seen_count += 1
            clean.add(key)
        return True

    def clean(self, text: str, words: list[str] | None = None) -> bool:
        """True when ``text`` surely has no issue: every word known and no word next to the same word. False is
        "maybe not": the text is then checked word by word. ``words``, for an ASCII text: its words lowered (WORD's
        matches in the lowered text), when already known."""
        if text.isascii():  # lowering keeps every letter in place: the words of the lowered text, lowered
            lows = WORD.findall(text.lower()) if words is None else words
            if not lows:
                return True
            if any(map(eq, lows, lows[1:])):
                return False
        else:
            words = WORD.findall(text)
            if not words:
                return True
            low = "\n".join(words).lower()  # each word lowered as ``is_repeat`` and ``Speller.known`` lower it
            lows = low.split("\n")
            if len(lows) != len(words) or any(map(eq, lows, lows[1:])):
                return False
            if "\u2019" in low:
                lows = low.replace("\u2019", "'").split("\n")
        unknown = set(lows).difference(self.speller.lower_known)
        return not unknown or self.speller.all_known(unknown)

    def _issues(self, text: str, citation: bool) -> list[Issue]:
        out: list[Issue] = []
        prev: re.Match | None = None
        about_words = _ETYMOLOGY.search(text) is not None and _word_spans(text)
        for m in WORD.finditer(text):
            issue = self.word_issue(text, m, citation=citation)
            if issue is not None and about_words and issue.kind in ("misspelt", "unknown") and _inside(about_words, m.start()):
                issue = None  # a sentence about words (an etymology) cites words of other languages
            if issue is not None:
                out.append(issue)
            if prev is not None and is_repeat(text, prev, m):
                out.append(Issue(m.start(), "repeated", m.group()))
            prev = m
        return out

    def word_issue(self, text: str, m: re.Match, *, citation: bool = False) -> Issue | None:
        w = m.group()
        s, e = m.start(), m.end()
        if len(w) < 2 or w.isupper():
            return None
        if (s > 0 and (text[s - 1].isdigit() or text[s - 1] in "_\\")) or (e < len(text) and (text[e].isdigit() or text[e] == "_")):
            return None
        sp = self.speller
        if sp.known(w) or self._hyphenated_known(text, s, e) or _ROMAN.fullmatch(w):
            return None
        if not w.isascii() or in_italics(text, s, e) or after_language_name(text, s):
            return None  # another language ('für', 'ōmos', 'Latin: serrare'), a title or a species in italics
        if self._joined_known(text, s, e):
            return None  # 'zig zags', 'ortho paedic': one word written in two
        capital = w[0].isupper()
        if w[0] in _LETTER_PREFIXES and len(w) >= 5 and w[1:].islower() and sp.common(w[1:]) and not sp.is_name(w):
            return Issue(s, "run-together", w, (w[0], w[1:]))  # 'Xrays', 'Tshaped': the hyphen after a letter lost
        if w[1:] != w[1:].lower():
            return self._mixed_case(text, m, citation)
        if capital and (citation or not starts_sentence(text, s) or sp.is_name(w) or _NAMED_THING.match(text, e)):
            return None  # a name: an author, an eponym, a place, a publisher
        return self._verdict(w, s, capital)

    def _verdict(self, w: str, s: int, capital: bool) -> Issue | None:
        """A word no dictionary or rule knows: a one-letter slip of a known word, else two words run together,
        else a word two edits from a known one, else unknown (a capitalised one is then taken for a name)."""
        sp = self.speller
        near = sp.suggest(w, near=True)
        split = sp.split_run_on(w)
        if split and (capital or near) and not glued_to_small_word(split):
            split = None  # 'Kettlebell', 'tendin' (-> 'tendon'): a name, or a slip, before two words
        if split:
            return Issue(s, "run-together", w, split)
        if near:
            return Issue(s, "misspelt", w, tuple(near))
        sugg = sp.suggest(w)
        if sugg:
            return Issue(s, "misspelt", w, tuple(sugg))
        parts = sp.segment_common(w)
        if parts:
            return Issue(s, "run-together", w, tuple(parts))  # 'Bytheendofthissection': spaces lost
        if capital:
            return None
        return Issue(s, "unknown", w)

    def _mixed_case(self, text: str, m: re.Match, citation: bool) -> Issue | None:
        """'headConservative', 'dislocationsA': a word and the next sentence's first word, the space lost;
        'AgurArthur AMR': two authors' names glued. Brands and names ('OpenStax', 'eMedicine', 'McDonald',
        'ATPase') are not reported."""
        w, s = m.group(), m.start()
        sp = self.speller
        names = _TWO_NAMES.fullmatch(w)
        if names and not citation and starts_sentence(text, s) and all(sp.known(x.lower()) and not sp.is_name(x) for x in names.groups()):
            return Issue(s, "run-together", w, names.groups())  # 'AnamnesisInjuries': a heading glued to a sentence
        low = _LOW_THEN_CAPITAL.fullmatch(w)
        if low and sp.known(low.group(1)) and (len(low.group(2)) == 1 or sp.known(low.group(2))):
            return Issue(s, "run-together", w, (low.group(1), low.group(2)))
        names = _TWO_NAMES.fullmatch(w)
        if names and names.group(1) not in _NAME_PARTICLES and sp.is_name(names.group(2)) and _INITIALS.match(text, m.end()):
            return Issue(s, "run-together", w, (names.group(1), names.group(2)))
        return None

    def _hyphenated_known(self, text: str, s: int, e: int) -> bool:
        """Part of a hyphenated compound that is right as a whole: 'antero-lateral' (as 'anterolateral'),
        'intra- and extra-articular' (a prefix waiting for its word), 'musculo-skeletal'."""
        before = s > 0 and text[s - 1] == "-"
        after = e < len(text) and text[e] == "-"
        if not (before or after):
            return False
        a, b = s, e
        while a > 0 and (text[a - 1] == "-" or text[a - 1].isalpha()):
            a -= 1
        while b < len(text) and (text[b] == "-" or text[b].isalpha()):
            b += 1
        whole = text[a:b].strip("-")
        sp = self.speller
        if "-" in whole and sp.known(whole.replace("-", "")):
            return True
        w = text[s:e].lower()
        if (after and (e + 1 == len(text) or not text[e + 1].isalpha())) or (before and (s == 1 or not text[s - 2].isalpha())):
            return True  # an affix quoted on its own: 'the prefix omo-', 'the suffix -itis', 'intra- and extra-'
        return after and (w in sp.morph.combining or w in PREFIXES or sp.known(w + "o"))

    def _joined_known(self, text: str, s: int, e: int) -> bool:
        sp = self.speller
        nxt = _NEXT_WORD.match(text, e)
        if nxt and nxt.group(1) not in _GLUE_WORDS and sp.listed((text[s:e] + nxt.group(1)).lower()):
            return True
        prev = _PREV_WORD.search(text, 0, s)
        return bool(prev and prev.group(1) not in _GLUE_WORDS and sp.listed((prev.group(1) + text[s:e]).lower()))


_LETTER_PREFIXES = "XTUVY"  # letters written before a hyphen and a word: 'X-rays', 'T-shaped', 'U-shaped'
_LOW_THEN_CAPITAL = re.compile(r"([a-z]{2,})([A-Z][a-z]*)")
_TWO_NAMES = re.compile(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})")
_NAME_PARTICLES = frozenset(["Mac", "Van", "Von", "Des", "Den", "Della", "Le", "La", "De", "Di", "Du"])
_INITIALS = re.compile(r",?\s+[A-Z]{1,3}\b")
_OPENERS = "\"'([{*_#>|\u201c\u2018-\u2013\u2014\u2022 \t"


# after a name: a capitalised word, a possessive, or what eponyms name ('Apert syndrome', 'Mannu flap')
_NAMED_THING = re.compile(
    r"(?:['\u2019]s\b|\s+[A-Z][a-z]|\s+(?:syndrome|disease|sign|test|manoeuvre|maneuver|procedure|operation|technique|"
    r"classification|fracture|lesion|flap|reflex|law|method|approach|score|scale|criteria|deformity|bridge|curl|raise)\b)"
)
_ROMAN = re.compile(r"(?=[ivxlcdm]+$|[IVXLCDM]+$)(?i:m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3}))")
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
_PREV_WORD = re.compile(r"\b([a-z]+) $")
_LANGUAGE = re.compile(
    r"\b(?:Latin|Greek|French|German|Dutch|Italian|Spanish|Portuguese|Arabic|Gothic|Sanskrit|Norse|English|Saxon|"
    r"Hebrew|Persian|Turkish|Mongolian|Chinese|Japanese|lit\.|literally)[\s:=,(*\"'\u2018\u201c]*(?:word\s+|form\s+|verb\s+|noun\s+)?$"
)
_GLUE_WORDS = frozenset(["a", "an", "the", "of", "and", "to", "in", "is", "on", "or", "as", "at", "by", "for", "with", "from", "into"])


_ETYMOLOGY = re.compile(r"\b(?:Latin|Greek|[Ee]tymolog\w*|derived from|cognate|diminutive|literally|lit\.|Latini[sz]ed)\b")
ETYMOLOGY_REACH = 60  # characters after a word about words ('Latin', 'diminutive of') that may cite foreign words


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` cites words of other languages: the rest of a bracket that names a language or speaks of
    etymology, else the next ``ETYMOLOGY_REACH`` characters of the sentence: (start, end) offsets."""
    out = []
    for m in _ETYMOLOGY.finditer(text):
        opened = text.rfind("(", 0, m.start())
        if opened >= 0 and text.find(")", opened, m.start()) < 0:
            close = text.find(")", m.end())
            out.append((opened, close if close >= 0 else len(text)))
            continue
        end = min(len(text), m.end() + ETYMOLOGY_REACH)
        stop = text.find(". ", m.end(), end)
        out.append((m.start(), stop if stop >= 0 else end))
    return out


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    return any(a <= offset < b for a, b in spans)


def glued_to_small_word(split: tuple[str, str]) -> bool:
    """'Anaction' -> 'An action', 'theaxon': a small word glued to a longer one is likelier than a slip."""
    a, b = (x.lower() for x in split)
    # a short word after a longer one is a likelier slip ('tendin' -> 'tendon', not 'tend in')
    return (a in _GLUE_WORDS and len(b) >= 4) or (b in _GLUE_WORDS and len(b) >= 3 and len(a) >= 4)


def in_italics(text: str, s: int, e: int) -> bool:
    """Inside Markdown emphasis ('*sarco*', '_Texasetes pleurohalio_'): foreign words, species, titles."""
    for mark in "*_":
        left = text.rfind(mark, 0, s)
        if left >= 0 and text.count(mark, 0, left) % 2 == 0 and text.find(mark, e) >= 0:
            return True
    return False


def after_language_name(text: str, s: int) -> bool:
    """The word follows the name of a language ('Latin: serrare', 'Gothic ams'): a foreign word."""
    return _LANGUAGE.search(text, max(0, s - 40), s) is not None


def starts_sentence(text: str, offset: int) -> bool:
    """The word at ``offset`` opens a sentence, a line, a heading, a list item or a table cell: there its
    capital says nothing about it being a name."""
    head = text[:offset].rstrip(_OPENERS)
    if not head or text.lstrip().startswith("#"):
        return True
    return head[-1] in ".!?:;|" or head[-1].isdigit()


def is_repeat(text: str, a: re.Match, b: re.Match) -> bool:
    """Two neighbouring words, the same but for case, separated by blanks only ('are are')."""
    if a.group().lower() != b.group().lower() or a.group().lower() in _ALLOWED_REPEATS:
        return False
    between = text[a.end() : b.start()]
    return bool(between) and between.isspace() and len(a.group()) > 1 and not a.group().isupper()
