"""Fixes of text findings, built for the rules that report them: a front matter value set to what it should be
(TXT006's image_title and image_alt), a DOI given its missing ``10.`` (TXT004), and repeated, misspelt or
run-together words (TXT003). Each helper returns a ``Fix`` or None, so a rule attaches it with ``fix=...``."""

from __future__ import annotations

import re

from pipeline.content.findings import Fix
from pipeline.content.model import Page
from pipeline.lint.fix.scalars import replace_value
from pipeline.lint.fix.source import Source


def value_fix(page: Page, path: tuple, value: str, message: str, *, safe: bool = True) -> Fix | None:
    """Set the front matter string at ``path`` to ``value``, in the quoting style it has."""
    edit = replace_value(page, path, value)
    return Fix(message, (edit,), safe) if edit is not None else None
