"""Numeric claims about structures, and whether two of them can both be true.

Two kinds of claim are read, deliberately narrow:

* *prevalence*: a percentage (or range) with a word of presence or absence in the same sentence: "absent in
  about 10% of people", "present in 10-30% of knees", "found in up to 8%". Absence is turned into presence
  (absent in 10% = present in 90%), so the two wordings compare.
* *count*: a number of parts after a verb of composition: "comprises three muscles", "is made up of two heads",
  "divided into three compartments".

The structure a claim is about is the site subject the sentence names closest before the number (a region
such as "the leg" only when nothing more specific is named) (see
``pipeline.lint.text.subjects``); failing that, on a page, the page's own subject when the sentence starts with "It",
"This muscle", "The muscle"... (or what the previous sentence was about); failing that, the first run of
anatomical nouns in the sentence ("the fabella"; adjectives such as "sesamoid" do not count).
Two prevalence claims conflict when their ranges, widened by a tolerance (25% of the value when it is
approximate, 10% otherwise, at least 1 point), do not overlap; two count claims when the numbers differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lint.text.subjects import QUALIFIERS, Subject, TextIndex, names
from pipeline.lint.text.tokens import STOPWORDS, WORD, sentences

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "single": 1, "both": 2, "pair": 2,
}  # fmt: skip
PARTS = r"(?:muscles|muscle|heads|head|bellies|belly|tendons|tendon|compartments|compartment|bones|bone|parts|part|portions|portion|slips|slip|layers|layer|groups|group)"
NUM_WORDS = tuple(k for k in NUMBER_WORDS if k not in ("single", "both", "pair"))  # numbers written out
_NUM = r"(?:\d+|" + "|".join(NUM_WORDS) + r")"
_COUNT = re.compile(
    r"\b(?:comprises?|comprising|includes?|including|consists? of|consisting of|contains?|containing|made up of|"
    r"composed of|group of|divided into|formed by|has|have|with)\s+(?:(?:the|a|its)\s+)?(?P<n>" + _NUM + r")\s+"
    r"(?:(?:[a-z-]+)\s+){0,2}?(?P<what>" + PARTS + r")\b",
    re.IGNORECASE,
)
_NUMF = r"\d+(?:[.,]\d+)?"
_PCT = re.compile(
    r"(?P<mod>\b(?:approximately|about|around|roughly|nearly|almost|some|circa|ca\.|up to|as many as|"
    r"more than|over|at least|less than|under|fewer than|below|above)\s+|~\s*)?"
    r"(?P<lo>" + _NUMF + r")\s*(?:%|percent|per cent)?\s*(?P<sep>-|\u2013|\u2014|to|and)\s*(?P<hi>" + _NUMF + r")\s*(?:%|percent\b|per cent\b)"
    r"|(?P<mod2>\b(?:approximately|about|around|roughly|nearly|almost|some|circa|ca\.|up to|as many as|more than|"
    r"over|at least|less than|under|fewer than|below|above)\s+|~\s*)?(?P<one>" + _NUMF + r")\s*(?:%|percent\b|per cent\b)",
    re.IGNORECASE,
)
# cheap gate: a block without a percentage or "<number> <parts>" has no claim
TRIGGER = re.compile(r"%|\bper\s?cent\b|\b" + _NUM + r"\s+(?:[a-z-]+\s+){0,2}?" + PARTS + r"\b", re.IGNORECASE)
_ABSENT = re.compile(r"\b(absent|absence|missing|lacking|lacks?|not present|agenesis|aplasia|aplastic)\b", re.IGNORECASE)
_PRESENT = re.compile(
    r"\b(present|presence|found|occurs?|occurring|seen|observed|exists?|identified|detected|prevalence|incidence|"
    r"frequency|has|have)\b",
    re.IGNORECASE,
)
_PRONOUN_START = re.compile(r"^\s*(it|its|this muscle|the muscle|this structure|this bone|they|these)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    kind: str  # 'prevalence' or 'count:<part>'
    structure: tuple[str, ...]  # key: subject terms, or anatomical words
    label: str  # readable structure
    lo: float
    hi: float
    approx: bool
    offset: int  # of the figure in the block text
    text: str  # the figure as written

    def widened(self) -> tuple[float, float]:
        if self.kind != "prevalence":
            return self.lo, self.hi
        tol_lo = max(1.0, self.lo * (0.25 if self.approx else 0.10))
        tol_hi = max(1.0, self.hi * (0.25 if self.approx else 0.10))
        return self.lo - tol_lo, self.hi + tol_hi

    def conflicts(self, other: Claim) -> bool:
        if self.kind != other.kind or self.structure != other.structure:
            return False
        if self.kind.startswith("count"):
            return self.lo != other.lo
        a0, a1 = self.widened()
        b0, b1 = other.widened()
        return a1 < b0 or b1 < a0


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def claims(text: str, subjects: list[Subject], own: Subject | None, domain, regions: frozenset[str] = frozenset()) -> list[Claim]:
    """Claims in one block of prose. ``subjects``: candidate subjects (cheaply pre-filtered by the caller)."""
    out: list[Claim] = []
    if not TRIGGER.search(text):
        return out
    topic = None  # what the previous sentence was about, for a sentence starting with "It"
    for off, sent in sentences(text):
        ti = TextIndex.of(sent)  # per sentence: 'names' windows never cross sentences
        named = []
        for s in subjects:
            at = names(ti, s)
            if at is not None:
                named.append((at, s))
        prev_topic = topic
        topic = _topic(sent, named, domain, own, regions) or (prev_topic if _PRONOUN_START.match(sent) else None)
        if not TRIGGER.search(sent):
            continue
        figs = [("pct", m) for m in _PCT.finditer(sent)] + [("count", m) for m in _COUNT.finditer(sent)]
        if not figs:
            continue
        for kind, m in figs:
            structure = _structure(sent, m.start(), named, own, domain, regions, prev_topic)
            if structure is None:
                continue
            key, label = structure
            if kind == "pct":
                mod = (m.group("mod") or m.group("mod2") or "").strip().lower()
                if m.group("one") is not None:
                    lo = hi = _num(m.group("one"))
                elif m.group("sep") == "and" and not re.search(r"\bbetween\s+$", sent[: m.start("lo")]):
                    continue  # 'in 3% and 87% of ...': two figures, not a range; too loose to compare
                else:
                    lo, hi = sorted((_num(m.group("lo")), _num(m.group("hi"))))
                if mod in ("up to", "as many as", "less than", "under", "fewer than", "below"):
                    lo = 0.0
                elif mod in ("more than", "over", "at least", "above"):
                    hi = 100.0
                if hi > 100:
                    continue
                absent = _ABSENT.search(sent)
                if not absent and not _PRESENT.search(sent):
                    continue
                if absent:
                    lo, hi = 100.0 - hi, 100.0 - lo
                approx = bool(mod) or "~" in mod
                out.append(Claim("prevalence", key, label, lo, hi, approx, off + m.start(), m.group().strip()))
            else:
                n = m.group("n").lower()
                v = float(NUMBER_WORDS.get(n, 0) or (int(n) if n.isdigit() else 0))
                what = m.group("what").lower()
                part = what[:-1] if what.endswith("s") and what not in ("bellies",) else ("belly" if what == "bellies" else what)
                out.append(Claim(f"count:{part}", key, label, v, v, False, off + m.start("n"), f"{m.group('n')} {what}"))
    return out


def _generic(s: Subject) -> bool:
    return all(t in QUALIFIERS or t in ("compartment", "group") for t in s.terms)


def _key(s: Subject, sent: str, own: Subject | None, regions: frozenset[str]):
    """A subject's key; a generic one ('posterior compartment') also needs its region: named in the sentence,
    else the page's own region."""
    if not _generic(s):
        return tuple(sorted(s.terms)), s.label
    said = [w.lower() for w in WORD.findall(sent) if w.lower() in regions]
    region = said[0] if said else (own.region if own is not None else None)
    if region is None:
        return None
    return tuple(sorted(s.terms)) + (f"@{region}",), f"{s.label} of the {region}"


