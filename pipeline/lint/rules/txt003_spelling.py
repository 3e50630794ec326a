"""TXT003: a word is misspelt, two words are run together, or a word is repeated.

Checked in every prose field of the front matter (title, subheadline, gallery captions and titles, image titles
and alt texts) and in the body (descriptions, list and link texts, headings), on pages and on plain
Markdown/text articles. Link targets, URLs, domain names, DOIs, IPA pronunciations, Liquid tags, HTML tags and
code are not prose and are skipped.

A word is known (see ``pipeline.lint.text.vocab``) when it is in the English word lists (SCOWL, every spelling, as in
the Hunspell and Aspell dictionaries), in the project's anatomical and medical dictionary (Hunspell format, read
with the Hunspell engine: clinical words, Latin names of Terminologia Anatomica with their cases, combining
forms), in the anatomical word list, or in the project's words file (``[tool.pipeline.lint] words =
"words.txt"``, one word a line, ``#`` comments); when it is built by rule from known words (an inflection, a
prefix, a compound of combining forms such as 'acromioclavicular', a Latin form such as 'clavicularis', a drug
name by its INN stem); or on weaker evidence (a rare SCOWL word, a word used in English per ``wordfreq``) when
no typing slip turns it into a much commoner word.

Reported, each at the line and column of the word:

* a word that is not known, with the closest known words ("gastrocnemus": did you mean "gastrocnemius"?; a
  one-letter slip is preferred to a split: "tendin" -> "tendon");
* words written as one ("composedof", "rectusfemoris", "Bytheendofthissection"), a word glued to the next
  sentence ("stretchThe"), or two authors' names glued together ("AgurArthur AMR");
* the same word twice in a row ("are are"; "that that" and "had had" are grammatical and allowed).

Not reported: single letters, acronyms in capitals (ASIS, MRI), Roman numerals, words touching digits (C7),
capitalised words inside a sentence and in reference lists (authors, eponyms, places, publishers), brands
("OpenStax", "eMedicine"), words in other scripts or with accents of other languages, words in italics, words
cited in an etymology ("from Latin serrare"), a part of a hyphenated compound that is right as a whole
("antero-lateral") or a quoted affix ("omo-", "-itis"), and a word written the same way three times or more in a
page's body (a term of the text, not a slip). A capitalised unknown word with no close known word is taken for
a name. A word repeated on one page is reported once, at its first place, with the count.
"""

from __future__ import annotations

import re

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.text.site import text_pages, without_gc
from pipeline.lint.text.spelling import Checker, Issue, is_repeat
from pipeline.lint.text.tokens import (
    WORD,
    front_matter_strings,
    front_matter_values,
    locate_value,
)

CODE = "TXT003"
SUMMARY = "misspelt, run-together or repeated word"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
description: The lateral compartment holds two muscles that turn the sole outward; both are supplied by one nerve.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
description: The lateral compartmnet holds two muscles that turn the the sole outward; both are suppliedby one nerve.
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""

_REFERENCES = re.compile(
    r"^\s{0,3}(?:#{1,6}\s*|\*\*|__)?(references?|bibliography|literature|sources|further reading|citations?|works cited)\b"
    r"(?:\*\*|__)?:?\s*$|^\s{0,3}#{1,6}\s*(references?|bibliography|literature|sources|further reading|citations?|works cited)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s|\*\*[^*]+\*\*:?\s*$)")
# a reference without a DOI or PMID: 'Smith JA, Lee K. Title. J Anat. 2019;235(1):67-79.' (authors with initials,
# or year;volume(issue))
_REFERENCE_LIKE = re.compile(r"^\s*(?:\[?\d{1,3}[.)\]]\s*)?[A-Z][\w'-]+,? (?:[A-Z]{1,3}|[A-Z]\.(?: ?[A-Z]\.)*)[,.;]|\b(?:1[6-9]|20)\d\d\s*[;:]\s*\d+\s*\(")
_CITATION_LINE = re.compile(r"\bdoi\b|\b10\.\d{4,9}/|\bPMID\b|\bPMC\d|\bet al\b", re.IGNORECASE)


# an unknown word written the same way this many times in one page's body is a term of the text, not a slip --
# unless one slip makes it a common word ('seperate' written throughout is still a misspelling)
DELIBERATE = 3
_SLIPS = ("misspelt", "unknown")

_CITING: dict[str, bool] = {}  # short lines seen (the same link and include lines recur on many pages)


