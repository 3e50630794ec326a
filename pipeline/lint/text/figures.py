"""Numeric claims about structures, and whether two of them can both be true.

Two kinds of claim are read, deliberately narrow:

* *prevalence*: a share of people or of their parts with a word of presence or absence in the same sentence:
  "absent in about 10% of people", "present in 10-30% of knees", "visible on radiographs in ten to thirty percent
  of knees", "found in one in five people", "identified in two thirds of specimens", "No fabella was observed in
  60% of cadavers". The share is a percentage or range in digits or in words, a ratio ("one in five") or a
  fraction ("a third of"), and it must be of people, limbs, knees, cadavers, specimens and the like
  (``POPULATION``): a share of cases, findings or studies says nothing about how common a structure is. Absence
  is turned into presence (absent in 10% = present in 90%), so the two wordings compare.
* *count*: a number of parts after a verb of composition: "comprises three muscles", "is made up of two heads",
  "divided into three compartments".

The structure a prevalence claim is about is named in the clause that holds the presence word, before it: "The
fabella is present in ...", "In 3-5% of people a fabella is present", "A small sesamoid bone, the fabella, is
present ...". It is the most specific site subject named there (see ``pipeline.lint.text.subjects``), else the run of
anatomical nouns there ("psoas minor", "os trigonum"; adjectives such as "sesamoid" and words such as "bone" do
not name one); a clause opening with "It", "This muscle", "The muscle" is about what the previous sentence was
about, or on a page its own subject. When the clause's first noun is something else ("a cyst beside the soleus
was seen in 30% of knees"), the claim is about that, not about a structure, and is dropped. A count is about the
site subject named closest before the number, else the first run of anatomical nouns. Two prevalence claims
conflict when their ranges, widened by a tolerance (25% of the value when it is approximate, 10% otherwise, at
least 1 point), do not overlap; two count claims when the numbers differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.lint.text.subjects import QUALIFIERS, Subject, TextIndex, names
from pipeline.lint.text.tokens import STOPWORDS, WORD, sentences


class _Lazy:
    """A regular expression compiled when first used: these are long (numbers in words) and most runs need none."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)



NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "single": 1, "both": 2, "pair": 2,
}  # fmt: skip
PARTS = r"(?:muscles|muscle|heads|head|bellies|belly|tendons|tendon|compartments|compartment|bones|bone|parts|part|portions|portion|slips|slip|layers|layer|groups|group)"
_COUNT_WORDS = tuple(k for k in NUMBER_WORDS if k not in ("single", "both", "pair"))
_NUM = r"(?:\d+|" + "|".join(_COUNT_WORDS) + r")"
_COUNT = _Lazy(
    r"\b(?:comprises?|comprising|includes?|including|consists? of|consisting of|contains?|containing|made up of|"
    r"composed of|group of|divided into|formed by|has|have|with)\s+(?:(?:the|a|its)\s+)?(?P<n>" + _NUM + r")\s+"
    r"(?:(?:[a-z-]+)\s+){0,2}?(?P<what>" + PARTS + r")\b",
    re.IGNORECASE,
)
_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0, "quarters": 25.0, "fifth": 20.0, "fifths": 20.0, "tenth": 10.0, "tenths": 10.0}
# every number or fraction word (the rule's cheap gate looks for them)
NUM_WORDS = (*_UNITS, *_TEENS, *_TENS, "hundred", *_FRACTIONS)
_WORDNUM = (
    r"(?:(?:a|one)\s+hundred|(?:" + "|".join(_TENS) + r")(?:[-\s](?:" + "|".join(k for k in _UNITS if k != "zero") + r"))?|"
    + "|".join(_TEENS) + "|" + "|".join(_UNITS) + r")"
)
_NUMF = r"\d+(?:[.,]\d+)?"
_AMOUNT = r"(?:" + _NUMF + r"|" + _WORDNUM + r")"
_MOD = (
    r"(?:approximately|about|around|roughly|nearly|almost|some|circa|ca\.|up to|as many as|more than|over|at least|"
    r"less than|under|fewer than|below|above|between)\s+|~\s*"
)
_PER = r"(?:\s*%|\s*percent\b|\s*per\s+cent\b)"
_PCT = _Lazy(
    r"(?P<mod>\b" + _MOD + r")?\b(?P<lo>" + _AMOUNT + r")(?:\s*%|\s*percent|\s*per cent)?\s*(?P<sep>-|\u2013|\u2014|to|and)\s*(?P<hi>" + _AMOUNT + r")" + _PER
    + r"|(?P<mod2>\b" + _MOD + r")?(?<![\w.])(?P<one>" + _AMOUNT + r")" + _PER,
    re.IGNORECASE,
)
_RATIO = _Lazy(r"(?P<mod>\b" + _MOD + r")?\b(?P<a>" + _AMOUNT + r")\s+(?:in|out of)\s+(?:every\s+)?(?P<b>" + _AMOUNT + r")\b", re.IGNORECASE)
_FRACTION = _Lazy(r"(?P<mod>\b" + _MOD + r")?\b(?P<a>a|one|two|three|four|nine)[-\s]+(?P<f>half|thirds?|quarters?|fifths?|tenths?)\b(?=\s+of\b)", re.IGNORECASE)
# whose share it is: people or their parts (not cases, findings or studies)
POPULATION = _Lazy(
    r"\s*(?:of\s+)?(?:the\s+|all\s+|our\s+)?(?:[a-z-]+\s+){0,2}?(?P<pop>people|persons|individuals|humans|subjects|adults|"
    r"children|men|women|population|volunteers|limbs|knees|legs|arms|hands|feet|cadavers|specimens|bodies|dissections|"
    r"sides|shoulders|hips|elbows|wrists|ankles|skeletons|skulls|thighs|forearms|spines|heels|necks)\b",
    re.IGNORECASE,
)
_POPULATION_WORDS = frozenset(re.search(r"\(\?P<pop>([^)]*)\)", POPULATION.pattern).group(1).split("|"))
# cheap gate: a block without a percentage, a share in words or "<number> <parts>" has no claim
TRIGGER = _Lazy(
    r"%|\bper\s?cent\b|\b(?:in|out of)\s+(?:every\s+)?" + _AMOUNT + r"\b|\b(?:half|thirds?|quarters?|fifths?|tenths?)\s+of\b|\b"
    + _NUM + r"\s+(?:[a-z-]+\s+){0,2}?" + PARTS + r"\b",
    re.IGNORECASE,
)
_ABSENT = _Lazy(r"\b(?:absent|absence|missing|lacking|lacks?|not\s+(?:present|found|seen|observed|identified|detected|visible)|agenesis|aplasia|aplastic)\b", re.IGNORECASE)
_NONE_OF = _Lazy(r"(?:^|[,;:]\s*|\bin\s+\S+\s+of\s+\S+\s+)(?:no|neither)\s+$", re.IGNORECASE)
_PRESENT = _Lazy(
    r"\b(?:present|presence|found|occurs?|occurred|occurring|seen|observed|exists?|identified|detected|prevalence|incidence|"
    r"frequency|visible|reported|noted|documented|described|recorded|encountered|appears?|ha(?:ve|s|d)|possess(?:es)?|show)\b",
    re.IGNORECASE,
)
_HAVING = frozenset(["has", "have", "had", "possess", "possesses", "show"])
_PRONOUN_START = re.compile(r"^\s*(it|its|this muscle|the muscle|this structure|this bone|they|these)\b", re.IGNORECASE)
# nouns a clause may open with before naming its structure ('the presence of a fabella')
_LEAD_NOUNS = frozenset(["presence", "absence", "prevalence", "incidence", "frequency", "occurrence", "variant", "variants", "type", "form", "study", "studies", "series", "review", "survey"])
# words that describe before the structure is named ('a small sesamoid bone, the fabella, ...')
_DESCRIBING = frozenset(
    ["small", "large", "big", "little", "tiny", "thin", "thick", "long", "short", "flat", "round", "accessory", "additional", "extra", "supernumerary", "separate", "distinct", "single", "double", "bony", "true", "rare", "common", "first", "second", "third", "fourth", "fifth", "well", "often", "usually", "also", "only", "called", "known", "so", "normally", "typically", "generally", "variable", "vestigial", "rudimentary"]
)
# anatomical words too general to name a structure alone
_GENERIC = frozenset(
    ["bone", "bones", "muscle", "muscles", "tendon", "tendons", "ligament", "ligaments", "joint", "joints", "head", "heads", "part", "parts", "body", "side", "sides", "tissue", "tissues", "structure", "structures", "nerve", "nerves", "artery", "arteries", "vein", "veins", "cartilage", "capsule", "membrane", "sheath", "fiber", "fibers", "fibre", "fibres", "cell", "cells", "skeleton", "skull", "spine", "limb", "limbs"]
)
# Latin adjectives that follow their noun in a name ('psoas minor', 'peroneus tertius')
_POSTPOSITIVE = frozenset(["minor", "major", "minimus", "maximus", "medius", "longus", "brevis", "magnus", "tertius", "quartus", "superior", "inferior", "anterior", "posterior", "lateralis", "medialis", "profundus", "superficialis", "accessorius", "trigonum", "peroneum", "tibiale", "externum", "vesalianum"])


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


