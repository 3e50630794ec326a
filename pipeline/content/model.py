"""The content model: pages with their front matter, body and source positions, and the site they form.

Plain dataclasses; the loader (``pipeline.content.loader``) fills them, rules and the build plan read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from pipeline.content.frontmatter import FrontMatter

# 'muscles/png/Leg-Lateral-12.png' -> dir 'muscles/png', stem 'Leg-Lateral', number 12
_FRAME = re.compile(r"^(?P<dir>(?:.*/)?)(?P<stem>[^/]+?)-(?P<n>\d+)\.png$", re.IGNORECASE)


class FrameRef(NamedTuple):
    """A gallery ``image_url`` split into its sequence and orientation number (a tuple: one per render, made fast)."""

    url: str
    directory: str  # 'muscles/png' (no trailing slash)
    stem: str  # 'Leg-Lateral'
    number: int

    @property
    def sequence(self) -> str:
        return f"{self.directory}/{self.stem}" if self.directory else self.stem


def parse_frame_url(url: str) -> FrameRef | None:
    m = _FRAME.match(url)
    if not m:
        return None
    return FrameRef(url, m["dir"].rstrip("/"), m["stem"], int(m["n"]))


def gif_sequence(image_name: str) -> tuple[str, str]:
    """'muscles/gif/Leg-Lateral.gif' -> ('muscles/png', 'Leg-Lateral'): where the site keeps its frames."""
    p = PurePosixPath(image_name)
    parent = p.parent
    directory = str(parent.parent / "png") if parent.name == "gif" else str(parent)
    return directory.lstrip("/") if directory != "." else "", p.stem


def gif_name(directory: str, stem: str) -> str:
    """('muscles/png', 'Leg-Lateral') -> 'muscles/gif/Leg-Lateral.gif': the GIF ``gif_sequence`` maps back."""
    parent = PurePosixPath(directory)
    folder = parent.parent / "gif" if parent.name == "png" else parent
    return str(folder / f"{stem}.gif").lstrip("/") if str(folder) != "." else f"{stem}.gif"


def thumb_name(url: str) -> str:
    """The site's gallery template shows ``X-thumb.png`` for ``X.png``."""
    head, dot, ext = url.rpartition(".")
    if not dot or "/" in ext:
        return url + "-thumb"
    return f"{head}-thumb.{ext}"


@dataclass(frozen=True)
class GalleryEntry:
    index: int  # 0-based position in the gallery list
    url: str | None
    caption: str | None
    title: str | None
    frame: FrameRef | None
    line: int
    column: int


@dataclass(frozen=True)
class ImageEntry:
    index: int
    image_id: str | None
    name: str | None  # 'muscles/gif/Leg-Lateral.gif'
    title: str | None
    alt: str | None
    line: int
    column: int


@dataclass(frozen=True)
class Link:
    text: str
    target: str
    line: int
    column: int  # column of the target in the file line


@dataclass(frozen=True)
class Include:
    name: str  # 'page-image', 'gallery'
    params: dict
    line: int
    column: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # first line in the file
    end_line: int = 0  # last line in the file
    lead: bool = True  # part of the page's description (prose before the Back link, lists and includes)


@dataclass
class Page:
    path: Path  # on disk
    display: str  # as shown in findings
    text: str
    fm: FrontMatter
    lines: list[str] = field(default_factory=list)
    load_error: str | None = None  # unreadable / not UTF-8 / too big: a message, the page is otherwise empty
    load_error_line: int = 1
    load_error_column: int = 1
    is_article: bool = False  # plain Markdown/text without front matter expected
    reported: bool = True  # False: loaded only as context (other pages of the site) when linting some files

    # derived from front matter and body by the loader
    gallery: list[GalleryEntry] = field(default_factory=list)
    images: list[ImageEntry] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    suppressions: dict = field(default_factory=dict)  # code -> (line, column) where it was declared

    @property
    def data(self) -> dict:
        d = self.fm.data
        return d if isinstance(d, dict) else {}

    def field_str(self, key: str) -> str | None:
        v = self.data.get(key)
        return v if isinstance(v, str) else None

    @property
    def permalink(self) -> str | None:
        return self.field_str("permalink")

    @property
    def title(self) -> str | None:
        return self.field_str("title")

    @property
    def description(self) -> Paragraph | None:
        """The body's descriptive prose: the paragraphs before the Back link, joined."""
        lead = [p for p in self.paragraphs if p.lead]
        if not lead:
            return None
        return Paragraph(" ".join(p.text for p in lead), lead[0].line)

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""


@dataclass
class Site:
    pages: list[Page]
    images_root: Path | None  # None: file checks are skipped (--no-files)
    whole_site: bool = True  # every configured page is loaded (site-wide checks such as orphans are meaningful)

    def by_permalink(self) -> dict[str, list[Page]]:
        out: dict[str, list[Page]] = {}
        for p in self.pages:
            if p.permalink:
                out.setdefault(normalize_permalink(p.permalink), []).append(p)
        return out


def normalize_permalink(url: str) -> str:
    """'/muscle/leg/lateral' and '/muscle/leg/lateral/' name the same page; '#x' and '?y' are dropped."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if url.endswith("/index.html"):
        url = url[: -len("index.html")]
    if url.endswith(".html"):
        url = url[:-5]
    if not url.endswith("/"):
        url += "/"
    return url
