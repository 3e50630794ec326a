"""Fixes of text findings, built for the rules that report them: a front matter value set to what it should be
(TXT006's image_title and image_alt), a DOI given its missing ``10.`` (TXT004), and repeated, misspelt or
run-together words (TXT003). Each helper returns a ``Fix`` or None, so a rule attaches it with ``fix=...``."""

from __future__ import annotations

import re

from pipeline.content.findings import Fix
from pipeline.content.model import Page
from pipeline.lint.fix.scalars import replace_value
from pipeline.lint.fix.source import Source


def value_fix(page: Page, path: tuple, value: str, message: str, *, safe: bool = True) -> Fix | None:
    """Set the front matter string at ``path`` to ``value``, in the quoting style it has."""
    edit = replace_value(page, path, value)
    return Fix(message, (edit,), safe) if edit is not None else None


_NO_PREFIX = re.compile(r"\d{4,9}/\S")


def doi_fix(page: Page, line: int, column: int) -> Fix | None:
    """For a DOI at (line, column) written without its '10.' ('doi:7759/cureus.2736'): the prefix inserted."""
    src = Source.of(page.text)
    off = src.offset(line, column)
    if off is None or not _NO_PREFIX.match(src.text, off) or src.text[max(off - 1, 0) : off].isdigit():
        return None
    return Fix("add the DOI's '10.' prefix", (src.edit(off, off, "10."),), True)


def spelling_fix(page: Page, places: list[tuple[int, int, str, str, tuple[str, ...]]]) -> Fix | None:
    """For one TXT003 finding, at every place it stands for ``(line, column, kind, word, suggestions)``: a repeated
    word removed (safe); a misspelling with exactly one suggestion replaced by it, or words run together split
    (unsafe: the author may have meant another word). None when any place cannot be fixed so."""
    src = Source.of(page.text)
    edits = []
    for line, column, kind, word, suggestions in places:
        off = src.offset(line, column)
        if off is None or src.text[off : off + len(word)] != word:
            return None
        if kind == "repeated":
            edit = _unrepeat(src, off, word)
        elif kind == "run-together" and len(suggestions) == 2 and "".join(suggestions) == word:
            edit = src.edit(off, off + len(word), " ".join(suggestions))
        elif kind == "misspelt" and len(suggestions) == 1:
            edit = src.edit(off, off + len(word), suggestions[0])
        else:
            return None
        if edit is None:
            return None
        edits.append(edit)
    _, _, kind, word, suggestions = places[0]
    if kind == "repeated":
        return Fix(f"remove the repeated '{word}'", tuple(edits), True)
    into = " ".join(suggestions) if kind == "run-together" else suggestions[0]
    return Fix(f"write '{word}' as '{into}'", tuple(edits), False)


def _unrepeat(src: Source, off: int, word: str):
    """Delete the second of two equal words: with the blanks before it on its line, or, when it starts a line,
    with the blanks after it (a line left empty would end the paragraph: then nothing)."""
    text = src.text
    start = off
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start > 0 and text[start - 1] not in "\r\n":
        return src.edit(start, off + len(word), "") if text[:start].lower().endswith(word.lower()) else None
    end = off + len(word)
    while end < len(text) and text[end] in " \t":
        end += 1
    if end >= len(text) or text[end] in "\r\n":
        return None
    return src.edit(off, end, "")