_ADJECTIVE = re.compile(r"(al|ar|ic|ous|oid|eal|ial|ary|ory|ate|ive|ile)$")


def _noun_run(sent: str, end: int, domain) -> tuple[str, ...] | None:
    """The first run of anatomical nouns before ``end`` ('the fabella'); adjectives ('sesamoid') do not count."""
    run: list[str] = []
    for m in WORD.finditer(sent[:end]):
        w = m.group().lower()
        if w in domain and w not in QUALIFIERS and w not in STOPWORDS and not _ADJECTIVE.search(w):
            run.append(w)
        elif run:
            break
    return tuple(run) if run else None


def _topic(sent: str, named, domain, own, regions):
    specific = [(at, s) for at, s in named if not s.is_region_page]
    if specific:
        _at, s = min(specific, key=lambda x: (x[0], -len(x[1].terms), x[1].label, sorted(x[1].terms)))
        return _key(s, sent, own, regions)
    run = _noun_run(sent, len(sent), domain)
    return (run, " ".join(run)) if run else None


def _structure(sent: str, fig_at: int, named, own: Subject | None, domain, regions=frozenset(), prev_topic=None):
    # a region ("the leg") is the structure only when nothing more specific is named; then the most specific
    # subject named before the figure, the closest of equally specific ones
    specific = [(at, s) for at, s in named if not s.is_region_page]
    named = specific or named
    before = [(at, s) for at, s in named if at < fig_at]
    if before:
        _at, s = max(before, key=lambda x: (len(x[1].terms), x[0], x[1].label, sorted(x[1].terms)))
        return _key(s, sent, own, regions)
    if _PRONOUN_START.match(sent):
        if prev_topic is not None:
            return prev_topic
        if own is not None:
            return _key(own, sent, own, regions)
    if named:
        at, s = min(named, key=lambda x: (x[0], x[1].label, sorted(x[1].terms)))
        return _key(s, sent, own, regions)
    run = _noun_run(sent, fig_at, domain)
    if run:
        return run, " ".join(run)
    return None
