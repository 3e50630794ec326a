"""Positions in a page's text (offsets, lines and columns as the loader counts them) and edits made of them."""

from __future__ import annotations

import bisect
import functools

from pipeline.content.findings import Edit

_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on


class Source:
    """A page's text (its BOM left out) with the offset where each line starts; lines split as ``str.splitlines``
    splits them, as the loader does, so that positions agree with the findings'."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = []
        pos = 0
        for line in text.splitlines(keepends=True):
            starts.append(pos)
            pos += len(line)
        if not starts or text[-1:] in _BREAKS:
            starts.append(len(text))  # the empty line after a final line break: where the end of the text is
        self.starts = starts

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def of(text: str) -> Source:
        return Source(text)

    def offset(self, line: int, column: int) -> int | None:
        """Offset of a 1-based line and column, or None when there is no such place."""
        if not 1 <= line <= len(self.starts) or column < 1:
            return None
        off = self.starts[line - 1] + column - 1
        return off if off <= self.line_end(line) else None

    def line_end(self, line: int) -> int:
        """Offset just before the line break of ``line``."""
        start = self.starts[line - 1]
        nxt = self.starts[line] if line < len(self.starts) else len(self.text)
        return start + len(self.text[start:nxt].rstrip(_BREAKS))

    def line_text(self, line: int) -> str:
        return self.text[self.starts[line - 1] : self.line_end(line)] if 1 <= line <= len(self.starts) else ""

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        i = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return i + 1, offset - self.starts[i] + 1

    def edit(self, start: int, end: int, content: str) -> Edit:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Edit(start, end, content, line, col, end_line, end_col)

    def newline(self, offset: int = 0) -> str:
        """The line break of the line holding ``offset`` (else of the first line, else LF)."""
        for line in (self.position(offset)[0], 1):
            if line <= len(self.starts):
                end = self.line_end(line)
                nxt = self.starts[line] if line < len(self.starts) else len(self.text)
                if nxt > end:
                    return self.text[end:nxt]
        return "\n"


def minimal_edits(src: Source, start: int, end: int, new: str) -> list[Edit]:
    """Edits turning ``src.text[start:end]`` into ``new``: one per changed run of lines, each trimmed to the
    characters that differ."""
    import difflib

    old = src.text[start:end]
    if old == new:
        return []
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    a_at = [0]
    for line in a:
        a_at.append(a_at[-1] + len(line))
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # lines rewritten in place: an edit per line that changed
            edits += [_trimmed(src, start + a_at[i], start + a_at[i + 1], b[j1 + i - i1]) for i in range(i1, i2) if a[i] != b[j1 + i - i1]]
            continue
        edits.append(_trimmed(src, start + a_at[i1], start + a_at[i2], "".join(b[j1:j2])))
    return edits


def _trimmed(src: Source, lo: int, hi: int, content: str) -> Edit:
    old = src.text[lo:hi]
    p = 0
    while p < len(old) and p < len(content) and old[p] == content[p]:
        p += 1
    s = 0
    while s < len(old) - p and s < len(content) - p and old[-1 - s] == content[-1 - s]:
        s += 1
    return src.edit(lo + p, hi - s, content[p : len(content) - s])


def apply_edits(text: str, edits) -> str:
    """``text`` with non-overlapping ``edits`` made."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.content)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def overlaps(a, b) -> bool:
    """Whether two edits touch the same text (two insertions at one place count as overlapping)."""
    return (a.start < b.end and b.start < a.end) or (a.start == a.end == b.start == b.end)
