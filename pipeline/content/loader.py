"""Read pages from disk into the content model, once. Problems become values on the pages, never exceptions."""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path

from pipeline.content.frontmatter import FrontMatter, split
from pipeline.content.model import (
    FrameRef,
    GalleryEntry,
    ImageEntry,
    Include,
    Link,
    Page,
    Paragraph,
    Site,
    parse_frame_url,
)

PAGE_SUFFIXES = (".md", ".markdown")
ARTICLE_SUFFIXES = (".txt",)
MAX_PAGE_BYTES = 1_000_000
MAX_LINE_CHARS = 20_000  # longer lines are not scanned by body rules

_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target><[^>\n]*>|[^)\s]*)(?:\s+[\"'][^\"'\n]*[\"'])?\)")
_INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<name>[\w./-]+)(?P<params>[^%]*?)-?%\}")
_PARAM = re.compile(r"(?P<k>[\w-]+)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s%]+))")
_SUPPRESS = re.compile(r"lint-ignore\s*:?\s*(?P<codes>[A-Z]{2,4}\d{3}(?:\s*,\s*[A-Z]{2,4}\d{3})*)")
_LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}(?P<body>.*?)\{%-?\s*endcomment\s*-?%\}|\{%-?\s*#(?P<inline>[^%]*)%\}", re.S)
SUPPRESS_KEY = "lint-ignore"


def display_path(path: Path, root: Path | None = None) -> str:
    """``path`` as findings show it: relative to ``root`` (the project root; default: the working directory) when
    inside it, else absolute."""
    full = os.path.abspath(path)
    rel = os.path.relpath(full, os.path.abspath(root) if root is not None else os.getcwd())
    return full if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def discover(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Expand folders into page files (sorted); return (files, messages for paths that do not exist)."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_site")))
                for n in sorted(names):  # hidden files (an editor's, an atomic write's temporary) are no pages
                    if n.endswith(PAGE_SUFFIXES + ARTICLE_SUFFIXES) and not n.startswith("."):
                        files.append(Path(root) / n)
        elif p.is_file():
            files.append(p)
        else:
            missing.append(f"{p}: no such file or folder")
    seen: set = set()
    unique = []
    for f in files:
        key = os.path.normpath(str(f))
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing


def read_page(path: Path, *, article_roots: tuple[Path, ...] = (), max_bytes: int = MAX_PAGE_BYTES, root: Path | None = None) -> Page:
    """The page at ``path``, shown relative to ``root`` (see ``display_path``)."""
    display = display_path(path, root)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _unread(path, display, _too_big(size, max_bytes))
        raw = path.read_bytes()
    except OSError as e:
        return _unread(path, display, f"cannot read file: {e.strerror or e}")
    return page_from_bytes(path, raw, display, article_roots=article_roots, max_bytes=max_bytes)


def page_from_bytes(path: Path, raw: bytes, display: str, *, article_roots: tuple[Path, ...] = (), max_bytes: int = MAX_PAGE_BYTES) -> Page:
    """A page from its bytes (read from ``path``, or standing in for it, as from standard input)."""
    if len(raw) > max_bytes:
        return _unread(path, display, _too_big(len(raw), max_bytes))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        page = _unread(path, display, f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}); not read")
        page.load_error_line = before.count(b"\n") + 1
        page.load_error_column = e.start - (before.rfind(b"\n") + 1) + 1
        return page
    return parse_page(path, text, display=display, article=_is_article(path, article_roots))


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for a page; not read"


def _unread(path: Path, display: str, why: str) -> Page:
    page = Page(path, display, "", FrontMatter())
    page.load_error = why
    return page


def _is_article(path: Path, roots: tuple[Path, ...]) -> bool:
    if path.suffix in ARTICLE_SUFFIXES:
        return True
    rp = os.path.abspath(path)
    return any(rp.startswith(os.path.abspath(r) + os.sep) for r in roots)


