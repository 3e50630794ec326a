"""The gallery block regenerated from the renders on disk (the fix of IMG001's and IMG002's gallery findings and of
TXT006's captions): one entry per orientation on disk, in order, each once, its caption and title following the page
title. Entries that are already right are kept as written; a new entry is written like the first one (indent, key
order, quoting); only the lines that change are edited.

Not offered when the gallery is not a plain block list of ``image_url``/``caption``/``title`` entries of one sequence,
holds a comment, or when the orientations on disk are not 1 to N (a missing render is fixed by rendering it).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import yaml

from pipeline.content.findings import Fix
from pipeline.content.model import Page, gif_sequence
from pipeline.lint.fix.scalars import base_offset, node_at, render, span
from pipeline.lint.fix.source import Source, minimal_edits

KEYS = ("image_url", "caption", "title")
_DASH = re.compile(r"[ \t]*-[ \t]+")


@dataclass
class _Item:
    start: int  # start of the item's first line (its '-')
    end: int  # end of its last line, line break included
    values: dict  # key -> value node
    number: int


@dataclass
class _Target:
    directory: str
    stem: str
    names: dict[int, str]  # orientation -> file name
    renamed: bool = False  # the sequence of the page's GIF, not the one the gallery names

    def url(self, n: int) -> str:
        return f"{self.directory}/{self.names[n]}" if self.directory else self.names[n]


def gallery_fix(ctx, page: Page) -> Fix | None:
    """The page's gallery fix (worked out once per run and page: several findings carry it), or None."""
    memo = ctx.memo.setdefault("gallery-fix", {})
    if id(page) not in memo:
        memo[id(page)] = _gallery_fix(ctx, page)
    return memo[id(page)]


def _gallery_fix(ctx, page: Page) -> Fix | None:
    title = page.title
    node = node_at(page, ("gallery",)) if page.fm.root is not None else None
    if not title or not isinstance(node, yaml.SequenceNode) or node.flow_style or not page.gallery:
        return None
    frames = [g.frame for g in page.gallery]
    if any(f is None for f in frames) or len({(f.directory, f.stem) for f in frames}) != 1:
        return None
    src = Source.of(page.text)
    items = _items(page, src, node)
    target = _target(ctx, page, frames[0].directory, frames[0].stem)
    if items is None or target is None or _has_comment(page, src, node, items):
        return None
    bodies, rewrote = _bodies(src, page, items, target, title)
    sep = src.text[items[0].end : items[1].start] if len(items) > 1 else ""
    new = sep.join(bodies)
    edits = minimal_edits(src, items[0].start, items[-1].end, new)
    if not edits:
        return None
    from pipeline.lint.rules.txt006_own_texts import names_structure

    safe = not rewrote or names_structure(title, target.stem)
    return Fix(_message(items, target, rewrote), tuple(edits), safe)


def _message(items: list[_Item], target: _Target, rewrote: bool) -> str:
    seq = f"{target.directory}/{target.stem}" if target.directory else target.stem
    listed = [i.number for i in items]
    parts = []
    if listed != sorted(target.names) or target.renamed:
        whose = ", the sequence of the page's GIF" if target.renamed else ""
        parts.append(f"list the {len(target.names)} orientations of {seq}{whose} in order, each once")
    if rewrote:
        parts.append("write each caption and title as the page title and its orientation number")
    return "; ".join(parts) or "write the gallery from the renders"


def _items(page: Page, src: Source, node) -> list[_Item] | None:
    """The gallery's entries with their extent in the text, or None when one is not a plain entry."""
    base = base_offset(page, src)
    out = []
    for entry, g in zip(node.value, page.gallery):
        if not isinstance(entry, yaml.MappingNode) or entry.flow_style:
            return None
        values = {}
        for k, v in entry.value:
            if not isinstance(k, yaml.ScalarNode) or k.value not in KEYS or k.value in values:
                return None
            if not isinstance(v, yaml.ScalarNode) or (v.style or "") not in ("", "'", '"') or span(page, src, v) is None:
                return None
            values[k.value] = v
        if "image_url" not in values:
            return None
        first = src.position(base + entry.start_mark.index)[0]
        start = src.starts[first - 1]
        if not _DASH.fullmatch(src.text[start : base + entry.start_mark.index]):
            return None  # the '-' on a line of its own, or something before it
        last = src.position(base + max(v.end_mark.index for v in values.values()))[0]
        end = src.starts[last] if last < len(src.starts) else len(src.text)
        out.append(_Item(start, end, values, g.frame.number))
    return out