def _citation_line(raw: str) -> bool:
    """``_CITATION_LINE`` matches ``raw``. Plain searches in the lowered line first: a match needs one of these
    (U+0130 and U+0131, the letters that match 'i' in any case but do not lower to a lone 'i', send the line to the
    pattern)."""
    short = len(raw) < 200
    if short:
        got = _CITING.get(raw)
        if got is not None:
            return got
    low = raw.lower()
    if not ("doi" in low or "10." in raw or "pmid" in low or "pmc" in low or "et al" in low or (not raw.isascii() and ("\u0131" in raw or "\u0130" in raw))):
        got = False
    else:
        got = _CITATION_LINE.search(raw) is not None
    if not got and ("," in raw or ";" in raw):
        got = _REFERENCE_LIKE.search(raw) is not None
    if short and len(_CITING) < 10_000:
        _CITING[raw] = got
    return got


def _uses(page, word: str, body_from: int) -> int:
    """How many times ``word`` is written, as a word, in the page's body."""
    pattern = re.compile(r"(?<![\w'-])" + re.escape(word) + r"(?![\w'-])", re.IGNORECASE)
    return sum(len(pattern.findall(line)) for line in page.lines[body_from - 1 :])


@without_gc
def check(ctx: Context):
    checker = Checker(ctx.text.speller)
    checker.speller.expect_lookups(len(ctx.site.pages) * 8)  # new words per page, about, on a large site
    for page in text_pages(ctx):
        found: dict[tuple[str, str], list[tuple[int, int, Issue]]] = {}

        def add(issue: Issue, line: int, col: int) -> None:
            found.setdefault((issue.kind, issue.word.lower()), []).append((line, col, issue))

        if not page.is_article:
            values = front_matter_strings(page)
            # the page's values cleared at once; else each value, placed in the file (as few are)
            if values and not checker.all_clean(values):
                for path, value in front_matter_values(page):
                    issues = checker.issues(value)
                    if issues:
                        f = locate_value(page, path, value, "")
                        for issue in issues:
                            add(issue, f.line, f.column + issue.offset if f.single_line else f.column)
        body_from = page.fm.body_line if page.fm.present else 1
        in_refs = False
        prev = None  # the previous body line (ProseField) while it may end with a word
        lines = page.lines
        own = ctx.text.description_words(page)
        for f in ctx.text.body_lines(page):
            raw = lines[f.line - 1]
            if ("#" in raw or "**" in raw or "__" in raw) and _HEADING.match(raw):
                in_refs = bool(_REFERENCES.match(raw))
            citation = in_refs or _citation_line(raw)
            text = f.text
            words = None
            if own is not None and text == raw and text.isascii() and raw.strip() == own[0]:
                words = own[1]  # the line is the whole description, nothing blanked: its words
            for issue in checker.issues(text, citation=citation, words=words):
                add(issue, f.line, 1 + issue.offset)
            # a word repeated across a line break ('... are' / 'are ...') within one paragraph
            if prev is not None and prev.paragraph == f.paragraph:
                p_words = list(WORD.finditer(prev.text))
                words = list(WORD.finditer(text))
                if p_words and words:
                    p_text, p_word = prev.text, p_words[-1]
                    first = words[0]
                    joined = p_text[: p_word.end()] + " " + text[first.start() : first.end()]
                    if p_text[p_word.end() :].strip() == "" and text[: first.start()].strip() == "":
                        mm = list(WORD.finditer(joined))
                        if len(mm) >= 2 and is_repeat(joined, mm[-2], mm[-1]):
                            add(Issue(first.start(), "repeated", first.group()), f.line, 1 + first.start())
            prev = f
        for (kind, _w), places in found.items():
            line, col, issue = places[0]
            if kind in _SLIPS and _uses(page, issue.word, body_from) >= DELIBERATE and not checker.speller.slip_of_common_word(issue.word):
                continue  # the same spelling throughout the text: a term it uses, not a slip (unless of a common word)

            msg = issue.message()
            if len(places) > 1:
                msg += f" ({len(places)} times on this page)"
            yield at(page, line, col, msg, fix=_fix(page, places))


def _fix(page, places):
    """The fix of a finding, made at every place it stands for (``pipeline.lint.fix.texts``)."""
    from pipeline.lint.fix.texts import spelling_fix

    return spelling_fix(page, [(line, col, i.kind, i.word, i.suggestions) for line, col, i in places])
