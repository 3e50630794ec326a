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

from pipeline.model import Page, normalize_permalink
from pipeline.text.tokens import STOPWORDS, WORD, sentences

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


@dataclass
class Subject:
    terms: tuple[str, ...]  # as in the title, in order ('lateral', 'head', 'gastrocnemius'); optional class words left out
    forms: tuple[frozenset[str], ...]  # accepted surface forms of each term
    label: str  # readable: 'lateral head of the gastrocnemius'
    region: str | None = None
    is_region_page: bool = False

    @property
    def key(self) -> frozenset[str]:
        return frozenset(self.terms)

    def all_forms(self) -> frozenset[str]:
        out: set[str] = set()
        for f in self.forms:
            out |= f
        return frozenset(out)


def forms_of(term: str) -> frozenset[str]:
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


def subject_of(page: Page, segment=None) -> Subject | None:
    """The page's subject, or None (articles, pages without a title or permalink)."""
    if page.is_article:
        return None
    parts = permalink_parts(page)
    region = parts[-2] if len(parts) >= 3 else None
    is_region_page = len(parts) == 2
    title = page.title
    words: list[str] = []
    label = ""
    if title:
        raw = [w.lower() for w in WORD.findall(title)]
        # drop "... of the <region>" at the end
        if region and len(raw) >= 2 and raw[-1] == region and raw[-2] in ("of", "the"):
            raw = raw[:-1]
            while raw and raw[-1] in ("of", "the"):
                raw = raw[:-1]
        words = [w for w in raw if w not in STOPWORDS and w not in DROP]
        label = _label(title, region)
    if not words and parts and segment is not None:
        words = [w for w in segment(parts[-1]) if w not in STOPWORDS and w not in DROP]
        label = " ".join(words)
    if not words:
        return None
    # a region page ('Muscles of the Leg') is about its region
    named = [w for w in words if w not in CLASS_FORMS and w not in QUALIFIERS]
    required = [w for w in words if not (named and w in CLASS_FORMS)] or words
    return Subject(tuple(required), tuple(forms_of(w) for w in required), label or " ".join(words), region, is_region_page)


def _label(title: str, region: str | None) -> str:
    t = title.strip().rstrip(".")
    t = re.sub(r"^(the|muscles of the|muscles of)\s+", "", t, flags=re.IGNORECASE)
    if region:
        t = re.sub(rf"\s+(muscle\s+)?of the {re.escape(region)}$", "", t, flags=re.IGNORECASE)
    t = re.sub(r"\s+muscle$", "", t, flags=re.IGNORECASE)
    return t


@dataclass
class Sentence:
    offset: int
    tokens: list[str]  # lower case
    starts: list[int]  # offset of each token in the text


@dataclass
class TextIndex:
    """A text split into sentences of lower-case words, for naming tests."""

    text: str
    sentences: list[Sentence] = field(default_factory=list)
    vocab: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> TextIndex:
        ti = cls(text)
        for off, s in sentences(text):
            toks, starts = [], []
            for m in WORD.finditer(s):
                toks.append(m.group().lower().replace("\u2019", "'").removesuffix("'s"))
                starts.append(off + m.start())
            ti.sentences.append(Sentence(off, toks, starts))
            ti.vocab.update(toks)
            ti.vocab.update(a + b for a, b in zip(toks, toks[1:]))
        return ti


def could_name(ti: TextIndex, subj: Subject) -> bool:
    """Cheap test: every term has a form somewhere in the text."""
    return all(not f.isdisjoint(ti.vocab) for f in subj.forms)


def names(ti: TextIndex, subj: Subject) -> int | None:
    """Offset in the text where ``subj`` is named (its tightest window), or None."""
    if not could_name(ti, subj):
        return None
    best: tuple[int, int] | None = None  # (span, offset)
    limit = len(subj.forms) + GAP
    for s in ti.sentences:
        pos: list[list[int]] = []
        for forms in subj.forms:
            p = [i for i, t in enumerate(s.tokens) if t in forms]
            p += [i for i in range(len(s.tokens) - 1) if s.tokens[i] + s.tokens[i + 1] in forms]
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
                if span <= limit and (best is None or (span, s.starts[lo]) < best):
                    best = (span, s.starts[lo])
    return best[1] if best else None


def best_partial(ti: TextIndex, subj: Subject) -> int:
    """How many of the subject's terms one window of one sentence names (0 .. len(terms))."""
    best = 0
    limit = len(subj.forms) + GAP
    for s in ti.sentences:
        hits: list[tuple[int, int]] = []  # (token index, term index)
        for k, forms in enumerate(subj.forms):
            hits += [(i, k) for i, t in enumerate(s.tokens) if t in forms]
        hits.sort()
        for j, (i, _k) in enumerate(hits):
            seen = {kk for ii, kk in hits[j:] if ii - i < limit}
            best = max(best, len(seen))
    return best
