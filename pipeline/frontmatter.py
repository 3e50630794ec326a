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
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

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
    # JSON path -> (line, column) of the value node, and of the key for mapping members
    positions: dict = field(default_factory=dict)
    key_positions: dict = field(default_factory=dict)
    issues: list[YamlIssue] = field(default_factory=list)
    present: bool = False  # a front matter block was found
    start_line: int = 0  # line of the opening '---' (1-based); 0 when absent
    end_line: int = 0  # line of the closing fence
    body: str = ""
    body_line: int = 1  # file line of the first body line

    def pos(self, path: Path_) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            p = self.positions.get(path)
            if p is not None:
                return p
            path = path[:-1]
        return self.positions.get((), (max(self.start_line, 1), 1))

    def key_pos(self, path: Path_) -> tuple[int, int]:
        return self.key_positions.get(tuple(path)) or self.pos(path)


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


def _parse_into(fm: FrontMatter, source: str, first_line: int) -> None:
    off = first_line - 1
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
        fm.data = None
        return
    builder = _Builder(fm, off)
    try:
        fm.data = builder.build(node, (), 0)
    except _TooBig as e:
        m = e.node.start_mark
        fm.issues.append(YamlIssue("unsupported", m.line + 1 + off, m.column + 1, str(e)))
        fm.data = None
        fm.positions.clear()
        fm.key_positions.clear()


class _Builder:
    def __init__(self, fm: FrontMatter, line_offset: int) -> None:
        self.fm = fm
        self.off = line_offset
        self.count = 0

    def _at(self, node) -> tuple[int, int]:
        m = node.start_mark
        return (m.line + 1 + self.off, m.column + 1)

    def build(self, node, path: tuple, depth: int):
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(
                f"front matter expands to more than {MAX_VALUES} values (aliases repeated too often); not read", node
            )
        if depth > MAX_DEPTH:
            raise _TooBig(f"front matter is nested more than {MAX_DEPTH} levels deep; not read", node)
        if path not in self.fm.positions:
            self.fm.positions[path] = self._at(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_SEQ, _OMAP, _SET) and not node.tag.startswith("!"):
                self.unsupported(node)
            return [self.build(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        # MappingNode
        if node.tag not in (_MAP, _SET, _OMAP) and not node.tag.startswith("!"):
            self.unsupported(node)
        out: dict = {}
        seen: dict = {}
        pairs = list(node.value)
        merged: list = []
        for knode, vnode in pairs:
            if knode.tag == _MERGE:
                merged.append(vnode)
                continue
            key = self.key(knode)
            kpos = self._at(knode)
            if key in seen:
                self.fm.issues.append(
                    YamlIssue(
                        "duplicate-key",
                        kpos[0],
                        kpos[1],
                        f"duplicate key {key!r}: YAML keeps only the last value, the one at line {seen[key]} is lost",
                        related_line=seen[key],
                    )
                )
                # the last value wins, as in every YAML loader; positions follow it
                self.fm.positions.pop(path + (key,), None)
            seen[key] = kpos[0]
            self.fm.key_positions[path + (key,)] = kpos
            out[key] = self.build(vnode, path + (key,), depth + 1)
        for m in merged:  # '<<: *base' : keys not set explicitly come from the merged mapping(s)
            sources = m.value if isinstance(m, yaml.SequenceNode) else [m]
            for src in sources:
                if not isinstance(src, yaml.MappingNode):
                    self.unsupported(src)
                    continue
                for knode, vnode in src.value:
                    key = self.key(knode)
                    if key not in out:
                        self.fm.key_positions.setdefault(path + (key,), self._at(knode))
                        out[key] = self.build(vnode, path + (key,), depth + 1)
        return out

    def key(self, knode):
        if isinstance(knode, yaml.ScalarNode):
            k = self.scalar(knode)
            if isinstance(k, (str, int, float, bool)) or k is None:
                return k if isinstance(k, str) else str(k).lower() if isinstance(k, bool) or k is None else str(k)
            return str(k)
        self.unsupported(knode, "a mapping key must be a plain value")
        return f"<complex key at line {self._at(knode)[0]}>"

    def scalar(self, node):
        tag = node.tag
        if tag == _STR:
            return node.value
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
        if tag in (_BINARY, _VALUE) or tag.startswith("!"):
            # a local tag ('!foo') or binary: keep the text, never construct anything
            if tag.startswith("!") and not tag.startswith("!!"):
                return node.value
            return node.value
        self.unsupported(node)
        return node.value

    def unsupported(self, node, why: str | None = None) -> None:
        line, col = self._at(node)
        short = node.tag.replace(_T, "!!")
        msg = why or f"YAML tag {short} is not allowed in front matter (it would construct an object); value read as plain data"
        self.fm.issues.append(YamlIssue("unsupported", line, col, msg))