def parse_page(path: Path, text: str, *, display: str | None = None, article: bool = False) -> Page:
    """A page from its text (``display``: as findings show it; default: relative to the working directory)."""
    fm = split(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    page = Page(path, display or display_path(path), text, fm, lines=text.splitlines(), is_article=article and not fm.present)
    _derive_front_matter(page)
    _derive_body(page)
    return page


def _s(v) -> str | None:
    return v if isinstance(v, str) else None


def _derive_front_matter(page: Page) -> None:
    data = page.data
    fm = page.fm
    gallery = data.get("gallery")
    if isinstance(gallery, list):
        where = fm.item_positions(("gallery",), "image_url")
        for i, item in enumerate(gallery):
            item = item if isinstance(item, dict) else {}
            url = _s(item.get("image_url"))
            frame: FrameRef | None = parse_frame_url(url) if url else None
            line, col = where[i] if i < len(where) else fm.pos(("gallery", i))
            page.gallery.append(GalleryEntry(i, url, _s(item.get("caption")), _s(item.get("title")), frame, line, col))
    images = data.get("images")
    if isinstance(images, list):
        where = fm.item_positions(("images",), "image_name")
        for i, item in enumerate(images):
            item = item if isinstance(item, dict) else {}
            line, col = where[i] if i < len(where) else fm.pos(("images", i))
            iid = item.get("image_id")
            page.images.append(
                ImageEntry(
                    i,
                    str(iid) if iid is not None else None,
                    _s(item.get("image_name")),
                    _s(item.get("image_title")),
                    _s(item.get("image_alt")),
                    line,
                    col,
                )
            )
    codes = data.get(SUPPRESS_KEY)
    if isinstance(codes, str):
        codes = [c.strip() for c in codes.split(",")]
    if isinstance(codes, list):
        for i, c in enumerate(codes):
            if isinstance(c, str) and c.strip():
                page.suppressions.setdefault(c.strip(), fm.pos((SUPPRESS_KEY, i)))


def _derive_body(page: Page) -> None:
    fm = page.fm
    body_lines = fm.body.splitlines()
    first = fm.body_line
    # Liquid comments may span lines: scan the body as a whole, then map offsets to lines.
    body = fm.body
    if "{%" in body:
        for m in _LIQUID_COMMENT.finditer(body):
            content = m.group("body") if m.group("body") is not None else m.group("inline")
            for sm in _SUPPRESS.finditer(content or ""):
                line = first + body.count("\n", 0, m.start())
                col = m.start() - (body.rfind("\n", 0, m.start()) + 1) + 1
                for code in re.split(r"\s*,\s*", sm.group("codes")):
                    page.suppressions.setdefault(code, (line, col))
    block: list[tuple[int, str]] = []
    lead = True
    in_comment = False

    def flush() -> None:
        nonlocal block
        if block:
            text = " ".join(t.strip() for _, t in block)
            page.paragraphs.append(Paragraph(text, block[0][0], block[-1][0], lead))
            block = []

    for i, line in enumerate(body_lines):
        lineno = first + i
        if len(line) > MAX_LINE_CHARS:
            flush()
            continue
        if "](" in line:
            for m in _LINK.finditer(line):
                target = m.group("target").strip("<>")
                page.links.append(Link(m.group("text"), target, lineno, m.start("target") + 1))
        if "{%" in line:
            for m in _INCLUDE.finditer(line):
                params = {}
                for pm in _PARAM.finditer(m.group("params")):
                    params[pm.group("k")] = next(v for v in (pm.group("dq"), pm.group("sq"), pm.group("bare")) if v is not None)
                page.includes.append(Include(m.group("name"), params, lineno, m.start() + 1))
        stripped = line.strip()
        if in_comment:
            if "endcomment" in stripped:
                in_comment = False
            continue
        if stripped.startswith("{%") and re.match(r"\{%-?\s*comment", stripped) and "endcomment" not in stripped:
            in_comment = True
            flush()
            continue
        if not stripped:
            flush()
            continue
        if _is_structure(stripped):
            flush()
            lead = False
            continue
        block.append((lineno, line))
    flush()


def _is_structure(s: str) -> bool:
    """Lines that are not description prose: lists, includes, headings, tables, HTML, the Back link, a lone link."""
    if s.startswith(("- ", "* ", "+ ", "{%", "{{", "#", "|", "<", ">", "```", "![")):
        return True
    if re.match(r"^\d+[.)]\s", s):
        return True
    if s.startswith("[") and _LINK.fullmatch(s):
        return True
    return False


def load_site(
    paths: list[Path],
    images_root: Path | None,
    *,
    article_roots: tuple[Path, ...] = (),
    max_bytes: int = MAX_PAGE_BYTES,
    context: list[Path] = (),
    root: Path | None = None,
    given: list[Page] = (),
) -> tuple[Site, list[str]]:
    """Load the pages under ``paths`` (shown relative to ``root``), and the ``given`` ones (already made, e.g. from
    standard input: they stand in for the files at their paths); pages under ``context`` that are not among them are
    loaded too, unreported, so that cross-page checks (links, duplicates, permalinks) see the whole site. The site
    is whole when ``context`` was given and held no other page."""
    # The model is long-lived and acyclic: collecting garbage while it grows only rescans it (it doubled
    # load time at 2,000 pages). Collect nothing during the load, then freeze what was loaded.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, images_root, article_roots, max_bytes, context, root, given)
    finally:
        if gc_enabled:
            gc.enable()
        gc.freeze()


def _load(paths, images_root, article_roots, max_bytes, context, root, given) -> tuple[Site, list[str]]:
    files, missing = discover(paths)
    pages = list(given) + [read_page(f, article_roots=article_roots, max_bytes=max_bytes, root=root) for f in files]
    whole = bool(context)
    if context:
        ctx_files, _ = discover(list(context))
        have = {os.path.realpath(f) for f in files} | {os.path.realpath(p.path) for p in given}
        extra = [f for f in ctx_files if os.path.realpath(f) not in have]
        whole = not extra
        for f in extra:
            page = read_page(f, article_roots=article_roots, max_bytes=max_bytes, root=root)
            page.reported = False
            pages.append(page)
    return Site(pages, images_root, whole_site=whole), missing
