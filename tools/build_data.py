"""Regenerate ``pipeline/lint/text/data/english.txt`` and its companions (sizes, rare words, names) from SCOWL.

SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson; the source of the Hunspell and Aspell English
dictionaries) is packaged by Debian as ``scowl``: its lists are split by spelling (``english`` for all, then
``american``, ``british``, ``british_z``, ``canadian``, ``variant_1``) and by *size*, SCOWL's commonness scale
(10, 20, 35, 40, 50 and 55 common words, 60 and 70 the usual dictionary, 80 rarer words, 95 obscure ones).

* ``english.txt``: every word, upper-case word, proper name, abbreviation and contraction of those spellings up
  to size 70, lower-cased, possessives dropped, sorted; ``english-sizes.txt`` gives each word the first digit of
  the smallest size that holds it (1, 2, 3, 4, 5, 6, 7).
* ``english-rare.txt``: those of size 80, *rare* words: the spelling check accepts them where they are in use or
  no much commoner word is one typing slip away (see ``vocab``). Size 95 is left out: it holds old spellings and
  mistakes ("bordes") as well as words.
* ``names.txt``: the proper names (upper-case words and names of every size up to 95: surnames, places,
  publishers) that are not also ordinary words; those of size 95 are accepted only capitalised, and none is
  offered as a spelling suggestion.

Plain text loads faster than compressed (no inflate step).

    apt-get install scowl
    python tools/build_data.py [SCOWL_DIR]      # default /usr/share/dict/scowl

It also compiles ``medical-forms.txt``, the forms the Hunspell engine makes of ``medical.dic`` (see
``pipeline.lint.text.medical``): run it after editing the dictionary.

SCOWL's copyright notice (it must accompany the lists) is in ``pipeline/lint/text/data/SCOWL-LICENSE.txt``.
"""

from __future__ import annotations

import sys
from pathlib import Path

SPELLINGS = ("english", "american", "british", "british_z", "canadian", "variant_1")
KINDS = ("words", "upper", "proper-names", "abbreviations", "contractions")
SIZES = (10, 20, 35, 40, 50, 55, 60, 70, 80)


def _read(path: Path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        w = line.strip()
        if w and not w.endswith("'s") and " " not in w:
            out.add(w.lower())
    return out


def build(src: Path, dest: Path) -> tuple[int, int]:
    """Write the lists; return (words, names)."""
    if not (src / "english-words.10").is_file():
        raise SystemExit(f"{src}: no SCOWL lists here (install Debian's 'scowl' package)")
    size_of: dict[str, str] = {}
    for size in SIZES:
        for spelling in SPELLINGS:
            for kind in KINDS:
                p = src / f"{spelling}-{kind}.{size}"
                if p.is_file():
                    for w in _read(p):
                        size_of.setdefault(w, str(size)[0])
    words = sorted(w for w, size in size_of.items() if size != "8")
    rare = sorted(w for w, size in size_of.items() if size == "8")
    (dest / "english.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (dest / "english-sizes.txt").write_text("".join(size_of[w] for w in words) + "\n", encoding="utf-8")
    (dest / "english-rare.txt").write_text("\n".join(rare) + "\n", encoding="utf-8")
    names: set[str] = set()
    plain: set[str] = set()  # words of the 'words' lists, in any case
    for spelling in SPELLINGS:
        for size in (*SIZES, 95):
            for kind in ("upper", "proper-names", "words"):
                p = src / f"{spelling}-{kind}.{size}"
                if p.is_file():
                    (plain if kind == "words" else names).update(_read(p) if kind != "words" or size != 95 else ())
        p = src / f"{spelling}-proper-names.95"
        if p.is_file():
            names |= _read(p)
    names -= plain
    (dest / "names.txt").write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")
    return len(words), len(names)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pipeline.lint.text import medical

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/dict/scowl")
    n, m = build(folder, Path(__file__).resolve().parents[1] / "pipeline" / "lint" / "text" / "data")
    forms = medical.compile_forms()
    medical.write_forms(forms)
    print(f"{n} words, {m} names; medical.dic: {len(forms.words)} forms, {len(forms.combining)} combining forms, {len(forms.finals)} final elements")
