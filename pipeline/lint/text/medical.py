"""The project's anatomical and medical dictionary: ``data/medical.dic`` with its affix rules ``data/medical.aff``,
in Hunspell format, and the word forms the Hunspell engine makes of it.

The Hunspell engine is ``spylls`` (a port of Hunspell to Python). Importing it and parsing the dictionary costs
about a tenth of a second, more than the whole lint of a small site may take, so the forms are made once, when
the dictionary changes, by ``tools/build_data.py`` (``compile_forms``), and shipped as ``data/medical-forms.txt``:
one form a line, combining forms ('osteo') marked ``+``, final elements ('itis') marked ``-``. A test checks
that the shipped forms are the engine's. At lint time the engine is imported only for a words file whose
entries carry Hunspell flags ('tendinopathy/S'): those get the same affix rules.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).with_name("data")
FORMS = DATA / "medical-forms.txt"


class Forms(NamedTuple):
    words: frozenset[str]  # every form of every entry, lower case
    combining: frozenset[str]  # forms that only open or continue a compound ('osteo', 'sub')
    finals: frozenset[str]  # forms that only end one ('itis', 'cytes')


def _affixed(stem: str, flags, aff) -> set[str]:
    """``stem`` and what each of its suffix flags makes of it (where the suffix's condition holds)."""
    out = {stem}
    for flag in flags:
        for sfx in aff.SFX.get(flag, ()):
            if stem.endswith(sfx.strip) and sfx.cond_regexp.search(stem):
                out.add(stem[: len(stem) - len(sfx.strip)] + sfx.add)
    return out


def compile_forms(base: Path = DATA / "medical") -> Forms:
    """Every form of the dictionary at ``base`` (.aff and .dic), by the Hunspell engine's affix rules."""
    from spylls.hunspell import Dictionary

    d = Dictionary.from_files(str(base))
    aff = d.aff
    only = aff.ONLYINCOMPOUND
    words: set[str] = set()
    combining: set[str] = set()
    finals: set[str] = set()
    for entry in d.dic.words:
        forms = {f.lower() for f in _affixed(entry.stem, entry.flags, aff)}
        if only and only in entry.flags:
            (combining if aff.COMPOUNDBEGIN in entry.flags else finals).update(forms)
        else:
            words |= forms
    return Forms(frozenset(words), frozenset(combining), frozenset(finals))


def write_forms(forms: Forms, path: Path = FORMS) -> None:
    lines = sorted(forms.words) + sorted("+" + w for w in forms.combining) + sorted("-" + w for w in forms.finals)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@functools.lru_cache(maxsize=1)
def forms() -> Forms:
    """The shipped forms of ``medical.dic``."""
    words, combining, finals = set(), set(), set()
    for line in FORMS.read_text(encoding="utf-8").split("\n"):
        if line.startswith("+"):
            combining.add(line[1:])
        elif line.startswith("-"):
            finals.add(line[1:])
        elif line:
            words.add(line)
    return Forms(frozenset(words), frozenset(combining), frozenset(finals))


def expand_flagged(entries: list[str]) -> set[str]:
    """Forms of words-file entries with Hunspell flags of ``medical.aff`` ('tendinopathy/S' -> 'tendinopathies')."""
    from spylls.hunspell import readers
    from spylls.hunspell.readers.file_reader import FileReader

    aff, context = readers.read_aff(FileReader(str(DATA / "medical.aff")))
    out: set[str] = set()
    for entry in entries:
        stem, _, flags = entry.partition("/")
        out |= {f.lower() for f in _affixed(stem, set(context.parse_flags(flags)), aff)}
    return out