def number(text: str) -> float:
    """'3', '3.5', '3,5', 'ten', 'thirty-five', 'a hundred' -> the number."""
    t = text.strip().lower()
    if t[:1].isdigit():
        return float(t.replace(",", "."))
    if t.endswith("hundred"):
        return 100.0
    parts = re.split(r"[-\s]+", t)
    value = 0
    for p in parts:
        value += _UNITS.get(p, 0) + _TEENS.get(p, 0) + _TENS.get(p, 0)
    return float(value)


@dataclass(frozen=True)
class _Share:
    lo: float
    hi: float
    approx: bool
    start: int
    end: int  # where the population word ends
    text: str


def shares(sent: str) -> list[_Share]:
    """Shares of people (or of their parts) stated in a sentence, as percentages."""
    if _POPULATION_WORDS.isdisjoint(WORD.findall(sent.lower())):
        return []  # no share of people here (and the long patterns need not be compiled)
    out: list[_Share] = []
    for m in _PCT.finditer(sent):
        pop = POPULATION.match(sent, m.end())
        if pop is None:
            continue
        mod = (m.group("mod") or m.group("mod2") or "").strip().lower()
        if m.group("one") is not None:
            lo = hi = number(m.group("one"))
        elif m.group("sep").lower() == "and" and mod != "between":
            continue  # 'in 3% and 87% of ...': two figures, not a range
        else:
            lo, hi = sorted((number(m.group("lo")), number(m.group("hi"))))
        out.append(_bounded(lo, hi, mod, m.start(), pop.end(), m.group().strip()))
    for m in _RATIO.finditer(sent):
        pop = POPULATION.match(sent, m.end())
        b = number(m.group("b"))
        if pop is not None and b > 0 and number(m.group("a")) <= b:
            v = 100.0 * number(m.group("a")) / b
            out.append(_bounded(v, v, (m.group("mod") or "").strip().lower() or "about", m.start(), pop.end(), m.group().strip()))
    for m in _FRACTION.finditer(sent):
        pop = POPULATION.match(sent, m.end())
        if pop is not None:
            a = 1.0 if m.group("a").lower() == "a" else number(m.group("a"))
            v = min(100.0, a * _FRACTIONS[m.group("f").lower()])
            out.append(_bounded(v, v, (m.group("mod") or "").strip().lower() or "about", m.start(), pop.end(), m.group().strip()))
    return [s for s in out if s.hi <= 100]


def _bounded(lo: float, hi: float, mod: str, start: int, end: int, text: str) -> _Share:
    if mod in ("up to", "as many as", "less than", "under", "fewer than", "below"):
        lo = 0.0
    elif mod in ("more than", "over", "at least", "above"):
        hi = 100.0
    return _Share(lo, hi, bool(mod) and mod != "between", start, end, text)


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
        for share in shares(sent):
            claim = _prevalence(sent, off, share, named, own, domain, regions, prev_topic)
            if claim is not None:
                out.append(claim)
        for m in _COUNT.finditer(sent):
            structure = _structure(sent, m.start(), named, own, domain, regions, prev_topic)
            if structure is None:
                continue
            key, label = structure
            n = m.group("n").lower()
            v = float(NUMBER_WORDS.get(n, 0) or (int(n) if n.isdigit() else 0))
            what = m.group("what").lower()
            part = what[:-1] if what.endswith("s") and what not in ("bellies",) else ("belly" if what == "bellies" else what)
            out.append(Claim(f"count:{part}", key, label, v, v, False, off + m.start("n"), f"{m.group('n')} {what}"))
    return out


