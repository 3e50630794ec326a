"""TXT004: a malformed reference: a DOI outside the DOI syntax, or a citation field that cannot be right.

DOIs are found after ``doi:``/``DOI``, in ``doi.org/`` URLs and bare (``10.xxxx/...``) in the body and in every
front matter string, on pages and on plain Markdown/text articles. A DOI must match Crossref's pattern
``10.NNNN/suffix`` (``^10.\\d{4,9}/[-._;()/:A-Z0-9]+$``, case-insensitive; old Wiley ``10.1002/`` DOIs may hold any
visible character). Sentence punctuation and an unmatched closing bracket after a DOI are trimmed, not reported.
The message says what is wrong: "doi:7759/cureus.2736" lacks the "10." prefix, "10.1000/" has no suffix...

In citation lines (lines with a DOI, PMID or "et al", and every line under a References/Bibliography heading)
also: a PMID that is not 1 to 9 digits, a PMCID that is not "PMC" and digits, a year out of range (before 1600 or
after next year: "(2109)", "2109;12(3)"; an issue after its volume, "**386** (9991)" or "291(2030)", is no year),
and brackets that do not balance over the whole reference, however it is wrapped (URLs and DOIs, whose brackets
are their own, are left out). A "doi:" label at a line's end takes its DOI from the next line; a PubMed address
is a PMID. Nothing is looked up online: resolving DOIs is a scheduled job, not a lint.
"""

from __future__ import annotations

import re

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at
from pipeline.lint.text.cite import (
    HEADING,
    REFERENCES_HEADING,
    CiteIssue,
    doi_issues,
    doi_problem,
    field_issues,
    label_without_doi,
    looks_like_citation,
    reference_bracket_issues,
    trim_doi,
)
from pipeline.lint.text.site import text_pages, without_gc
from pipeline.lint.text.tokens import FENCE, locate_value

CODE = "TXT004"
SUMMARY = "malformed DOI or citation field"
SEVERITY = Severity.WARNING
NEEDS_FILES = False

