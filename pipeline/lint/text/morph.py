"""Word formation that a dictionary cannot list: how anatomical and medical words are built from known ones.

``Morphology(is_word, combining, finals, latin)`` answers ``derived(word)``: whether a lower-case word the
dictionaries lack is made, by a regular rule, from words they have. Each rule needs every part to be known, so
a typo inside a part ('osteoblst') is still unknown:

* English inflection and derivation of a known word: plural, '-ed', '-ing', '-ly'/'-ally', '-ness', '-ity',
  '-ization' ('decussates', 'inferiorly', 'skeletally');
* a prefix before a known word ('midshaft', 'interphalangeal', 'avascular', 'antiinflammatory');
* compounds of combining forms, Greek and Latin style ('acromioclavicular' = acromio + clavicular,
  'costochondritis' = costo + chondr + itis, 'tendinopathy', 'osteosarcoma'): a combining form is one of the
  dictionary's (``combining``), or the stem of a known word with the linking vowel 'o' or 'i' ('scapulo' from
  'scapula', 'talo' from 'talus'); the last part is a known word or one of the dictionary's final elements
  (``finals``: 'itis', 'cyte', 'plasty');
* Latin forms: an English adjective with a Latin ending ('clavicularis', 'centrale'), Latin adjectives and nouns
  matching English ones (-osus/-ous, -icus/-ic, -oideus/-oid, -atus/-ate, -inus/-ine, -tio/-tion, -itas/-ity,
  -entia/-ence, -ura/-ure, -ulum/-le, -mentum/-ment), '-oris' cases of '-or' nouns ('flexoris'), and the cases
  of Latin words the anatomy dictionary holds ('solea' from 'soleus', ``latin``);
* classical plurals of known words ('synchondroses', 'labra', 'apices', 'menisci').
"""

from __future__ import annotations

from collections.abc import Callable

VOWELS = frozenset("aeiouy")
# prefixes that join a whole word (the combining forms of the dictionary also do)
PREFIXES = (
    "anti", "non", "un", "re", "pre", "post", "inter", "intra", "extra", "infra", "supra", "sub", "super", "hyper",
    "hypo", "peri", "para", "retro", "trans", "mid", "semi", "multi", "micro", "macro", "mono", "bi", "tri", "uni",
    "hemi", "pseudo", "neo", "endo", "exo", "ecto", "epi", "meso", "meta", "poly", "pan", "co", "de", "dis", "mis",
    "over", "under", "cross", "counter", "ultra", "circum", "contra", "juxta", "ante", "pro", "self", "quadri",
)  # fmt: skip
_PREFIX_SET = frozenset(PREFIXES)
_PREFIX_LENGTHS = tuple(sorted({len(p) for p in PREFIXES}))
# endings an English word may have after the stem of its combining form ('scapul' + 'a', 'cost' + 'al')
_STEM_ENDINGS = ("a", "e", "us", "um", "al", "ar", "ary", "ic", "y", "on", "is", "ous", "ine", "ae", "i", "o", "es", "ate", "iform", "oid")
# English suffixes: (suffix, what replaces it) -- 'ies' -> 'y', 'ied' -> 'y', 'ally' -> 'al' ...
_SUFFIXES = (
    ("ies", ("y",)), ("es", ("",)), ("s", ("",)),
    ("ied", ("y",)), ("ed", ("", "e", "dup")), ("ing", ("", "e", "dup")),
    ("ally", ("al", "")), ("ily", ("y",)), ("ly", ("", "le")),
    ("ness", ("",)), ("ities", ("e", "", "ity")), ("ity", ("e", "")), ("ility", ("ile", "le")),
    ("izations", ("ize",)), ("isations", ("ise",)), ("ization", ("ize", "")), ("isation", ("ise", "")),
    ("izes", ("ize",)), ("ises", ("ise",)), ("ize", ("", "e")), ("ise", ("", "e")), ("ized", ("", "e")), ("ised", ("", "e")),
    ("ations", ("ate",)), ("ation", ("ate", "")), ("ment", ("",)), ("ments", ("",)),
    ("ists", ("",)), ("ist", ("",)), ("isms", ("",)), ("ism", ("",)), ("ward", ("",)), ("wards", ("",)),
)  # fmt: skip
_ADJECTIVE_ENDINGS = ("al", "ar", "ary", "ic", "ous", "ive", "oid", "ate", "eal", "ial")
_INFLECTIONS = frozenset(["ies", "es", "s", "ied", "ed", "ing", "ally", "ily", "ly"])
# Latin forms of English endings: Latin ending -> English ending ('fibrosus' <- 'fibrous')
_LATIN_OF_ENGLISH = (
    (("osus", "osa", "osum", "osi", "osae", "osorum"), "ous"),
    (("eus", "ea", "eum", "ei", "eae"), "eous"),
    (("icus", "ica", "icum", "ici", "icae", "icorum"), "ic"),
    (("oideus", "oidea", "oideum", "oidei", "oideae", "oides"), "oid"),
    (("atus", "ata", "atum", "ati", "atae", "atorum"), "ate"),
    (("inus", "ina", "inum", "ini", "inae"), "ine"),
    (("tio", "tionis", "tiones", "tionum"), "tion"),
    (("itas", "itatis", "itates"), "ity"),
    (("entia", "entiae", "antia", "antiae"), ("ence", "ance")),
    (("ura", "urae"), "ure"),
    (("ulum", "uli", "ula", "ulae", "ulus"), "le"),
    (("mentum", "menti", "menta", "mentorum"), "ment"),
    (("oris", "ores", "orum", "oribus"), "or"),
    (("is", "e", "es", "ia", "ium", "ibus"), ("al", "ar")),  # 'clavicularis', 'centrale' (checked: stem ends in al/ar)
)
# Latin cases: ending -> nominative endings of the same word (for the Latin words of the anatomy dictionary)
_LATIN_CASES = (
    ("arum", ("a",)), ("orum", ("us", "um")), ("ae", ("a",)), ("am", ("a",)), ("as", ("a",)),
    ("i", ("us", "um")), ("o", ("us", "um")), ("um", ("us",)), ("a", ("us", "um")), ("is", ("a", "us", "um", "is")),
    ("es", ("is",)), ("ium", ("is",)), ("e", ("is",)), ("ei", ("es",)),
)  # fmt: skip
# classical plurals: plural ending -> singular endings
_CLASSICAL = (("ae", ("a",)), ("i", ("us",)), ("a", ("um", "on")), ("es", ("is",)), ("ices", ("ex", "ix")), ("ata", ("a",)), ("ides", ("is",)))


