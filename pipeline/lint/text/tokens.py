"""Words, sentences and the prose of a page, with positions in the file.

Everything here is plain string work (no dictionaries): the spelling, similarity and figure checks build on it.
Prose comes from the front matter fields meant for readers (title, subheadline, captions, image titles and alt
texts) and from the body, with Markdown and Liquid syntax (link targets, URLs, includes, HTML tags, code) blanked
out so that columns stay true.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from pipeline.content.model import Page

# A word: letters with inner apostrophes or hyphens ("trochanter's", "fan-shaped"); digits make it a non-word.
WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*")

# Spans of a body line that are not prose: blanked before tokenising.
_NOT_PROSE = re.compile(
    r"\{%.*?%\}"  # Liquid tags
    r"|\{\{.*?\}\}"  # Liquid output
    r"|`[^`]*`"  # inline code
    r"|<[^>\n]*>"  # HTML tags
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # link targets '](...)'
    r"|\b(?:https?|ftp)://\S+"  # URLs
    r"|\bwww\.\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|info|int|io|uk|au|de|ca|nz|eu|fr|nl|ch|it|es|jp|us)\b(?:/\S*)?"  # domains
    r"|/[^/\s]*[\u0250-\u02ff\u0300-\u036f][^/\n]*/"  # IPA pronunciations, /ˈfiːmər/
    r"|\b[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail addresses
    r"|\b(?:doi|DOI)\s*:?\s*\S+"  # DOIs and what follows 'doi:'
    r"|\b10\.\d{3,9}/\S+"
    r"|\b(?:PMID|PMCID|ISBN|ISSN)\s*:?\s*\S+"
    r"|&[a-z]+;|&#\d+;"  # HTML entities
)

STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "along", "although", "am", "among", "an", "and", "another", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "beneath", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "etc", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "may", "might", "more", "most", "much", "must", "my", "namely", "neither", "no", "nor", "not", "now", "of", "off", "often", "on", "once", "only", "onto", "or", "other", "others", "otherwise", "our", "out", "over", "own", "per", "rather", "same", "several", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their", "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus", "to", "together", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "when", "where", "whereas", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your"]
)


class ProseField(NamedTuple):
    """One run of prose: a front matter value or a body line, with where its first character is."""

    text: str
    line: int
    column: int
    where: str  # 'title', 'gallery[3].caption', 'body'
    single_line: bool = True  # columns of words inside can be computed (False: a folded YAML scalar)
    paragraph: int = 0  # body lines of one paragraph share a number (repeated words across line ends)


_MARKUP_CHAR = re.compile(r"[{`<\]:@&/]|\.(?:com|org|net|edu|gov|info|int|io|uk|au|de|ca|nz|eu|fr|nl|ch|it|es|jp|us)\b")


def _blank(m: re.Match) -> str:
    return " " * (m.end() - m.start())


_BLANKED: dict[str, str] = {}  # lines with markup, blanked (the same include and link lines recur on many pages)


def blank_non_prose(line: str) -> str:
    """Replace markup that is not prose by spaces (same length, so columns still match)."""
    short = len(line) < 200
    if short:
        out = _BLANKED.get(line)
        if out is not None:
            return out
    if _MARKUP_CHAR.search(line) is None and "doi" not in line.lower() and "PMID" not in line:
        return line
    out = _NOT_PROSE.sub(_blank, line)
    if short and len(_BLANKED) < 10_000:
        _BLANKED[line] = out
    return out


FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_LIQUID_BLOCK_START = re.compile(r"\{%-?\s*(comment|raw|highlight)\b")
_LIQUID_BLOCK_END = re.compile(r"\{%-?\s*end(comment|raw|highlight)\s*-?%\}")

# front matter keys whose values are prose for readers
FM_PROSE_KEYS = ("title", "subheadline", "description", "excerpt", "summary", "teaser")
GALLERY_PROSE = ("caption", "title", "alt")
IMAGE_PROSE = ("image_title", "image_alt", "caption")


_new_field = tuple.__new__  # ProseField(...) without its Python-level constructor


def front_matter_values(page: Page) -> Iterator[tuple[tuple, str]]:
    """(JSON path, value) of each front matter string meant for readers; positions are looked up on demand."""
    data = page.data
    for key in FM_PROSE_KEYS:
        v = data.get(key)
        if isinstance(v, str) and v.strip():
            yield (key,), v
    for list_key, fields in (("gallery", GALLERY_PROSE), ("images", IMAGE_PROSE)):
        items = data.get(list_key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for f in fields:
                v = item.get(f)
                if isinstance(v, str) and v.strip():
                    yield (list_key, i, f), v


_CAPTION_TITLE = attrgetter("caption", "title")
_URL = attrgetter("url")


def front_matter_strings(page: Page) -> list[str]:
    """The values ``front_matter_values`` yields, in the same order, without their paths (cheaper).

    Gallery captions and titles are read from ``page.gallery`` (the loader took them from the same items), and the
    items themselves only when one may have an ``alt``: when the items hold no more keys in all than the entries
    show (an image_url, caption or title that is a string), no item has another key.
    """
    data = page.data
    out = [v for v in map(data.get, FM_PROSE_KEYS) if isinstance(v, str) and v.strip()]
    items = data.get("gallery")
    if isinstance(items, list) and items:
        entries = page.gallery
        fast = False
        if len(entries) == len(items):
            values = list(chain.from_iterable(map(_CAPTION_TITLE, entries)))  # str or None
            shown = len(values) - values.count(None) + len(entries) - list(map(_URL, entries)).count(None)
            try:  # (an item that is not a dict has an entry showing nothing: it must be empty too)
                fast = sum(map(len, items)) == shown
            except TypeError:  # an item without a length
                pass
        if fast:
            out += filter(str.strip, filter(None, values))  # the non-blank strings, filtered in C
        else:
            values = (v for item in items if isinstance(item, dict) for v in map(item.get, GALLERY_PROSE))
            out += [v for v in values if isinstance(v, str) and v.strip()]
    items = data.get("images")
    if isinstance(items, list):
        out += [v for item in items if isinstance(item, dict) for v in map(item.get, IMAGE_PROSE) if isinstance(v, str) and v.strip()]
    return out


def locate_value(page: Page, path: tuple, value: str, where: str) -> ProseField:
    line, col = page.fm.pos(path)
    raw = page.line_text(line)
    # Locate the value inside its line: quoted or plain, on the line where the node starts.
    start = col - 1
    single = "\n" not in value
    if 0 <= start < len(raw) and raw[start : start + 1] in ("'", '"'):
        quote = raw[start]
        inner = raw[start + 1 :]
        # the value as written (with '' or \" escapes) must sit on this line
        written = value.replace("'", "''") if quote == "'" else value.replace('"', '\\"')
        if inner.startswith(written):
            return ProseField(value, line, col + 1, where, single)
        return ProseField(value, line, col + 1, where, False)
    if 0 <= start < len(raw) and raw[start:].startswith(value):
        return ProseField(value, line, col, where, single)
    return ProseField(value, line, col, where, False)


def body_prose(page: Page) -> Iterator[ProseField]:
    """Body lines with non-prose blanked; fenced code and Liquid comment/raw blocks are skipped."""
    return iter(body_prose_list(page))


def body_prose_list(page: Page) -> list[ProseField]:
    """``body_prose(page)`` as a list."""
    out = []
    first = page.fm.body_line if page.fm.present else 1
    lines = page.lines
    in_fence = False
    in_block = False
    paragraph = 0
    for idx in range(first - 1, len(lines)):
        raw = lines[idx]
        if not raw:  # (what the steps below do with an empty line)
            if not in_fence:
                paragraph += 1
            continue
        if len(raw) > 20_000:
            continue
        # (each pattern is tried only on lines holding the characters it needs)
        if ("`" in raw or "~" in raw) and FENCE.match(raw):
            in_fence = not in_fence
            paragraph += 1
            continue
        if in_fence:
            continue
        liquid = "{%" in raw
        if in_block:
            if liquid and _LIQUID_BLOCK_END.search(raw):
                in_block = False
            paragraph += 1
            continue
        if liquid and _LIQUID_BLOCK_START.search(raw) and not _LIQUID_BLOCK_END.search(raw):
            in_block = True
            paragraph += 1
            continue
        s = raw.strip()
        if not s:
            paragraph += 1
            continue
        c = s[0]
        if c in "{|<#" and s.startswith(("{%", "|", "<", "#")) or (c in "-*+" or c.isdigit()) and _LIST_ITEM.match(raw):
            paragraph += 1  # list items and headings do not continue the previous paragraph
        out.append(_new_field(ProseField, (blank_non_prose(raw), idx + 1, 1, "body", True, paragraph)))
    return out


# The end of a sentence: its punctuation (matched here, so that the search can skip to it: a pattern starting with
# a look-behind is tried at every character), closing quotes or brackets, blanks, and what can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[A-Z0-9\"'(\[])")
_ABBREVIATION = re.compile(r"(?:\be\.g|\bi\.e|\betc|\bapprox|\bca|\bvs|\bfig|\bno|\bdr|\bst|\bal|\b[a-z])\.$")


def sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into sentences: (offset, sentence). Abbreviations like 'e.g.' and 'approx.' do not end one."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + 1  # after the punctuation
        before = text[max(0, end - 8) : end].lower()
        if _ABBREVIATION.search(before):
            continue
        out.append((start, text[start:end]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


@dataclass
class Block:
    """Consecutive body lines of one paragraph (or one list item), joined by spaces, mapped back to the file."""

    text: str
    segments: list[tuple[int, int, int]]  # (offset in text, line, column of that offset)

    def position(self, offset: int) -> tuple[int, int]:
        line, col = self.segments[0][1], self.segments[0][2]
        for start, ln, c in self.segments:
            if start > offset:
                break
            line, col = ln, c + (offset - start)
        return line, col


def body_blocks(page: Page, lines: list[ProseField] | None = None) -> list[Block]:
    """Paragraphs and list items of the body (``lines``: ``body_prose(page)`` when already computed)."""
    blocks: list[Block] = []
    cur: Block | None = None
    last_par = None
    for f in lines if lines is not None else body_prose(page):
        raw = f.text
        stripped = raw.lstrip()
        lead = len(raw) - len(stripped)
        text = stripped.rstrip()
        if not text:
            continue
        if cur is None or f.paragraph != last_par:
            cur = Block("", [])
            blocks.append(cur)
        elif cur.text:
            cur.text += " "
        cur.segments.append((len(cur.text), f.line, lead + 1))
        cur.text += text
        last_par = f.paragraph
    return blocks