PASSING = """\
# page: raw/pages/leg-lateral.md
body: ## References
body: 1. Moreau L, Dahl K. Eversion strength after an ankle sprain. J Foot Stud. 2015;4(2):11-19. doi:10.5555/jfs.2015.0411
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
body: ## References
body: 1. Moreau L, Dahl K. Eversion strength after an ankle sprain. J Foot Stud. 2105;4(2):11-19. doi:5555/jfs.2015.0411
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


# A page can have a finding only if it holds, in any letter case, 'doi', 'pmid' or 'pmcid', 'et al' (any blanks
# between), '10.' and a digit, a '#' (a References heading), or a backslash (an escape in a quoted YAML value may
# spell any of these). Tested on the UTF-8 bytes lowered in ASCII: a few plain searches instead of a regular
# expression with many branches, which would be slower than the check itself. The four non-ASCII letters that
# match an ASCII letter regardless of case (U+0130, U+0131, U+017F, U+212A) and the non-ASCII blanks are
# accounted for; \d in a pattern also matches non-ASCII digits, so any non-ASCII byte after '10.' counts.
_ASCII = bytes(range(128))
_CASE_TWINS = ("\u0130".encode(), "\u0131".encode(), "\u017f".encode(), "\u212a".encode())
_BLANK = b"(?:[\\s\x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
_ET_AL = re.compile(b"et" + _BLANK + b"+al")
_TEN_DOT_DIGIT = re.compile(rb"10\.[0-9\x80-\xff]")


def _may_cite(text: str) -> bool:
    raw = text.encode("utf-8", "surrogatepass")
    if not raw.isascii():
        rest = raw.translate(None, _ASCII)  # the few non-ASCII bytes, searched instead of the whole text
        if any(t in rest for t in _CASE_TWINS):
            return True
    low = raw.lower()
    return (
        b"#" in low
        or b"\\" in low
        or b"doi" in low
        or (b"pm" in low and (b"pmid" in low or b"pmcid" in low))
        or _TEN_DOT_DIGIT.search(low) is not None
        or _ET_AL.search(low) is not None
    )


@without_gc
def check(ctx: Context):
    for page in text_pages(ctx):
        if not _may_cite(page.text):
            continue
        fm_text = "\n".join(page.lines[: page.fm.end_line]).lower() if page.fm.present else ""
        if not page.is_article and ("10." in fm_text or "doi" in fm_text or "pmid" in fm_text):
            for path, value in _strings(page.data):
                if "10." not in value and "doi" not in value.lower() and "pmid" not in value.lower():
                    continue
                issues = doi_issues(value)
                if looks_like_citation(value):
                    issues += field_issues(value)
                if not issues:
                    continue
                f = locate_value(page, path, value, "")
                for issue in sorted(issues, key=lambda i: i.offset):
                    col = f.column + issue.offset if f.single_line else f.column
                    yield at(page, f.line, col, issue.message, fix=_fix(page, f.line, col))
        yield from _body(page)


def _body(page):
    """Findings of the body: DOIs on every line (a 'doi:' label at a line's end takes its DOI from the next line),
    citation fields on citation lines, and brackets over each whole reference (a paragraph or list item of
    citation lines, however it is wrapped)."""
    lines = page.lines
    first = page.fm.body_line if page.fm.present else 1
    in_fence = in_refs = False
    ref: list[int] = []  # line indexes of the reference being read
    for idx in range(first - 1, len(lines)):
        raw = lines[idx]
        if FENCE.match(raw):
            in_fence = not in_fence
            yield from _brackets(page, ref)
            ref = []
            continue
        if in_fence or len(raw) > 20_000:
            continue
        if HEADING.match(raw):
            in_refs = bool(REFERENCES_HEADING.match(raw))
            yield from _brackets(page, ref)
            ref = []
            continue
        low = raw.lower()
        issues = doi_issues(raw) if ("10." in raw or "doi" in low) else []
        if issues and label_without_doi(raw):
            issues = [i for i in issues if i.message != EMPTY] + _doi_on_next_line(lines, idx)
        citing = bool(raw.strip()) and (in_refs or looks_like_citation(raw))
        if citing:
            issues += field_issues(raw, brackets=False)
        if not raw.strip() or _LIST_ITEM.match(raw) or not citing:
            yield from _brackets(page, ref)
            ref = []
        if citing:
            ref.append(idx)
        for issue in sorted(issues, key=lambda i: i.offset):
            line, col = (idx + 1, issue.offset + 1) if issue.offset >= 0 else (idx + 2, -issue.offset)
            yield at(page, line, col, issue.message, fix=_fix(page, line, col))
    yield from _brackets(page, ref)


def _fix(page, line: int, column: int):
    """A DOI without its '10.' gets it (``pipeline.lint.fix.texts``); other findings have no fix."""
    from pipeline.lint.fix.texts import doi_fix

    return doi_fix(page, line, column)


EMPTY = "DOI is empty"
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\[\d+\])\s")


def _doi_on_next_line(lines: list[str], idx: int):
    """The problem of the DOI that starts the next non-blank line, as an issue placed on that line (a negative
    offset: column on the next line), or nothing when it is a DOI."""
    if idx + 1 >= len(lines) or not lines[idx + 1].strip():
        return [CiteIssue(len(lines[idx].rstrip()), EMPTY)]
    nxt = lines[idx + 1]
    token = nxt.split()[0]
    problem = doi_problem(trim_doi(token))
    return [CiteIssue(-(len(nxt) - len(nxt.lstrip()) + 1), problem)] if problem else []


def _brackets(page, ref: list[int]):
    if ref:
        for k, issue in reference_bracket_issues([page.lines[i] for i in ref]):
            yield at(page, ref[k] + 1, issue.offset + 1, issue.message)
