"""What every rule receives: the loaded site, the configuration and the (cached) image files, and what several
rules derive from the site, computed on first use by whichever rule asks first (so no rule depends on the order in
which the rules run)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from pipeline.config import Config
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Fix, Problem, Related, Severity
from pipeline.content.model import Page, Site

if TYPE_CHECKING:  # (the text state, and the word lists it loads, are imported only when a TXT rule asks)
    from pipeline.lint.schema import PageValidator
    from pipeline.lint.text.site import TextState


@dataclass
class Context:
    site: Site
    config: Config
    files: ImageFiles | None  # None with --no-files
    validator: PageValidator | None = None
    memo: dict = field(default_factory=dict, repr=False)  # per run: what a helper works out once for several rules


    @cached_property
    def permalinks(self) -> dict[str, list[Page]]:
        """Normalised permalink -> the pages declaring it, in site order (``Site.by_permalink``)."""
        return self.site.by_permalink()

    @cached_property
    def text(self) -> TextState:
        """The TXT rules' shared state (subjects and descriptions, the speller, body prose per page)."""
        from pipeline.lint.text.site import TextState

        return TextState(self.site, self.config)


def at(
    page: Page,
    line: int,
    column: int,
    message: str,
    related: tuple[Related, ...] = (),
    json_path: str | None = None,
    severity: Severity | None = None,
    blocks_build: bool = True,
    fix: Fix | None = None,
) -> Problem:
    return Problem(page.display, line, column, message, related, json_path, severity, blocks_build, fix)


def ok_pages(ctx: Context):
    """Pages whose front matter was read (rules about content skip the unreadable ones: FM001 covers them)."""
    for p in ctx.site.pages:
        if p.load_error is None and isinstance(p.fm.data, dict):
            yield p


def png_info(ctx: Context, url: str | None):
    """The PNG header of a safe, existing reference (read once per run by the images root), or None."""
    return ctx.files.header(url) if ctx.files is not None else None
