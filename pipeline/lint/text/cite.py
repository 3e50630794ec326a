"""DOIs and citation fields that can be checked without the network.

A DOI is ``10.<registrant>/<suffix>``; Crossref's recommended pattern ``^10.\\d{4,9}/[-._;()/:A-Z0-9]+$`` (case
insensitive) matches 74.4M of 74.9M registered DOIs; early Wiley DOIs (``10.1002/...``) may hold other visible
characters. Trailing sentence punctuation after a DOI is not part of it and is trimmed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

CROSSREF = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
# early Wiley DOIs (SICI style: '10.1002/(SICI)1097-4636(199706)35:4<419::AID-JBM1>3.0.CO;2-A') hold '<', '>', '#'
WILEY = re.compile(r"^10\.1002/(?=\S*(?:\(SICI\)|[<>#]))\S+$", re.IGNORECASE)

# where a DOI is announced: 'doi:' / 'DOI ' / doi.org URLs; the value runs to the next blank
_MARKED = re.compile(
    r"(?P<mark>\b(?:https?://)?(?:dx\.)?doi\.org/|\bdoi\s*:\s*|\bDOI\s+(?=\S*\d))(?P<doi>[^\s<>\"'\]]*)",
    re.IGNORECASE,
)
# a bare DOI in running text
_BARE = re.compile(r"(?<![\w/.])(?P<doi>10\.\d+/[^\s<>\"'\]]+)")
_PMID = re.compile(r"\bPMID\s*:?\s*(?P<v>[^\s,;.)\]]+(?:\.[^\s,;)\]]+)?)", re.IGNORECASE)
_PMCID = re.compile(r"\bPMCID\s*:?\s*(?P<v>[^\s,;.)\]]+)", re.IGNORECASE)
# a year: '(2019)' -- but not an issue number after its volume ('**386** (9991)', '291(2030)') -- or '2019;12(3)'
_YEAR = re.compile(r"(?:(?<![\d*])(?<!\d\s)(?<!\*\s)\((?P<p>\d{3,5})[a-z]?\)|(?<![\d./:-])(?P<v>\d{4,5})(?=;\s*\d|\s*;\s*\d))")

TRAIL = ".,;:"


@dataclass(frozen=True)
class CiteIssue:
    offset: int
    message: str


def trim_doi(value: str) -> str:
    """Drop sentence punctuation and an unmatched closing bracket after a DOI."""
    v = value
    while v and (v[-1] in TRAIL or (v[-1] == ")" and v.count(")") > v.count("(")) or (v[-1] == "]" and v.count("]") > v.count("["))):
        v = v[:-1]
    return v


def doi_problem(doi: str) -> str | None:
    """Why ``doi`` is not a DOI, or None."""
    if CROSSREF.match(doi) or WILEY.match(doi):
        return None
    if not doi:
        return "DOI is empty"
    if re.match(r"^\d{4,9}/\S+$", doi):
        return f"DOI '{doi}' lacks the '10.' directory indicator (expected 10.{doi})"
    if re.match(r"^10\.\d{4,9}/?$", doi):
        return f"DOI '{doi}' has no suffix after the registrant code"
    if not doi.startswith("10."):
        return f"DOI '{doi}' does not start with '10.'"
    if not re.match(r"^10\.\d{4,9}/", doi):
        return f"DOI '{doi}' needs a registrant code of 4 to 9 digits after '10.' and then '/'"
    bad = sorted({c for c in doi.split("/", 1)[1] if not re.match(r"[-._;()/:A-Za-z0-9]", c)})
    return f"DOI '{doi}' has characters outside the DOI syntax: {' '.join(repr(c) for c in bad)}"


def doi_issues(text: str) -> list[CiteIssue]:
    out: list[CiteIssue] = []
    taken: list[tuple[int, int]] = []
    for m in _MARKED.finditer(text):
        raw = m.group("doi")
        doi = trim_doi(raw)
        taken.append((m.start(), m.end()))
        p = doi_problem(doi)
        if p:
            out.append(CiteIssue(m.start("doi"), p))
    for m in _BARE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        doi = trim_doi(m.group("doi"))
        p = doi_problem(doi)
        if p:
            out.append(CiteIssue(m.start("doi"), p))
    return out


_PUBMED_URL = re.compile(r"(?:https?://)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/\d{1,9}/?", re.IGNORECASE)


def field_issues(text: str, *, this_year: int | None = None, brackets: bool = True) -> list[CiteIssue]:
    """PMID/PMCID that are not numbers, years out of range, unbalanced brackets (in a citation line; the
    caller checks brackets over a whole reference with ``brackets=False``). A PubMed address is a PMID."""
    year_now = this_year or datetime.date.today().year
    out: list[CiteIssue] = []
    for m in _PMID.finditer(text):
        v = m.group("v")
        if _PUBMED_URL.match(text, m.start("v")):
            continue
        if not re.fullmatch(r"\d{1,9}", v):
            out.append(CiteIssue(m.start("v"), f"PMID '{v}' is not a number (a PubMed ID has 1 to 9 digits)"))
    for m in _PMCID.finditer(text):
        v = m.group("v")
        if not re.fullmatch(r"PMC\d{1,9}", v, re.IGNORECASE):
            out.append(CiteIssue(m.start("v"), f"PMCID '{v}' is not 'PMC' followed by digits"))
    masked = mask_links(text)
    for m in _YEAR.finditer(masked):
        v = m.group("p") or m.group("v")
        start = m.start("p") if m.group("p") else m.start("v")
        y = int(v)
        if m.group("p") and len(v) == 3:
            continue  # '(123)' is more often an issue number than a year
        if not 1600 <= y <= year_now + 1:
            out.append(CiteIssue(start, f"year {v} is out of range (1600 to {year_now + 1})"))
    if brackets:
        out.extend(bracket_issues(masked))
    return out


def reference_bracket_issues(lines: list[str]) -> list[tuple[int, CiteIssue]]:
    """Unbalanced brackets of one reference written over several lines: (index of the line, issue)."""
    joined = " ".join(lines)
    starts = []
    at = 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    out = []
    for issue in bracket_issues(mask_links(joined)):
        k = max(i for i, st in enumerate(starts) if st <= issue.offset)
        out.append((k, CiteIssue(issue.offset - starts[k], issue.message)))
    return out


def label_without_doi(text: str) -> bool:
    """The text ends with a DOI label and no DOI: 'doi:' (the DOI is on the next line)."""
    return _LABEL_AT_END.search(text) is not None


_LABEL_AT_END = re.compile(r"\b(?:doi|DOI)\s*:?\s*$")


def mask_links(text: str) -> str:
    """Blank DOIs and URLs (their brackets and digits are not citation fields)."""

    def blank(m: re.Match) -> str:
        return " " * len(m.group())

    def blank_doi(m: re.Match) -> str:
        keep = len(trim_doi(m.group("doi")))
        head = m.start("doi") - m.start()
        return " " * (head + keep) + m.group()[head + keep :]

    text = _URL.sub(blank, text)
    text = _MARKED.sub(blank_doi, text)
    return _BARE.sub(blank_doi, text)


_URL = re.compile(r"\b(?:https?|ftp)://[^\s()\[\]<>]+(?:\([^\s()]*\)[^\s()\[\]<>]*)*")


_PAIRS = {")": "(", "]": "["}


def bracket_issues(text: str) -> list[CiteIssue]:
    stack: list[tuple[str, int]] = []
    out: list[CiteIssue] = []
    for i, c in enumerate(text):
        if c in "([":
            stack.append((c, i))
        elif c in ")]":
            if stack and stack[-1][0] == _PAIRS[c]:
                stack.pop()
            else:
                out.append(CiteIssue(i, f"unbalanced '{c}' in the citation: no matching '{_PAIRS[c]}'"))
    for c, i in stack:
        out.append(CiteIssue(i, f"unbalanced '{c}' in the citation: not closed"))
    return out


_CITATION = re.compile(r"\bdoi\b|\b10\.\d{4,9}/|\bPMID\b|\bPMCID\b|\bet al\b", re.IGNORECASE)
REFERENCES_HEADING = re.compile(
    r"^\s{0,3}#{1,6}\s*(references?|bibliography|literature|sources|further reading|citations?|works cited)\b", re.IGNORECASE
)
HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


def looks_like_citation(line: str) -> bool:
    # plain searches in the lowered line first: a match needs one of these (U+0130 and U+0131, the letters that
    # match 'i' in any case but do not lower to a lone 'i', send the line to the pattern)
    low = line.lower()
    if not ("doi" in low or "10." in line or "pmid" in low or "pmcid" in low or "et al" in low or (not line.isascii() and ("\u0131" in line or "\u0130" in line))):
        return False
    return bool(_CITATION.search(line))
