"""What a page is about (its *subject*), and where a text names a subject.

A page's subject is the words of its title that tell it apart: "The lateral head of the gastrocnemius muscle of
the leg" -> lateral, head, gastrocnemius. Dropped: stopwords, "muscle(s)", and the region the permalink puts the
page in ("of the leg" on /muscle/leg/...). "compartment" (and "group") stay, as a *class* term that "muscles"
and "group" also satisfy: "the deep gluteal muscles" names the deep compartment, "the lateral head" does not name
the lateral compartment. Next to a name the class word is optional ("the gemelli compartment" is the gemelli).
Without a title the subject comes from the permalink's last segment, split into words.

A text *names* a subject when every subject term occurs within one sentence, inside a window of at most
``len(terms) + 4`` words ("the deep compartment of the posterior leg" names deep, posterior, compartment; "the
lateral head ... It combines with the medial head" names the lateral head, not the medial one, because
"gastrocnemius" is not near "medial head" in the same sentence). Plural forms, adjacent words written as one
("rectusfemoris") and a few synonyms (fibularis/peroneus) count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import add

from pipeline.content.model import Page, normalize_permalink
from pipeline.lint.text.tokens import STOPWORDS, WORD, sentences

GAP = 4  # extra words allowed inside a window that names a subject
CLASS_FORMS = {
    "compartment": ("compartment", "compartments", "muscles", "group", "groups"),
    "group": ("group", "groups", "muscles", "compartment", "compartments"),
}
SYNONYMS = {
    "fibularis": ("peroneus",),
    "peroneus": ("fibularis",),
    "fibular": ("peroneal",),
    "peroneal": ("fibular",),
    "calcaneal": ("achilles",),
}
# Words that only qualify a class ("lateral compartment", "deep muscles"): with nothing but these, the class word
# is required; next to a name ("gastrocnemius compartment", "gemelli group") the class word is optional.
QUALIFIERS = frozenset(
    ["lateral", "medial", "anterior", "posterior", "deep", "superficial", "superior", "inferior", "intermediate", "middle", "long", "short", "upper", "lower", "internal", "external", "anterolateral", "posterolateral", "anteromedial", "posteromedial", "dorsal", "ventral", "palmar", "plantar", "proximal", "distal", "extrinsic", "intrinsic", "minor", "major", "central", "radial", "ulnar", "transverse", "oblique", "vertical", "longitudinal"]
)
DROP = frozenset({"muscle", "muscles", "musculus", "musculi", "m", "mm", "images", "image", "description"})


class Subject:
    """What a page is about: its terms, the surface forms accepted for each, and a readable label."""

    __slots__ = ("_key", "_label", "_title", "_words", "forms", "is_region_page", "region", "terms")

    def __init__(self, terms, forms, label=None, region=None, is_region_page=False, *, title=None, words=()) -> None:
        self.terms: tuple[str, ...] = terms  # as in the title, in order ('lateral', 'head', 'gastrocnemius'); optional class words left out
        self.forms: tuple[frozenset[str], ...] = forms  # accepted surface forms of each term
        self.region: str | None = region
        self.is_region_page = is_region_page
        self._label = label  # or made when first read (only messages read it), from the title or else the words
        self._title = title
        self._words = words
        self._key: frozenset[str] | None = None

    @property
    def label(self) -> str:
        """Readable: 'lateral head of the gastrocnemius'."""
        if self._label is None:
            self._label = (_label(self._title, self.region) if self._title else "") or " ".join(self._words)
        return self._label

    @property
    def key(self) -> frozenset[str]:
        if self._key is None:
            self._key = frozenset(self.terms)
        return self._key

    def all_forms(self) -> frozenset[str]:
        out: set[str] = set()
        for f in self.forms:
            out |= f
        return frozenset(out)

    def __repr__(self) -> str:
        return f"Subject(terms={self.terms!r}, label={self.label!r}, region={self.region!r}, is_region_page={self.is_region_page!r})"


_FORMS: dict[str, frozenset[str]] = {}


def forms_of(term: str) -> frozenset[str]:
    got = _FORMS.get(term)
    if got is None:
        got = _FORMS[term] = _forms_of(term)
    return got


def _forms_of(term: str) -> frozenset[str]:
    if term in CLASS_FORMS:
        return frozenset(CLASS_FORMS[term])
    out = {term, term + "s", term + "es"}
    if term.endswith("us"):
        out.add(term[:-2] + "i")  # gemellus -> gemelli
    if term.endswith("i"):
        out.add(term[:-1] + "us")
    if term.endswith("s") and len(term) > 4:
        out.add(term[:-1])
    for s in SYNONYMS.get(term, ()):
        out |= {s, s + "s"}
    return frozenset(out)


def permalink_parts(page: Page) -> list[str]:
    pl = page.permalink
    if not pl:
        return []
    return [s for s in normalize_permalink(pl).split("/") if s]


def subject_of(page: Page, segment=None, permalink: str | None = None) -> Subject | None:
    """The page's subject, or None (articles, pages without a title or permalink). ``permalink``: the page's
    permalink normalized, when already known."""
    if page.is_article:
        return None
    parts = [s for s in permalink.split("/") if s] if permalink else permalink_parts(page)
    region = parts[-2] if len(parts) >= 3 else None
    is_region_page = len(parts) == 2
    title = page.title
    words: list[str] = []
    from_title = None  # the title, when the words come from it (the label is then made from it)
    if title:
        raw = WORD.findall(title.lower()) if title.isascii() else [w.lower() for w in WORD.findall(title)]
        # drop "... of the <region>" at the end
        if region and len(raw) >= 2 and raw[-1] == region and raw[-2] in ("of", "the"):
            raw = raw[:-1]
            while raw and raw[-1] in ("of", "the"):
                raw = raw[:-1]
        words = [w for w in raw if w not in STOPWORDS and w not in DROP]
        from_title = title
    if not words and parts and segment is not None:
        words = [w for w in segment(parts[-1]) if w not in STOPWORDS and w not in DROP]
        from_title = None
    if not words:
        return None
    # a region page ('Muscles of the Leg') is about its region
    named = [w for w in words if w not in CLASS_FORMS and w not in QUALIFIERS]
    required = [w for w in words if not (named and w in CLASS_FORMS)] or words
    return Subject(tuple(required), tuple(map(forms_of, required)), None, region, is_region_page, title=from_title, words=tuple(words))


_LEAD = re.compile(r"^(the|muscles of the|muscles of)\s+", re.IGNORECASE)
_MUSCLE_END = re.compile(r"\s+muscle$", re.IGNORECASE)
_REGION_END: dict[str, re.Pattern] = {}


def _label(title: str, region: str | None) -> str:
    t = title.strip().rstrip(".")
    t = _LEAD.sub("", t)
    if region:
        pat = _REGION_END.get(region)
        if pat is None:
            pat = _REGION_END[region] = re.compile(rf"\s+(muscle\s+)?of the {re.escape(region)}$", re.IGNORECASE)
        t = pat.sub("", t)
    return _MUSCLE_END.sub("", t)


class Sentence:
    """One sentence of a text: its lower-case words, and their neighbouring pairs written as one."""

    __slots__ = ("_bigrams", "_found", "_starts", "_text", "offset", "tokens")

    def __init__(self, offset: int, tokens: list[str], text: str) -> None:
        self.offset = offset
        self.tokens = tokens  # lower case
        self._bigrams: list[str] | None = None
        self._text = text
        self._starts: list[int] = []
        self._found = None

    @property
    def bigrams(self) -> list[str]:
        """tokens[i] + tokens[i + 1] for each i (made when first needed)."""
        if self._bigrams is None:
            self._bigrams = list(map(add, self.tokens, self.tokens[1:]))
        return self._bigrams

    def start(self, i: int) -> int:
        """Offset of token ``i`` in the text (offsets are found when first needed, as far as needed)."""
        starts = self._starts
        if i >= len(starts):
            if self._found is None:
                self._found = WORD.finditer(self._text)
            off = self.offset
            for m in self._found:
                starts.append(off + m.start())
                if len(starts) > i:
                    break
        return starts[i]

    @property
    def starts(self) -> list[int]:
        """Offset of each token in the text."""
        if self.tokens:
            self.start(len(self.tokens) - 1)
        return self._starts


@dataclass
class TextIndex:
    """A text split into sentences of lower-case words, for naming tests."""

    text: str
    sentences: list[Sentence] = field(default_factory=list)
    vocab: set[str] = field(default_factory=set)
    # all the words of an ASCII text (after '\u2019' -> "'"), lowered, "'s" kept: WORD's matches in the lowered
    # text (other checks reuse them); None for other text
    words: list[str] | None = None

    @classmethod
    def of(cls, text: str, *, vocab: bool = True) -> TextIndex:
        """``vocab=False``: leave ``vocab`` empty (``names`` does not need it; ``could_name`` does)."""
        ti = cls(text)
        keep = vocab
        vocab = ti.vocab
        # Words are lower-cased with '\u2019' as "'" and "'s" dropped. For ASCII text (after that one-for-one
        # replacement) the whole text is lowered once: its words are the lowered words, at the same offsets.
        src = text.replace("\u2019", "'") if "\u2019" in text else text
        low = src.lower() if src.isascii() else None
        possessive = "'" in src
        parts = sentences(text)
        if low is not None:
            ti.words = [] if len(parts) > 1 else None
        for off, s in parts:
            if low is not None:
                toks = WORD.findall(low, off, off + len(s))
                if ti.words is None:
                    ti.words = toks
                else:
                    ti.words += toks
                if possessive:
                    toks = [t.removesuffix("'s") for t in toks]
            else:
                toks = [m.group().lower().replace("\u2019", "'").removesuffix("'s") for m in WORD.finditer(s)]
            sent = Sentence(off, toks, s)
            ti.sentences.append(sent)
            if keep:
                vocab.update(toks)
                vocab.update(sent.bigrams)
        if low is not None and ti.words is None:
            ti.words = []  # no sentence: an empty text
        return ti


def could_name(ti: TextIndex, subj: Subject) -> bool:
    """Cheap test: every term has a form somewhere in the text."""
    return all(not f.isdisjoint(ti.vocab) for f in subj.forms)


def names(ti: TextIndex, subj: Subject) -> int | None:
    """Offset in the text where ``subj`` is named (its tightest window), or None."""
    if ti.vocab and not could_name(ti, subj):  # (a shortcut: without it no sentence has a window either)
        return None
    best: tuple[int, int] | None = None  # (span, offset)
    limit = len(subj.forms) + GAP
    for s in ti.sentences:
        pos: list[list[int]] = []
        for forms in subj.forms:
            # positions of the term's forms, then of pairs written as one, ascending (found with C loops: the
            # forms present, then where each is)
            p = _positions(s.tokens, forms)
            if not forms.isdisjoint(s.bigrams):
                p += _positions(s.bigrams, forms)
            if not p:
                break
            pos.append(p)
        else:
            anchor = min(pos, key=len)
            for a in anchor:
                lo = hi = a
                for p in pos:
                    near = min(p, key=lambda i: abs(i - a))
                    lo, hi = min(lo, near), max(hi, near)
                span = hi - lo + 1
                if span <= limit and (best is None or (span, s.start(lo)) < best):
                    best = (span, s.start(lo))
    return best[1] if best else None


def _positions(seq: list[str], forms: frozenset[str]) -> list[int]:
    """``[i for i, t in enumerate(seq) if t in forms]``."""
    found = forms.intersection(seq)
    if not found:
        return []
    out = []
    for f in found:
        i = -1
        for _ in range(seq.count(f)):
            i = seq.index(f, i + 1)
            out.append(i)
    if len(found) > 1:
        out.sort()
    return out


def best_partial(ti: TextIndex, subj: Subject) -> int:
    """How many of the subject's terms one window of one sentence names (0 .. len(terms))."""
    best = 0
    limit = len(subj.forms) + GAP
    for s in ti.sentences:
        hits: list[tuple[int, int]] = []  # (token index, term index)
        for k, forms in enumerate(subj.forms):
            if not forms.isdisjoint(s.tokens):
                hits += [(i, k) for i, t in enumerate(s.tokens) if t in forms]
        hits.sort()
        for j, (i, _k) in enumerate(hits):
            seen = {kk for ii, kk in hits[j:] if ii - i < limit}
            best = max(best, len(seen))
    return best
