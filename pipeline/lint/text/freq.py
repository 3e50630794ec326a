"""Word-frequency evidence from ``wordfreq``: how much a word is used in published English.

``wordfreq`` (code Apache-2.0; its frequency data CC BY-SA 4.0, built from Wikipedia, subtitles, books, news and
web text) is a dependency used as installed: the project ships no file made from its data, and reads only single
words' frequencies. Its English list is read straight from the package's ``large_en.msgpack.gz`` (wordfreq's
"cBpack" format: a header, then lists of words by frequency in centibels), which costs about 0.025 s of CPU
(see ``_Packed``), where importing ``wordfreq`` and asking its API costs about 0.35 s; a list in another format is read
through wordfreq's API instead. Without the package ``zipf`` is 0 and ``much_commoner`` always true: the
spelling check then relies on the dictionaries and SCOWL's sizes alone.

Frequencies are on the Zipf scale (log10 of uses per billion words: 'the' 7.7, 'tendon' 4.2, 'fasciitis' 2.3).
"""

from __future__ import annotations

import bisect
import functools
from pathlib import Path

IN_USE = 1.5  # Zipf frequency from which a word counts as used in English (about 30 uses per billion words)
SPLIT_IN_USE = 3.0  # ... and from which a small word glued to a common one ('withthe') counts as one word
FLOOR = 1.49  # frequencies below this are read as 0: not in use (``IN_USE``), and never much used
COMMONER = 1.5  # a common word this much more used (30 times) than its one-slip neighbour makes that a typo


class _Packed:
    """wordfreq's English list as its decompressed bytes (msgpack: bucket i holds the words used at -i
    centibels), with where each bucket starts; the buckets of words used less than ``FLOOR`` are left out.

    A word is found by searching the bytes for its msgpack encoding, then reading the one bucket the match falls
    in (a match may start inside another string); after ``SCANS`` look-ups every word is indexed once."""

    SCANS = 48

    def __init__(self, raw: bytes, offsets: list[int]) -> None:
        self.raw, self.offsets = raw, offsets  # offsets[-1]: the end of the last bucket kept
        self._buckets: dict[int, frozenset[str]] = {}
        self._index: dict[str, int] | None = None
        self._scans = 0

    def zipf(self, word: str) -> float:
        i = self._find(word)
        return 0.0 if i is None else round(9.0 - i / 100.0, 2)

    def _find(self, word: str) -> int | None:
        if self._index is None and self._scans >= self.SCANS:
            self._index = {w: i for i in range(len(self.offsets) - 1) for w in self._bucket(i)}
        if self._index is not None:
            return self._index.get(word)
        self._scans += 1
        import msgpack

        enc, end, at = msgpack.packb(word), self.offsets[-1], self.offsets[0]
        while (at := self.raw.find(enc, at, end)) >= 0:
            i = bisect.bisect_right(self.offsets, at) - 1
            if word in self._bucket(i):
                return i
            at += 1
        return None

    def _bucket(self, i: int) -> frozenset[str]:
        got = self._buckets.get(i)
        if got is None:
            import msgpack

            got = self._buckets[i] = frozenset(msgpack.unpackb(self.raw[self.offsets[i] : self.offsets[i + 1]], raw=False))
        return got


@functools.lru_cache(maxsize=1)
def _lookup():
    import gzip
    import importlib.util

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "large_en.msgpack.gz"
    try:
        import msgpack

        raw = gzip.decompress(path.read_bytes())
        unpacker = msgpack.Unpacker(raw=False)
        unpacker.feed(raw)
        n = unpacker.read_array_header()
        if n > 1 and unpacker.unpack() == {"format": "cB", "version": 1}:
            offsets = []
            for _ in range(min(n - 1, round((9.0 - FLOOR) * 100) + 1)):
                offsets.append(unpacker.tell())
                unpacker.skip()  # (in C, making no objects)
            offsets.append(unpacker.tell())
            return functools.lru_cache(maxsize=65536)(_Packed(raw, offsets).zipf)
    except (OSError, ImportError, ValueError, TypeError, EOFError):
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