class Morphology:
    def __init__(self, is_word: Callable[[str], bool], combining: frozenset[str], finals: frozenset[str], latin: frozenset[str]) -> None:
        self.is_word = is_word  # known as it is (dictionaries), lower case
        self.combining = combining
        self.finals = finals
        self.latin = latin
        self._memo: dict[tuple[str, int], bool] = {}

    def derived(self, w: str) -> bool:
        return self._derived(w, 0)

    def built(self, w: str) -> bool:
        """Derived by a rule that checks every part against a dictionary of its kind (a Latin or classical form,
        a compound of combining forms, a drug name): no typing slip of an English word makes one."""
        return len(w) >= 4 and (self.latin_form(w) or self.compound(w, 0) or drug_name(w))

    def _derived(self, w: str, depth: int) -> bool:
        key = (w, depth)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = len(w) >= 4 and (
                self.inflected(w, depth) or self.latin_form(w) or self.prefixed(w, depth) or self.compound(w, depth)
            )
        return got

    def known(self, w: str, depth: int) -> bool:
        return self.is_word(w) or (depth < 3 and self._derived(w, depth + 1))

    def inflected(self, w: str, depth: int) -> bool:
        for suffix, repl in _SUFFIXES:
            if not w.endswith(suffix) or len(w) - len(suffix) < (3 if suffix in _INFLECTIONS else 5):
                continue
            stem = w[: -len(suffix)]
            if suffix == "s" and stem[-1] in "sxz" or suffix in ("s", "es") and stem.endswith(("ss", "us", "is")):
                continue  # 'tendonss', 'boness': not a plural
            if suffix == "es" and not stem.endswith(("s", "x", "z", "ch", "sh", "o")):
                continue
            if suffix not in _INFLECTIONS and stem.endswith("s") and not stem.endswith(("ss", "us", "is")):
                continue  # a derivation takes the base form ('grafts' + 'ize' is no word)
            for r in repl:
                if r == "dup":
                    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in VOWELS and self.known(stem[:-1], depth):
                        return True
                    continue
                if self.known(stem + r, depth):
                    return True
        return False

    def prefixed(self, w: str, depth: int) -> bool:
        for n in _PREFIX_LENGTHS:
            if len(w) - n >= 4 and w[:n] in _PREFIX_SET and self.known(w[n:], depth):
                return True
        # a prefix or combining form ending in a vowel loses it before the same vowel: 'paraxial' is 'para' +
        # 'axial', 'exoccipital' 'exo' + 'occipital'
        heads, lengths = self._vowel_heads()
        for n in lengths:
            if len(w) - n >= 3 and w[:n] in heads and self.known(w[n - 1 :], depth):
                return True
        # 'a'/'an' before a consonant: a negating prefix on adjectives ('avascular', 'acellular')
        if w[0] == "a" and w[1] not in VOWELS and w.endswith(("al", "ar", "ic", "ous", "ive")) and len(w) >= 8:
            return self.is_word(w[1:])
        return False

    def _vowel_heads(self) -> tuple[frozenset[str], tuple[int, ...]]:
        """Prefixes and combining forms that end in a vowel, and their lengths."""
        got = getattr(self, "_vh", None)
        if got is None:
            heads = frozenset(p for p in (*PREFIXES, *self.combining) if len(p) >= 3 and p[-1] in VOWELS)
            got = self._vh = (heads, tuple(sorted({len(p) for p in heads})))
        return got

    def compound(self, w: str, depth: int) -> bool:
        if depth > 3:
            return False
        for i in range(3, len(w) - 2):
            head, rest = w[:i], w[i:]
            if self._head(head, rest) and (self._tail(rest, head in self.combining) or self._compound_rest(rest, depth)):
                return True
        return False

    def _compound_rest(self, rest: str, depth: int) -> bool:
        key = (rest, -1 - depth)
        got = self._memo.get(key)
        if got is None:
            got = self._memo[key] = len(rest) >= 5 and self.compound(rest, depth + 1)
        return got

    def _head(self, head: str, rest: str) -> bool:
        """``head`` can open a compound before ``rest``."""
        if head in self.combining:
            return True
        if head[-1] in "oi" and len(head) >= 4:
            return self._stem(head[:-1])
        # before a final element starting with a vowel the linking vowel elides: 'arthr' + 'itis', 'tenon' + 'itis'
        if rest[0] in VOWELS and (rest in self.finals or rest[:-1] in self.finals):
            return head + "o" in self.combining or (len(head) >= 4 and (self._stem(head) or head in self.latin))
        return False

    def _stem(self, s: str) -> bool:
        """``s`` is the stem of an anatomical word ('scapul' of 'scapula', 'cost' of 'costal')."""
        return any(s + e in self.latin for e in _STEM_ENDINGS if len(s) + len(e) >= 4)

    def _tail(self, rest: str, listed_head: bool = True) -> bool:
        """``rest`` can end a compound: a final element, an anatomical word, an English adjective, or after one of
        the dictionary's combining forms any English word ('biomechanics')."""
        if rest in self.finals or rest in self.latin:
            return True
        if len(rest) >= 4 and self.is_word(rest) and (listed_head or rest.endswith(_ADJECTIVE_ENDINGS)):
            return True
        if rest.endswith("s") and rest[:-1] in self.finals:
            return True
        return len(rest) >= 5 and self.inflected(rest, 3)

    def latin_form(self, w: str) -> bool:
        for endings, english in _LATIN_OF_ENGLISH:
            for e in endings:
                if not w.endswith(e) or len(w) - len(e) < 3:
                    continue
                stem = w[: -len(e)]
                for en in (english,) if isinstance(english, str) else english:
                    if en in ("al", "ar"):
                        if stem.endswith(("al", "ar")) and self.is_word(stem):
                            return True
                    elif self.is_word(stem + en):
                        return True
        for e, noms in _LATIN_CASES:
            if w.endswith(e) and len(w) - len(e) >= 3:
                stem = w[: -len(e)]
                if any(stem + n in self.latin for n in noms):
                    return True
        for e, sing in _CLASSICAL:
            if w.endswith(e) and len(w) - len(e) >= 3:
                stem = w[: -len(e)]
                if any(self.is_word(stem + s) for s in sing):
                    return True
        return False


# WHO International Nonproprietary Name stems: a word ending in one is a drug name ('rofecoxib', 'ketoprofen')
INN_STEMS = (
    "coxib", "profen", "fenac", "oxicam", "icam", "adol", "oxacin", "floxacin", "cycline", "cillin", "mycin", "micin",
    "sporin", "azole", "conazole", "prazole", "tidine", "olol", "pril", "sartan", "statin", "dronate", "parin",
    "oquine", "olone", "sone", "asone", "olide", "caine", "triptan", "afil", "vir", "mab", "tinib", "ximab",
    "zumab", "umab", "semide", "thiazide", "dipine", "pam", "azepam", "barbital", "tropin", "relin", "glitazone",
    "gliptin", "flozin", "lukast", "setron", "dazole", "ridone", "peridol", "xetine", "triptyline", "pramine",
)  # fmt: skip


def drug_name(w: str) -> bool:
    return any(w.endswith(stem) and len(w) - len(stem) >= 3 for stem in INN_STEMS)
