"""Spelling issues in one run of prose: misspelt words, words run together, repeated words.

``Checker.issues(text)`` returns offsets into the text, so a rule can place each at its line and column.
Words not checked: single letters, acronyms in capitals (ASIS, MRI, IV), words touching digits or underscores
(C7, L5, file_2), and, in citation lines, capitalised words (author names, journal abbreviations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.tokens import WORD
from pipeline.text.vocab import Speller

_ALLOWED_REPEATS = frozenset({"that", "had", "is", "bye", "so", "very", "no", "ha"})


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


class Checker:
    def __init__(self, speller: Speller) -> None:
        self.speller = speller
        self._clean: set[tuple[str, bool]] = set()
        self._seen: dict[tuple[str, bool], list[Issue]] = {}

    def issues(self, text: str, *, citation: bool = False) -> list[Issue]:
        """Issues in ``text`` (one line or one front matter value), repeated words included."""
        exact = (text, citation)
        got = self._seen.get(exact)
        if got is not None:
            return got
        key = (text.rstrip("0123456789"), citation)  # '... - orientation 12' is clean when '... - orientation 1' is
        if key in self._clean:
            return []
        out = self._issues(text, citation)
        if len(self._seen) < 100_000:
            self._seen[exact] = out
        if not out:
            self._clean.add(key)
        return out

    def _issues(self, text: str, citation: bool) -> list[Issue]:
        out: list[Issue] = []
        prev: re.Match | None = None
        for m in WORD.finditer(text):
            issue = self.word_issue(text, m, citation=citation)
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
        if sp.known(w):
            return None
        capital = w[:1].isupper()
        split = sp.split_run_on(w)
        if split and not (citation and capital and w[1:].islower()):
            return Issue(s, "run-together", w, split)
        if citation and capital:
            return None
        sugg = sp.suggest(w)
        if sugg:
            return Issue(s, "misspelt", w, tuple(sugg))
        if capital:
            return None  # most likely a name
        return Issue(s, "unknown", w)


def is_repeat(text: str, a: re.Match, b: re.Match) -> bool:
    """Two neighbouring words, the same but for case, separated by blanks only ('are are')."""
    if a.group().lower() != b.group().lower() or a.group().lower() in _ALLOWED_REPEATS:
        return False
    between = text[a.end() : b.start()]
    return bool(between) and between.isspace() and len(a.group()) > 1 and not a.group().isupper()
