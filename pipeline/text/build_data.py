"""Regenerate ``data/english.txt.gz``, the English word list TXT003 accepts, from SCOWL.

SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson; the source of the Hunspell and Aspell English
dictionaries) is packaged by Debian as ``wamerican-*`` and ``wbritish-*``. The list shipped here is the union of
the American and British "large" lists (SCOWL size 70), possessives dropped, each word tagged with the smallest
SCOWL size that holds it (35 "small", 50 "medium", 70 "large"): the size ranks spelling suggestions, commoner first.

    apt-get install wamerican-small wamerican wamerican-large wbritish-small wbritish wbritish-large
    python -m pipeline.text.build_data [DICT_DIR]      # default /usr/share/dict

SCOWL's copyright notice (it must accompany the list) is in ``data/SCOWL-LICENSE.txt``.
"""

from __future__ import annotations

import gzip
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
            out.add(w)
    return out


def build(dict_dir: Path, dest: Path) -> int:
    seen: set[str] = set()
    sections = []
    for size, suffix in SIZES:
        words: set[str] = set()
        for lang in ("american", "british"):
            name = f"{lang}-english" + (f"-{suffix}" if suffix else "")
            words |= _read(dict_dir / name)
        new = sorted(words - seen)
        seen |= words
        sections.append(f"@{size}\n" + "\n".join(new) + "\n")
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("".join(sections))
    return len(seen)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/dict")
    n = build(src, Path(__file__).with_name("data") / "english.txt.gz")
    print(f"{n} words")