def _prevalence(sent: str, off: int, share: _Share, named, own, domain, regions, prev_topic) -> Claim | None:
    """The claim a share makes, about the structure its clause names before the word of presence or absence."""
    clause_start = max(sent.rfind(";", 0, share.start), 0)
    verb = None  # the word of presence or absence: the last before the share, else the first after it
    for m in _ABSENT_OR_PRESENT.finditer(sent, clause_start):
        if m.start() > share.start and verb is not None:
            break
        verb = m
        if m.start() > share.start:
            break
    if verb is None:
        return None
    having = verb.group().lower() in _HAVING
    if having and share.start > verb.start():
        return None  # 'The fabella has a cartilage cap in 20% of knees' says how often the cap is there
    absent = bool(_ABSENT.fullmatch(verb.group()))
    # the subject: the clause before the verb, less the share and its population
    lo_at, hi_at = clause_start, verb.start()
    spans = [(lo_at, min(share.start, hi_at)), (max(share.end, lo_at), hi_at)]
    structure = None
    for a, b in spans:
        if b <= a:
            continue
        structure = _subject_in(sent, a, b, named, own, domain, regions, prev_topic)
        if structure is not None:
            if structure == "other":
                return None
            if _NONE_OF.search(sent, 0, structure[2]):
                absent = not absent
            break
    if having:
        structure = None  # 'About 10% of people have a fabella': named after the verb
    if structure is None and share.start < verb.start():
        # 'About 10% of people have a third head', '14% of limbs lack a palmaris longus': named after the verb
        end = min([i for i in (sent.find(",", verb.end()), sent.find(";", verb.end())) if i >= 0] or [len(sent)])
        structure = _subject_in(sent, verb.end(), end, named, own, domain, regions, None)
        if structure == "other":
            return None
    if structure is None:
        return None
    key, label, _at = structure
    lo, hi = share.lo, share.hi
    if absent:
        lo, hi = 100.0 - hi, 100.0 - lo
    return Claim("prevalence", key, label, lo, hi, share.approx, off + share.start, share.text)


_ABSENT_OR_PRESENT = _Lazy(_ABSENT.pattern + "|" + _PRESENT.pattern, re.IGNORECASE)


def _subject_in(sent: str, a: int, b: int, named, own, domain, regions, prev_topic):
    """(key, label, offset) of the structure named in ``sent[a:b]``; 'other' when that span is about something
    that is not a structure; None when it names nothing."""
    inside = [(at, s) for at, s in named if a <= at < b and not s.is_region_page]
    if inside:
        at, s = max(inside, key=lambda x: (len(x[1].terms), -x[0], x[1].label, sorted(x[1].terms)))
        got = _key(s, sent, own, regions)
        return (*got, at) if got else None
    if _PRONOUN_START.match(sent[a:b]):
        if prev_topic is not None:
            return (*prev_topic, a)
        if own is not None:
            got = _key(own, sent, own, regions)
            return (*got, a) if got else None
    for m in WORD.finditer(sent, a, b):
        w = m.group().lower()
        if w in STOPWORDS or w in _LEAD_NOUNS or w in ("no", "neither") or _ADJECTIVE.search(w) and w not in domain:
            continue
        if w.isdigit() or w in NUM_WORDS or w in _DESCRIBING or w in _GENERIC or w == "sesamoid":
            continue
        if w in domain:
            run = _noun_run(sent[m.start() : b], b - m.start(), domain)
            if run:
                return run, " ".join(run), m.start()
            continue
        return "other"  # the clause is about a cyst, a case, a patient...
    return None


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


_ADJECTIVE = re.compile(r"(al|ar|ic|ous|eal|ial|ary|ory|ate|ive|ile)$")


def _noun_run(sent: str, end: int, domain) -> tuple[str, ...] | None:
    """The first run of anatomical nouns before ``end`` ('the fabella', 'psoas minor'); adjectives ('sesamoid' is
    one, 'deltoid' a noun) and general words ('bone') do not start one; Latin adjectives after a noun continue it."""
    run: list[str] = []
    for m in WORD.finditer(sent[:end]):
        w = m.group().lower()
        if run and w in _POSTPOSITIVE:
            run.append(w)
        elif w in domain and w not in QUALIFIERS and w not in STOPWORDS and w not in _GENERIC and not _ADJECTIVE.search(w) and w != "sesamoid":
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
