"""The build plan: which outputs each page asks for, and from which frames. Pure: reads the model only.

One *unit* per animation: its frames are decoded once and give the GIF, the MP4 and WebM beside it,
and one thumbnail per frame. Paths are POSIX, relative to the images root (inputs) and to ``out`` (outputs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.model import Page, Site, thumb_name


@dataclass(frozen=True)
class Output:
    kind: str  # 'gif' | 'mp4' | 'webm' | 'thumb'
    path: str  # relative to out
    frames: tuple[int, ...]  # indexes into the unit's frames that this output reads


@dataclass(frozen=True)
class Unit:
    page: str  # display path of the page that asks for it
    line: int  # line of the images entry (or gallery) in that page
    name: str  # 'muscles/gif/Leg-Lateral.gif'
    frames: tuple[str, ...]  # gallery image_urls, in gallery order
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Skipped:
    page: str
    line: int
    reason: str


def _stem(url: str) -> str:
    name = PurePosixPath(url).name
    base = name.rsplit(".", 1)[0]
    return base.rsplit("-", 1)[0] if "-" in base else base


def units_for_page(page: Page, *, video: bool = True) -> tuple[list[Unit], list[Skipped]]:
    frames = [g.url for g in page.gallery if g.url]
    gifs = [im for im in page.images if im.name and im.name.endswith(".gif")]
    units: list[Unit] = []
    skipped: list[Skipped] = []
    if not frames:
        if gifs:
            skipped.append(Skipped(page.display, gifs[0].line, "no gallery frames to build the animation from"))
        return units, skipped
    if not gifs:
        # thumbnails only
        thumbs = tuple(Output("thumb", thumb_name(u), (i,)) for i, u in enumerate(frames))
        units.append(Unit(page.display, page.gallery[0].line, "", tuple(frames), thumbs))
        return units, skipped
    for n, im in enumerate(gifs):
        own = [u for u in frames if _stem(u) == PurePosixPath(im.name).stem]
        use = own if own else (frames if len(gifs) == 1 else [])
        if not use:
            skipped.append(Skipped(page.display, im.line, f"no gallery frames named like '{PurePosixPath(im.name).stem}-N.png' for {im.name}"))
            continue
        idx = tuple(range(len(use)))
        outs = [Output("gif", im.name, idx)]
        if video:
            base = im.name[: -len(".gif")]
            outs += [Output("mp4", base + ".mp4", idx), Output("webm", base + ".webm", idx)]
        # thumbnails belong to the first unit that reads the frame
        outs += [Output("thumb", thumb_name(u), (i,)) for i, u in enumerate(use)]
        units.append(Unit(page.display, im.line, im.name, tuple(use), tuple(outs)))
    return units, skipped


def plan_site(site: Site, *, skip_pages: set[str] = frozenset(), video: bool = True) -> tuple[list[Unit], list[Skipped]]:
    """All units of the site; outputs claimed twice are built once (FM004 reports the clash)."""
    units: list[Unit] = []
    skipped: list[Skipped] = []
    claimed: set[str] = set()
    for page in site.pages:
        if page.display in skip_pages or page.is_article or not isinstance(page.fm.data, dict):
            continue
        us, sk = units_for_page(page, video=video)
        skipped += sk
        for u in us:
            outs = tuple(o for o in u.outputs if o.path not in claimed)
            claimed.update(o.path for o in outs)
            if outs:
                units.append(Unit(u.page, u.line, u.name, u.frames, outs))
    units.sort(key=lambda u: (u.name or u.frames[0], u.page))
    return units, skipped
