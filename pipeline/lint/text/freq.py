"""Word-frequency evidence from ``wordfreq``: how much a word is used in published English.

``wordfreq`` (code Apache-2.0; its frequency data CC BY-SA 4.0, built from Wikipedia, subtitles, books, news and
web text) is a dependency used as installed: the project ships no file made from its data, and reads only single
words' frequencies. Its English list is read straight from the package's ``large_en.msgpack.gz`` (wordfreq's
"cBpack" format: a header, then lists of words by frequency in centibels), which costs about 0.1 s of CPU,
where importing ``wordfreq`` and asking its API costs about 0.35 s; a list in another format is read
through wordfreq's API instead. Without the package ``zipf`` is 0 and ``much_commoner`` always true: the
spelling check then relies on the dictionaries and SCOWL's sizes alone.

Frequencies are on the Zipf scale (log10 of uses per billion words: 'the' 7.7, 'tendon' 4.2, 'fasciitis' 2.3).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
from pathlib import Path

IN_USE = 1.5  # Zipf frequency from which a word counts as used in English (about 30 uses per billion words)
SPLIT_IN_USE = 3.0  # ... and from which a small word glued to a common one ('withthe') counts as one word
FLOOR = 1.49  # frequencies below this are read as 0: not in use (``IN_USE``), and never much used
COMMONER = 1.5  # a common word this much more used (30 times) than its one-slip neighbour makes that a typo


def _packed(buckets: list[list[str]]):
    """Zipf frequency of a word from wordfreq's buckets (bucket i holds the words used at -i centibels). Only the
    words used enough to count (``FLOOR``) are looked at. The first few look-ups scan the buckets (a few
    milliseconds each); after ``SCANS`` of them the words are indexed once (a tenth of a second)."""
    kept = buckets[: round((9.0 - FLOOR) * 100) + 1]
    index: dict[str, int] = {}
    scans = 0

    def zipf(word: str) -> float:
        nonlocal scans
        if scans < SCANS:
            scans += 1
            i = next((i for i, bucket in enumerate(kept) if word in bucket), None)
        else:
            if not index:
                index.update((w, i) for i, bucket in enumerate(kept) for w in bucket)
            i = index.get(word)
        return 0.0 if i is None else round(9.0 - i / 100.0, 2)

    return functools.lru_cache(maxsize=65536)(zipf)


SCANS = 24


@functools.lru_cache(maxsize=1)
def _lookup():
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
    try:
        import msgpack

        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
        if isinstance(data, list) and data and data[0] == {"format": "cB", "version": 1}:
            return _packed(data[1:])
    except (OSError, ImportError, ValueError, TypeError):
        pass
    from wordfreq import zipf_frequency  # another layout: the public API

    return functools.lru_cache(maxsize=65536)(lambda w: zipf_frequency(w, "en"))


def available() -> bool:
    return _lookup() is not None


def zipf(word: str) -> float:
    z = _lookup()
    return z(word) if z is not None else 0.0


def in_use(word: str) -> bool:
    return zipf(word) >= IN_USE


def much_commoner(common: str, word: str) -> bool:
    """``common`` (a common dictionary word) is used far more than ``word``; without ``wordfreq``, always."""
    z = _lookup()
    if z is None:
        return True
    return z(common) - z(word) >= COMMONER
