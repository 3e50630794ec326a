"""What every rule receives: the loaded site, the configuration and the (cached) image files."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import Config
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Problem, Related, Severity
from pipeline.content.model import Page, Site


@dataclass
class Context:
    site: Site
    config: Config
    files: ImageFiles | None  # None with --no-files
    validator: object = None
    shared: dict = field(default_factory=dict)  # values computed once and read by several rules


def at(
    page: Page,
    line: int,
    column: int,
    message: str,
    related: tuple[Related, ...] = (),
    json_path: str | None = None,
    severity: Severity | None = None,
    blocks_build: bool = True,
) -> Problem:
    return Problem(page.display, line, column, message, related, json_path, severity, blocks_build)


def ok_pages(ctx: Context):
    """Pages whose front matter was read (rules about content skip the unreadable ones: FM001 covers them)."""
    for p in ctx.site.pages:
        if p.load_error is None and isinstance(p.fm.data, dict):
            yield p


def png_info(ctx: Context, url: str | None):
    """The PNG header of a safe, existing reference (read once per run by the images root), or None."""
    return ctx.files.header(url) if ctx.files is not None else None
