"""Linting part of the site (the files a commit changes): which given files are the site's, the rest of the site as
context, and the cross-page findings of context pages shown on the given pages they involve.

A run over some files loads the rest of the configured site (``Config.site_roots``) unreported, so that the
cross-page rules (FM004, TXT001, TXT002, TXT005, TXT008) judge them against the whole site, and IMG006 (orphans)
stays silent: the site is not whole. A finding those rules place on a context page is shown on each reported page
it names in ``related`` (``onto_reported``), so a change that breaks another page is reported where it was made.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.config import Config
from pipeline.content.findings import Finding, Related
from pipeline.content.model import Page


def _under(path: Path, roots: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r + os.sep) for r in roots)


def _real_roots(config: Config) -> list[str]:
    return [os.path.realpath(r) for r in config.site_roots]


def site_files(paths: list[Path], config: Config) -> list[Path]:
    """The given paths that lie under the configured ``pages`` or ``articles`` (what the pre-commit hook lints)."""
    roots = _real_roots(config)
    return [p for p in paths if _under(p, roots)]


def context_roots(paths: list[Path], config: Config) -> list[Path]:
    """The configured site, when some of ``paths`` lie in it: its other pages are the context of a partial run."""
    roots = _real_roots(config)
    if not any(_under(p, roots) for p in paths):
        return []
    return [r for r in config.site_roots if r.exists()]


def onto_reported(hidden: list[Finding], kept: list[Finding], pages: dict[str, Page]) -> list[Finding]:
    """Findings on context pages (``hidden``), shown on each reported page they name in ``related``, unless that
    page already has a finding of the same rule naming the context page (TXT002 and swapped TXT001 report both)."""
    already = {(f.code, f.path, r.path) for f in kept for r in f.related}
    out: list[Finding] = []
    for f in hidden:
        for r in f.related:
            page = pages.get(r.path)
            if page is None or not page.reported or r.path == f.path or (f.code, r.path, f.path) in already:
                continue
            message = f"{f.path}:{f.line} reports: {f.message} (here: {r.message})"
            out.append(Finding(f.code, f.severity, r.path, r.line, 1, message, (Related(f.path, f.line, "reported there"),)))
    return out
