"""What a review shows: each sequence's outputs as the last build left them, its findings, and what that build changed.

Pure of HTML: ``collect`` reads the build's plan of each page (the same naming the build uses), its recorded state
(``pipeline.build.state``: the manifest says which outputs exist and their hashes) and the record of replaced
animations (``pipeline.build.previous``), and gives ``Sequence`` values with the files to place in the review.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.build.fingerprint import frames_digest, hash_file
from pipeline.build.plan import PlanStatus, Unit, page_plan
from pipeline.build.previous import Changes, read_changes
from pipeline.build.state import read_state
from pipeline.config import Config
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Finding
from pipeline.content.model import Page
from pipeline.encode import kinds as kind_registry

MEDIA = "media"  # the build's outputs, at their paths under the output folder
PREVIOUS = "previous"  # previous GIFs
RENDERS = "renders"  # the full gallery renders the thumbnails link to
VIDEO_TYPES = {".webm": "video/webm", ".mp4": "video/mp4"}


@dataclass(frozen=True)
class Media:
    """A file placed in the review folder: ``source`` on disk, ``name`` (POSIX) inside the review."""

    source: Path
    name: str


@dataclass(frozen=True)
class Orientation:
    number: int  # its position in the gallery, from 1
    caption: str
    thumb: Media | None  # the build's thumbnail
    full: Media | None  # the render itself


@dataclass
class Sequence:
    page: str  # display path of its page
    title: str
    permalink: str
    animation: str  # 'muscles/gif/Leg-Lateral.gif'; '' for gallery renders of no animation
    gif: Media | None = None
    videos: list[Media] = field(default_factory=list)
    previous: Media | None = None  # the GIF the last build replaced
    changed: bool = False  # created or replaced by the last build that changed animations
    created: bool = False  # ... created: it had no GIF before
    orientations: list[Orientation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # outputs the plan names that are not built
    stale: str = ""  # why the GIF shown is not made from the renders on disk now (re-rendered, not built again)

    def media(self) -> list[Media]:
        files = [m for m in (self.gif, self.previous) if m] + self.videos
        for o in self.orientations:
            files += [m for m in (o.thumb, o.full) if m]
        return files


@dataclass
class Review:
    out: str  # the build's output folder, as shown
    sequences: list[Sequence]
    other_findings: list[Finding]  # findings on pages without a sequence in the review (whole review only)
    changed_only: bool
    builds_recorded: int  # how many builds changed animations (0: no record yet)
    built: bool  # the output folder has a recorded build

    def media(self) -> list[Media]:
        seen: dict[str, Media] = {}
        for s in self.sequences:
            for m in s.media():
                seen.setdefault(m.name, m)
        return [seen[k] for k in sorted(seen)]


def _inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` when ``rel`` is a plain relative path that stays inside ``root`` and names a file."""
    if not rel or rel.startswith("/") or "\\" in rel or ".." in PurePosixPath(rel).parts:
        return None
    p = root / rel
    return p if p.is_file() else None


