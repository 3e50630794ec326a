"""Split a page into YAML front matter and body, and parse the YAML keeping every node's position.

PyYAML's C composer builds the node graph (fast, and it never constructs Python objects from
tags); this module turns nodes into plain JSON-like data itself, so that:

* every value and every mapping key has a (line, column) in the *file*, 1-based;
* duplicate keys are reported instead of silently keeping the last one;
* tags that would construct objects (``!!python/object``...) are refused, never executed;
* alias expansion ("billion laughs") and nesting depth are bounded.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml

try:  # pragma: no cover - depends on the PyYAML build
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader

Path_ = tuple  # a JSON path: tuple of str keys and int indexes

MAX_VALUES = 50_000  # values after alias expansion
MAX_DEPTH = 64

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")

_T = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = _T + "str", _T + "null", _T + "bool", _T + "int", _T + "float"
_TIMESTAMP, _BINARY, _MERGE, _VALUE = _T + "timestamp", _T + "binary", _T + "merge", _T + "value"
_MAP, _SEQ, _OMAP, _SET = _T + "map", _T + "seq", _T + "omap", _T + "set"

_constructor = yaml.constructor.SafeConstructor()


class _Loader(_BaseLoader):
    """The safe loader with PyYAML's tag resolution written out for its own tables. The composer calls ``resolve``
    (and the path-resolver hooks) back in Python for every node: the general version costs a third of the time of
    composing a page. Same answers: the implicit resolvers by first character, in order; no path resolvers."""

    _implicit = _BaseLoader.yaml_implicit_resolvers
    _scalar, _sequence, _mapping = _BaseLoader.DEFAULT_SCALAR_TAG, _BaseLoader.DEFAULT_SEQUENCE_TAG, _BaseLoader.DEFAULT_MAPPING_TAG

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[0] if value else "", ()):
                    if regexp.match(value):
                        return tag
            return self._scalar
        return self._sequence if kind is yaml.SequenceNode else self._mapping

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


if _BaseLoader.yaml_path_resolvers or None in _BaseLoader.yaml_implicit_resolvers:  # pragma: no cover
    _Loader = _BaseLoader  # tables this shortcut does not cover: the general resolver


@dataclass
class YamlIssue:
    """A problem found while reading front matter: ``kind`` is 'syntax', 'duplicate-key' or 'unsupported'."""

    kind: str
    line: int
    column: int
    message: str
    related_line: int | None = None


@dataclass
class FrontMatter:
    data: object = None
    issues: list[YamlIssue] = field(default_factory=list)
    present: bool = False  # a front matter block was found
    start_line: int = 0  # line of the opening '---' (1-based); 0 when absent
    end_line: int = 0  # line of the closing fence
    body: str = ""
    body_line: int = 1  # file line of the first body line
    root: object = None  # the YAML node graph; positions are looked up in it when a finding needs one
    line_offset: int = 0

    def _walk(self, path: Path_):
        """(node at path or nearest ancestor, key node of the last step or None, whether the full path was found)."""
        node, key_node = self.root, None
        for part in path:
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for k, v in _pairs(node):
                    if _key_of(k) == part:
                        nxt, key_node = v, k
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                nxt, key_node = node.value[part], None
            if nxt is None:
                return node, None, False
            node = nxt
        return node, key_node, True

    def _mark(self, node) -> tuple[int, int]:
        m = node.start_mark
        return (m.line + 1 + self.line_offset, m.column + 1)

    def pos(self, path: Path_ = ()) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest ancestor that has one."""
        if self.root is None:
            return (max(self.start_line, 1), 1)
        node, _, _ = self._walk(tuple(path))
        return self._mark(node)

    def key_pos(self, path: Path_) -> tuple[int, int]:
        """Position of the key of the mapping member at ``path`` (the value's position for list items)."""
        if self.root is None:
            return (max(self.start_line, 1), 1)
        node, key_node, found = self._walk(tuple(path))
        return self._mark(key_node if (found and key_node is not None) else node)

    def item_positions(self, path: Path_, key: str) -> list[tuple[int, int]]:
        """For the list at ``path``: the position of each item's ``key`` value (or of the item), in one walk."""
        if self.root is None:
            return []
        node, _, found = self._walk(tuple(path))
        if not found or not isinstance(node, yaml.SequenceNode):
            return []
        out = []
        off = self.line_offset + 1
        for item in node.value:
            target = item
            if item.__class__ is yaml.MappingNode:
                found = None
                for k, v in item.value:  # plain keys, the last one wins
                    if k.value == key and k.__class__ is yaml.ScalarNode:
                        found = v
                    elif k.tag == _MERGE:
                        found = None
                        break
                if found is None:  # merge keys or no such key: the general walk
                    for k, v in _pairs(item):
                        if _key_of(k) == key:
                            found = v
                            break
                target = found if found is not None else item
            m = target.start_mark
            out.append((m.line + off, m.column + 1))
        return out

    def has(self, path: Path_) -> bool:
        return self.root is not None and self._walk(tuple(path))[2]


