"""The build plan: which outputs each page asks for, and from which frames. Pure: reads the model only.

One *unit* per animation: its frames are decoded once and give one output of each enabled per-animation kind
(the GIF, the MP4 and WebM beside it) and one of each per-frame kind for each frame (a thumbnail): the kinds and
how their outputs are named come from the registry, ``pipeline.encode.kinds``. Paths are POSIX, relative to the images root (inputs) and to ``out`` (outputs).

A page's plan (``PagePlan``) depends on the page alone, so the build caches it by the page's bytes and
only parses pages that changed; ``combine`` then merges the page plans of the whole site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePosixPath
from typing import Sequence

from pipeline.content.findings import Finding
from pipeline.content.model import Page
from pipeline.content.outputs import claims
from pipeline.encode import kinds as kind_registry
from pipeline.encode.kinds import OutputKind, Per


@dataclass(frozen=True)
class Output:
    kind: str  # a registered kind's name: 'gif' | 'mp4' | 'webm' | 'thumb' | ...
    path: str  # relative to out
    frames: tuple[int, ...]  # indexes into the unit's frames that this output reads


@dataclass(frozen=True)
class Unit:
    page: str  # display path of the page that asks for it
    line: int  # line of the images entry (or gallery) in that page
    name: str  # 'muscles/gif/Leg-Lateral.gif'
    frames: tuple[str, ...]  # gallery image_urls, in gallery order
    outputs: tuple[Output, ...]
    frame_lines: tuple[int, ...] = ()  # line of each frame's gallery entry

    def frame_line(self, i: int) -> int:
        return self.frame_lines[i] if i < len(self.frame_lines) else self.line

    @property
    def label(self) -> str:
        """Short name for logs: the animation, or the first frame for thumbnail-only units."""
        return self.name or self.frames[0]

    def to_json(self) -> list:
        return [self.page, self.line, self.name, list(self.frames), [[o.kind, o.path, list(o.frames)] for o in self.outputs], list(self.frame_lines)]

    @classmethod
    def from_json(cls, v: list) -> "Unit":
        page, line, name, frames, outs, lines = v
        return cls(page, line, name, tuple(frames), tuple(Output(k, p, tuple(f)) for k, p, f in outs), tuple(lines))


@dataclass(frozen=True)
class Skipped:
    page: str
    line: int
    reason: str


class PlanStatus(Enum):
    OK = "ok"  # units and skips below
    NONE = "none"  # an article, or no front matter: nothing to build
    BROKEN = "broken"  # the page could not be read or its front matter could not be parsed


@dataclass(frozen=True)
class PagePlan:
    """What one page asks the build for.

    ``status``: see ``PlanStatus``; a broken page says why (``reason``) at ``line``. The outputs a broken page had
    before are kept as they are until it is fixed.

    ``problems``: findings of the rules that guard build inputs (``pipeline.lint.inputs.BuildInputCheck``, handed to the build); a page
    with any builds nothing and keeps its previous outputs. Set by the build after checking, not serialised here.
    """

    page: str
    status: PlanStatus
    units: tuple[Unit, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    reason: str = ""
    line: int = 1
    problems: tuple[Finding, ...] = field(default=(), compare=False)

    def to_json(self) -> dict:
        return {
            "page": self.page,
            "status": self.status.value,
            "units": [u.to_json() for u in self.units],
            "skipped": [[s.page, s.line, s.reason] for s in self.skipped],
            "reason": self.reason,
            "line": self.line,
        }

    @classmethod
    def from_json(cls, d: dict) -> "PagePlan":
        return cls(
            d["page"],
            PlanStatus(d["status"]),
            tuple(Unit.from_json(u) for u in d["units"]),
            tuple(Skipped(*s) for s in d["skipped"]),
            d["reason"],
            d["line"],
        )


@dataclass
class SitePlan:
    units: list[Unit] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    broken: list[PagePlan] = field(default_factory=list)  # pages not read; their old outputs are kept
    blocked: list[PagePlan] = field(default_factory=list)  # pages whose inputs have problems; their old outputs are kept
    pages: list[str] = field(default_factory=list)  # every page considered (display paths)


def _stem(url: str) -> str:
    name = PurePosixPath(url).name
    base = name.rsplit(".", 1)[0]
    return base.rsplit("-", 1)[0] if "-" in base else base


def _outputs(kinds: Sequence[OutputKind], name: str, frames: Sequence[str]) -> tuple[Output, ...]:
    """A unit's outputs: one per per-animation kind (when ``name``), then one per frame of each per-frame kind
    (thumbnails belong to the first unit that reads the frame)."""
    idx = tuple(range(len(frames)))
    outs = [Output(k.name, k.output_name(name), idx) for k in kinds if k.per is Per.ANIMATION and name]
    outs += [Output(k.name, k.output_name(u), (i,)) for k in kinds if k.per is Per.FRAME for i, u in enumerate(frames)]
    return tuple(outs)


def units_for_page(page: Page, kinds: Sequence[OutputKind]) -> tuple[list[Unit], list[Skipped]]:
    claimed = claims(page)
    frames = [g.url for g in claimed.frames]
    line_of: dict[str, int] = {}
    for g in claimed.frames:
        line_of.setdefault(g.url, g.line)
    gifs = list(claimed.animations)
    units: list[Unit] = []
    skipped: list[Skipped] = []
    if not frames:
        if gifs:
            skipped.append(Skipped(page.display, gifs[0].line, "no gallery frames to build the animation from"))
        return units, skipped
    if not gifs:  # thumbnails only
        units.append(Unit(page.display, page.gallery[0].line, "", tuple(frames), _outputs(kinds, "", frames), tuple(line_of[u] for u in frames)))
        return units, skipped
    used: set[str] = set()
    for im in gifs:
        own = [u for u in frames if _stem(u) == PurePosixPath(im.name).stem]
        use = own if own else (frames if len(gifs) == 1 else [])
        if not use:
            skipped.append(Skipped(page.display, im.line, f"no gallery frames named like '{PurePosixPath(im.name).stem}-N.png' for {im.name}"))
            continue
        units.append(Unit(page.display, im.line, im.name, tuple(use), _outputs(kinds, im.name, use), tuple(line_of[u] for u in use)))
        used.update(use)
    rest = list(dict.fromkeys(u for u in frames if u not in used))
    if rest:  # gallery frames of no animation still get the thumbnail the gallery shows
        units.append(Unit(page.display, line_of[rest[0]], "", tuple(rest), _outputs(kinds, "", rest), tuple(line_of[u] for u in rest)))
    return units, skipped


def page_plan(page: Page, kinds: Sequence[OutputKind] | None = None) -> PagePlan:
    """The plan of one page, for ``kinds`` (default: every registered kind)."""
    kinds = kind_registry.registered() if kinds is None else tuple(kinds)
    if page.load_error:
        return PagePlan(page.display, PlanStatus.BROKEN, reason=page.load_error, line=page.load_error_line)
    if page.is_article:
        return PagePlan(page.display, PlanStatus.NONE)
    syntax = [i for i in page.fm.issues if i.kind in ("syntax", "unsupported")]
    if syntax:
        return PagePlan(page.display, PlanStatus.BROKEN, reason=f"front matter not read: {syntax[0].message}", line=syntax[0].line)
    if not isinstance(page.fm.data, dict):
        if page.fm.present and page.fm.data is not None:
            return PagePlan(page.display, PlanStatus.BROKEN, reason="front matter is not a mapping of keys to values", line=page.fm.start_line or 1)
        return PagePlan(page.display, PlanStatus.NONE)
    units, skipped = units_for_page(page, kinds)
    return PagePlan(page.display, PlanStatus.OK, tuple(units), tuple(skipped))


def combine(plans: list[PagePlan]) -> SitePlan:
    """Merge page plans; an output claimed by two pages is built once, for the first (FM004 reports the clash)."""
    site = SitePlan()
    claimed: set[str] = set()
    for pp in plans:
        site.pages.append(pp.page)
        if pp.problems:
            site.blocked.append(pp)
            continue
        if pp.status is PlanStatus.BROKEN:
            site.broken.append(pp)
            continue
        site.skipped += pp.skipped
        for u in pp.units:
            outs = tuple(o for o in u.outputs if o.path not in claimed)
            claimed.update(o.path for o in outs)
            if outs:
                site.units.append(Unit(u.page, u.line, u.name, u.frames, outs, u.frame_lines))
    site.units.sort(key=lambda u: (u.label, u.page))
    return site
