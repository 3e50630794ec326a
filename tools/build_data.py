"""Regenerate ``pipeline/lint/text/data/english.txt``, the English word list TXT003 accepts, from SCOWL.

SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson; the source of the Hunspell and Aspell English
dictionaries) is packaged by Debian as ``wamerican-*`` and ``wbritish-*``. The list shipped here is the union of
the American and British "large" lists (SCOWL size 70), lower-cased, possessives dropped, sorted; ``english-sizes.txt``
gives each word the smallest SCOWL size that holds it (3: 35 "small", 5: 50 "medium", 7: 70 "large"): the size
ranks spelling suggestions, commoner first. Plain text loads faster than compressed (no inflate step).

    apt-get install wamerican-small wamerican wamerican-large wbritish-small wbritish wbritish-large
    python tools/build_data.py [DICT_DIR]      # default /usr/share/dict

SCOWL's copyright notice (it must accompany the list) is in ``data/SCOWL-LICENSE.txt``.
"""

from __future__ import annotations

import sys
from pathlib import Path

SIZES = (("35", "small"), ("50", ""), ("70", "large"))


def _read(path: Path) -> set[str]:
    if not path.is_file():
        raise SystemExit(f"{path}: not found (install the wamerican-* and wbritish-* packages)")
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        w = line.strip()
        if w and not w.endswith("'s"):
            out.add(w.lower())
    return out


def build(dict_dir: Path, dest: Path) -> int:
    """Write ``english.txt`` (sorted words, one a line) and ``english-sizes.txt`` (one digit per word: 3, 5, 7)."""
    size_of: dict[str, str] = {}
    for size, suffix in SIZES:
        for lang in ("american", "british"):
            name = f"{lang}-english" + (f"-{suffix}" if suffix else "")
            for w in _read(dict_dir / name):
                size_of.setdefault(w, size[0])
    words = sorted(size_of)
    (dest / "english.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    (dest / "english-sizes.txt").write_text("".join(size_of[w] for w in words) + "\n", encoding="utf-8")
    return len(words)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/dict")
    n = build(src, Path(__file__).resolve().parents[1] / "pipeline" / "lint" / "text" / "data")
    print(f"{n} words")
