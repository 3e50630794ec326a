"""The checks ``pipeline build`` runs on what it reads: lint's rules that guard build inputs (``BUILD_INPUT``).

The build does not import the linter; its caller hands it a ``BuildInputCheck``. The build keeps each page's
findings with the page's record, and asks ``context()`` what they depend on besides the page and its files (the
rules' code, the schema, the settings they read), so a change there checks every page again.
"""

from __future__ import annotations

import hashlib
import inspect
from pathlib import Path

from pipeline.config import Config
from pipeline.content import files as files_mod
from pipeline.content import findings, frontmatter, model, outputs, png
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Finding
from pipeline.content.model import Page, Site
from pipeline.lint import rules as rule_registry
from pipeline.lint import schema
from pipeline.lint.rules import context as rule_context


def build_input_codes() -> list[str]:
    return [c for c in rule_registry.codes() if getattr(rule_registry.get(c), "BUILD_INPUT", False)]


class BuildInputCheck:
    """What keeps the build from building a page: the findings of the ``BUILD_INPUT`` rules, with
    ``blocks_build``. Lint's selection, severities and suppressions play no part: an animation is never built from
    a gallery these rules reject."""

    # the code the findings depend on (besides the rule modules themselves): named by import, so a module that is
    # renamed or moved fails here instead of leaving stale findings in the build's cache
    MODULES = (files_mod, findings, frontmatter, model, outputs, png, schema, rule_context)

    def __init__(self, config: Config) -> None:
        self.config = config

    def context(self) -> str:
        h = hashlib.sha256(f"{self.config.encode.max_pixels}|".encode())
        for m in self.MODULES + tuple(rule_registry.get(c) for c in build_input_codes()):
            h.update(m.__name__.encode() + b"\0" + Path(inspect.getsourcefile(m)).read_bytes())
        try:
            h.update(Path(self.config.schema or schema.default_schema()).read_bytes())
        except OSError:
            pass  # reported when the schema is loaded
        return h.hexdigest()

    def check(self, pages: list[Page], files: ImageFiles) -> dict[str, list[Finding]]:
        """Findings by page display path, for the pages that have any."""
        from pipeline.lint.runner import make_context, stamp

        site = Site(list(pages), self.config.images, whole_site=False)
        ctx = make_context(site, self.config, check_files=True, files=files)
        out: dict[str, list[Finding]] = {}
        for code in build_input_codes():
            blocking = [p for p in rule_registry.get(code).check(ctx) if p.blocks_build]
            for f in stamp(code, self.config, blocking):
                out.setdefault(f.path, []).append(f)
        return {path: sorted(set(fs), key=Finding.sort_key) for path, fs in out.items()}