def _target(ctx, page: Page, directory: str, stem: str) -> _Target | None:
    """The orientations the gallery should list: those on disk (1 to N), or, without the images root, those it
    lists already when they are 1 to N. A gallery whose sequence has no render on disk follows the page's GIF when
    that sequence is on disk (the renders were renamed and the GIF name changed with them)."""
    if ctx.files is None:
        names: dict[int, str] = {}
        for g in page.gallery:
            names.setdefault(g.frame.number, g.url.rpartition("/")[2])
        return _Target(directory, stem, names) if _whole(names) else None
    names = ctx.files.sequence_numbers(directory, stem)
    if names:
        return _Target(directory, stem, names) if _whole(names) else None
    for im in page.images:
        if im.name and im.name.endswith(".gif") and not ctx.files.unsafe_reason(im.name):
            gdir, gstem = gif_sequence(im.name)
            names = ctx.files.sequence_numbers(gdir, gstem)
            if names and _whole(names):
                return _Target(gdir, gstem, names, renamed=True)
    return None


def _whole(names: dict[int, str]) -> bool:
    return sorted(names) == list(range(1, len(names) + 1))


def _has_comment(page: Page, src: Source, node, items: list[_Item]) -> bool:
    """Whether a YAML comment sits among the entries (regenerating them could lose it)."""
    base = base_offset(page, src)
    spans = []
    for entry in node.value:
        for k, v in entry.value:
            spans.append((base + k.start_mark.index, base + k.end_mark.index))
            spans.append((base + v.start_mark.index, base + v.end_mark.index))
    spans.sort()
    text, pos = src.text, items[0].start
    for a, b in spans + [(items[-1].end, items[-1].end)]:
        if re.search(r"(?:^|[ \t\r\n])#", text[pos:a]):
            return True
        pos = max(pos, b)
    return False


def _bodies(src: Source, page: Page, items: list[_Item], target: _Target, title: str) -> tuple[list[str], bool]:
    """The text of each entry of the regenerated gallery, and whether an existing caption or title was rewritten."""
    from pipeline.lint.rules.txt006_own_texts import follows

    first: dict[int, _Item] = {}
    for item in items:
        first.setdefault(item.number, item)
    out, rewrote = [], False
    for n in sorted(target.names):
        item = first.get(n)
        want = {"image_url": target.url(n), "caption": f"{title} - orientation {n}", "title": f"{title} - orientation {n}"}
        if item is not None:
            keep = {k for k, v in item.values.items() if k != "image_url" and follows(v.value, title, n)}
            if item.values["image_url"].value == target.url(n):
                keep.add("image_url")
            rewrote |= any(k != "image_url" and k not in keep for k in item.values)
        else:
            item, keep = next((i for i in items if len(i.values) == len(KEYS)), items[0]), set()
        out.append(_rewrite(src, page, item, {k: v for k, v in want.items() if k not in keep}))
    return out, rewrote


def _rewrite(src: Source, page: Page, item: _Item, values: dict[str, str]) -> str:
    """The item's text with the given keys' values replaced, each in its own quoting style; a key the item lacks
    is added after its last line, indented like its first key and quoted like its other values."""
    text = src.text
    pieces, pos = [], item.start
    spans = sorted((span(page, src, item.values[k]), k) for k in values if k in item.values)
    for (a, b), k in spans:
        pieces.append(text[pos:a])
        pieces.append(_written(item.values[k].style, values[k]))
        pos = b
    pieces.append(text[pos : item.end])
    out = "".join(pieces)
    missing = [k for k in KEYS if k in values and k not in item.values]
    if missing:
        col = _key_column(src, item)
        style = next((v.style for k, v in item.values.items() if k != "image_url"), "'")
        newline = src.newline(item.start)
        if not out.endswith(("\n", "\r")):
            out += newline
        out += "".join(f"{' ' * col}{k}: {_written(style, values[k])}{newline}" for k in missing)
    return out


def _key_column(src: Source, item: _Item) -> int:
    """0-based column of the item's keys (after its '- ')."""
    dash = _DASH.match(src.text, item.start)
    return dash.end() - item.start if dash else 4


def _written(style, value: str) -> str:
    return render(style, value) or "'" + value.replace("'", "''") + "'"


def with_gallery_fix(ctx, page: Page, problem):
    """``problem`` carrying the page's gallery fix, when there is one."""
    fix = gallery_fix(ctx, page)
    return dataclasses.replace(problem, fix=fix) if fix is not None else problem
