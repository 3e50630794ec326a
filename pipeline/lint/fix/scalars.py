"""Front matter values rewritten in place: the node of a value, its span in the page's text, and a new value
written in the style of the old one (plain, 'single' or "double" quotes), so that nothing else moves."""

from __future__ import annotations

import functools

import yaml

from pipeline.content.findings import Edit
from pipeline.content.model import Page
from pipeline.lint.fix.source import Source

try:  # pragma: no cover - depends on the PyYAML build
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

_STR = "tag:yaml.org,2002:str"


def node_at(page: Page, path: tuple):
    """The YAML node of the value at ``path`` in the page's front matter (the last of duplicate keys), or None."""
    node = page.fm.root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
        if node is None:
            return None
    return node


def base_offset(page: Page, src: Source) -> int | None:
    """Offset in the page's text where the front matter's YAML starts (the line after the opening fence)."""
    if not page.fm.present or page.fm.root is None or len(src.starts) < 2:
        return None
    return src.starts[page.fm.start_line]


def span(page: Page, src: Source, node) -> tuple[int, int] | None:
    """(start, end) of a node in the page's text, or None when the text there is not what the node says."""
    base = base_offset(page, src)
    if base is None:
        return None
    start, end = base + node.start_mark.index, base + node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and not _written_as(src.text[start:end], node):
        return None
    return start, end


def _written_as(text: str, node) -> bool:
    style = node.style or ""
    if style in ("'", '"'):
        return len(text) >= 2 and text[0] == text[-1] == style
    if style == "":
        return text == node.value or " " in text or "\n" in text or "\r" in text  # (a plain value may be folded)
    return False  # block scalars are not rewritten


@functools.lru_cache(maxsize=1024)
def render(style: str | None, value: str) -> str | None:
    """``value`` written as a YAML scalar of ``style`` (a plain value that would not read back as itself is single
    quoted); None for a style that is not rewritten here. Checked by reading it back."""
    style = style or ""
    if style == "'":
        text = "'" + value.replace("'", "''") + "'"
    elif style == '"':
        text = '"' + "".join(_escape(c) for c in value) + '"'
    elif style == "":
        text = value if _reads_back(value, value) else "'" + value.replace("'", "''") + "'"
    else:
        return None
    return text if _reads_back(text, value) else None


def _escape(c: str) -> str:
    if c in '"\\':
        return "\\" + c
    if c == "\n":
        return "\\n"
    if c == "\t":
        return "\\t"
    if ord(c) < 0x20 or c in "\x7f\x85\u2028\u2029":
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return c


def _reads_back(text: str, value: str) -> bool:
    if "\n" in text or "\r" in text:
        return False
    try:
        node = yaml.compose("k: " + text + "\n", Loader=_Loader)
    except yaml.YAMLError:
        return False
    v = node.value[0][1] if isinstance(node, yaml.MappingNode) and node.value else None
    return isinstance(v, yaml.ScalarNode) and v.tag == _STR and v.value == value


def replace_value(page: Page, path: tuple, value: str, src: Source | None = None) -> Edit | None:
    """An edit writing ``value`` at ``path`` in the style of the value there; None when it cannot be done safely
    (no such string value, a block scalar, text that is not where the node says)."""
    src = src or Source.of(page.text)
    node = node_at(page, path)
    return replace_node(page, node, value, src) if node is not None else None


def replace_node(page: Page, node, value: str, src: Source) -> Edit | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        return None
    where = span(page, src, node)
    text = render(node.style, value)
    if where is None or text is None:
        return None
    return src.edit(where[0], where[1], text)