def _pairs(node):
    """Members of a mapping, last first (the last of duplicate keys wins), then merged ('<<') members."""
    merged = []
    for k, v in reversed(node.value):
        if k.tag == _MERGE:
            merged.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
        else:
            yield k, v
    for m in merged:
        if isinstance(m, yaml.MappingNode):
            yield from _pairs(m)


def _key_of(knode):
    if isinstance(knode, yaml.ScalarNode):
        if knode.tag == _STR:
            return knode.value
        try:
            if knode.tag == _BOOL:
                return "true" if _constructor.construct_yaml_bool(knode) else "false"
            if knode.tag == _NULL:
                return "none"
            if knode.tag == _INT:
                return str(_constructor.construct_yaml_int(knode))
        except (ValueError, yaml.constructor.ConstructorError):
            pass
        return knode.value
    return None


class _TooBig(Exception):
    def __init__(self, message: str, node) -> None:
        super().__init__(message)
        self.node = node


def split(text: str) -> FrontMatter:
    """Find the front matter block. Text must already be decoded; a BOM is ignored."""
    fm = FrontMatter()
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        fm.body = text
        fm.body_line = 1
        return fm
    fm.present = True
    fm.start_line = 1
    for i in range(1, len(lines)):
        if _END.match(lines[i].rstrip("\r\n")):
            fm.end_line = i + 1
            fm.body = "".join(lines[i + 1 :])
            fm.body_line = i + 2
            _parse_into(fm, "".join(lines[1:i]), first_line=2)
            return fm
    fm.issues.append(YamlIssue("syntax", 1, 1, "front matter is not closed: no '---' line after the opening '---'"))
    return fm


MAX_SCAN_DEPTH = 1000  # libyaml's composer recurses in C: refuse absurd nesting before it sees it

_DASH_CHAIN = re.compile(r"^[ \t]*((?:[-?:][ \t]+){8,})", re.M)


def _nesting_estimate(source: str) -> int:
    """An upper bound of flow nesting ('[[[[', '{{') and of compact block nesting ('- - - x') in the text."""
    depth = best = 0
    opening = source.count("[") + source.count("{")
    if opening > MAX_SCAN_DEPTH:  # only then can flow nesting exceed the limit: measure it
        for ch in source:
            if ch in "[{":
                depth += 1
                if depth > best:
                    best = depth
            elif ch in "]}":
                depth = max(depth - 1, 0)
    for m in _DASH_CHAIN.finditer(source):
        best = max(best, m.group(1).count(" ") + m.group(1).count("\t"))
    return best


def _parse_into(fm: FrontMatter, source: str, first_line: int) -> None:
    off = first_line - 1
    fm.line_offset = off
    if _nesting_estimate(source) > MAX_SCAN_DEPTH:
        fm.issues.append(YamlIssue("unsupported", first_line, 1, f"front matter is nested more than {MAX_SCAN_DEPTH} levels deep; not read"))
        return
    try:
        node = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = (mark.line + 1 + off) if mark else first_line
        col = (mark.column + 1) if mark else 1
        problem = e.problem or "invalid YAML"
        if e.context:
            problem = f"{problem} ({e.context})"
        fm.issues.append(YamlIssue("syntax", line, col, f"YAML syntax error: {problem}"))
        return
    except yaml.YAMLError as e:  # pragma: no cover - reader errors without marks
        fm.issues.append(YamlIssue("syntax", first_line, 1, f"YAML error: {e}"))
        return
    except RecursionError:
        fm.issues.append(YamlIssue("syntax", first_line, 1, "front matter is nested too deeply"))
        return
    if node is None:
        return
    builder = _Builder(fm, off)
    try:
        fm.data = builder.build(node, 0)
        fm.root = node
    except _TooBig as e:
        m = e.node.start_mark
        fm.issues.append(YamlIssue("unsupported", m.line + 1 + off, m.column + 1, str(e)))
        fm.data = None


