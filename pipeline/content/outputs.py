"""Which build outputs a page claims: the one place that says it (the build plans from it, FM004 checks it).

A page claims an animation for each ``images`` entry naming a GIF (its MP4 and WebM sit beside it, named after
it) and a thumbnail for each gallery render (``thumb_name``). Every output file is named after one of these
sources, so two pages clash exactly when they claim the same source.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.content.model import GalleryEntry, ImageEntry, Page


@dataclass(frozen=True)
class Claims:
    animations: tuple[ImageEntry, ...]  # images entries naming a GIF, in page order
    frames: tuple[GalleryEntry, ...]  # gallery entries naming a render, in gallery order


def claims(page: Page) -> Claims:
    return Claims(
        tuple(im for im in page.images if im.name and im.name.endswith(".gif")),
        tuple(g for g in page.gallery if g.url),
    )