class _Collector:
    def __init__(self, cfg: Config, findings: list[Finding]) -> None:
        self.cfg = cfg
        self.out = Path(os.path.abspath(cfg.out))
        self.kinds = kind_registry.enabled(cfg.encode)
        self.images = ImageFiles.of(cfg)
        state = read_state(cfg.root, cfg.out)
        try:
            self.manifest = dict(state.manifest.outputs)
            self.hashes = state.cache  # the frames' content hashes the last build recorded, by stat
            self.changes: Changes = read_changes(state.folder)
        finally:
            state.close()
        self.by_page: dict[str, list[Finding]] = {}
        for f in findings:
            self.by_page.setdefault(f.path, []).append(f)

    def output(self, rel: str, folder: str) -> Media | None:
        """A built output, when the manifest records it and it is there (an output not recorded may be half a
        hand-made copy; one recorded but gone is shown missing)."""
        if rel not in self.manifest:
            return None
        p = _inside(self.out, rel)
        return Media(p, f"{folder}/{rel}") if p else None

    def stale(self, unit: Unit, gif: str) -> str:
        """Why the recorded GIF was not made from the unit's frames as they are now ('' when it was): the frames'
        hashes (from the stat cache, or read when a render changed since) against the manifest's ``frames``."""
        hashes = []
        for url in unit.frames:
            r = self.images.resolve(url, stat=True)
            if r.file is None:
                return f"render {url} {r.unsafe or r.missing}"
            path = os.path.abspath(r.file)
            h = self.hashes.lookup(path, r.stat)
            if h is None:
                try:
                    h = hash_file(path)[0]
                except OSError as e:
                    return f"render {url} cannot be read: {e.strerror or e}"
            hashes.append(h)
        if frames_digest(hashes) != self.manifest[gif]["frames"]:
            return "the renders changed since the last build"
        return ""

    def sequence(self, page: Page, unit: Unit) -> Sequence:
        s = Sequence(page.display, page.title or page.display, page.permalink or "", unit.name)
        s.findings = sorted(self.by_page.get(page.display, []), key=lambda f: (f.line, f.column, f.code, f.message))
        for o in (o for o in unit.outputs if o.kind == "gif"):
            s.gif = self.output(o.path, MEDIA)
            s.missing += [] if s.gif else [o.path]
            s.changed = self.changes.changed_by_last(o.path, (self.manifest.get(o.path) or {}).get("sha256"))
            s.created = s.changed and not (self.changes.animations[o.path].get("previous"))
            prev = self.changes.previous_file(o.path) if s.changed else None
            s.previous = Media(prev, f"{PREVIOUS}/{o.path}") if prev else None
            s.stale = self.stale(unit, o.path) if s.gif else ""
        order = list(VIDEO_TYPES)  # WebM first, as the site's template offers them
        videos = [o for o in unit.outputs if o.kind != "gif" and Path(o.path).suffix in VIDEO_TYPES]
        for o in sorted(videos, key=lambda o: order.index(Path(o.path).suffix)):
            m = self.output(o.path, MEDIA)
            s.videos += [m] if m else []
            s.missing += [] if m else [o.path]
        thumbs = {o.frames[0]: o.path for o in unit.outputs if o.kind == "thumb"}
        captions = {g.url: g.caption or g.title or "" for g in page.gallery if g.url}
        for i, url in enumerate(unit.frames):
            thumb = self.output(thumbs[i], MEDIA) if i in thumbs else None
            if i in thumbs and thumb is None:
                s.missing.append(thumbs[i])
            r = self.images.resolve(url)  # safe: a reference leaving the images root is never opened
            full = Media(Path(os.path.abspath(r.file)), f"{RENDERS}/{url}") if r.file is not None and os.path.isfile(r.file) else None
            s.orientations.append(Orientation(i + 1, captions.get(url, ""), thumb, full))
        return s


def collect(cfg: Config, pages: list[Page], findings: list[Finding], *, changed_only: bool = False) -> Review:
    """The review of ``pages`` (loaded once, by lint) with lint's ``findings``: every sequence, or only those the
    last build that changed animations created or replaced and those whose renders changed since (stale)."""
    c = _Collector(cfg, findings)
    sequences: list[Sequence] = []
    shown: set[str] = set()
    for page in sorted(pages, key=lambda p: p.display):
        plan = page_plan(page, c.kinds)
        if plan.status is not PlanStatus.OK:
            continue
        for unit in plan.units:
            s = c.sequence(page, unit)
            if changed_only and not (s.changed or s.stale):
                continue
            sequences.append(s)
            shown.add(page.display)
    other = [] if changed_only else sorted(
        (f for f in findings if f.path not in shown), key=lambda f: (f.path, f.line, f.column, f.code, f.message)
    )
    return Review(cfg.show(cfg.out), sequences, other, changed_only, c.changes.build, bool(c.manifest))