class _Builder:
    """Node graph -> plain data; counts values (alias expansion) and depth, records duplicate keys and refused tags."""

    def __init__(self, fm: FrontMatter, line_offset: int) -> None:
        self.fm = fm
        self.off = line_offset
        self.count = 0

    def _at(self, node) -> tuple[int, int]:
        m = node.start_mark
        return (m.line + 1 + self.off, m.column + 1)

    def build(self, node, depth: int):
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(f"front matter expands to more than {MAX_VALUES} values (aliases repeated too often); not read", node)
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return node.value if node.tag == _STR else self.scalar(node)
        if depth > MAX_DEPTH:
            raise _TooBig(f"front matter is nested more than {MAX_DEPTH} levels deep; not read", node)
        if cls is yaml.SequenceNode:
            if node.tag != _SEQ and node.tag not in (_OMAP, _SET) and not node.tag.startswith("!"):
                self.unsupported(node)
            return [self.build(child, depth + 1) for child in node.value]
        if node.tag != _MAP and node.tag not in (_SET, _OMAP) and not node.tag.startswith("!"):
            self.unsupported(node)
        out: dict = {}
        seen: dict = {}
        merged: list = []
        for knode, vnode in node.value:
            if knode.tag == _STR and knode.__class__ is yaml.ScalarNode:
                key = knode.value
            elif knode.tag == _MERGE:
                merged.append(vnode)
                continue
            else:
                key = self.key(knode)
            if key in seen:
                first_line = seen[key]
                line, col = self._at(knode)
                self.fm.issues.append(
                    YamlIssue(
                        "duplicate-key",
                        line,
                        col,
                        f"duplicate key {key!r}: YAML keeps only the last value, the one at line {first_line} is lost",
                        related_line=first_line,
                    )
                )
            seen[key] = knode.start_mark.line + 1 + self.off
            out[key] = self.build(vnode, depth + 1)
        for m in merged:  # '<<: *base' : keys not set explicitly come from the merged mapping(s)
            for src in m.value if isinstance(m, yaml.SequenceNode) else [m]:
                if not isinstance(src, yaml.MappingNode):
                    self.unsupported(src)
                    continue
                for knode, vnode in src.value:
                    key = self.key(knode)
                    if key not in out:
                        out[key] = self.build(vnode, depth + 1)
        return out

    def key(self, knode):
        if isinstance(knode, yaml.ScalarNode):
            k = _key_of(knode)
            return k if k is not None else knode.value
        self.unsupported(knode, "a mapping key must be a plain value")
        return f"<complex key at line {self._at(knode)[0]}>"

    def scalar(self, node):
        tag = node.tag
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(node)
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
            if tag == _TIMESTAMP:
                v = _constructor.construct_yaml_timestamp(node)
                return v.isoformat() if isinstance(v, (datetime.date, datetime.datetime)) else node.value
        except (ValueError, yaml.constructor.ConstructorError):
            return node.value
        if tag in (_BINARY, _VALUE) or (tag.startswith("!") and not tag.startswith("!!")):
            return node.value  # binary, or a local tag ('!foo'): keep the text, never construct anything
        self.unsupported(node)
        return node.value

    def unsupported(self, node, why: str | None = None) -> None:
        line, col = self._at(node)
        short = node.tag.replace(_T, "!!")
        msg = why or f"YAML tag {short} is not allowed in front matter (it would construct an object); value read as plain data"
        self.fm.issues.append(YamlIssue("unsupported", line, col, msg))
