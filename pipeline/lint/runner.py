"""The lint runner: load once, run the selected rules, stamp code and severity, apply suppressions, sort."""

from __future__ import annotations

import fnmatch
import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.lint import rules as rule_registry
from pipeline.config import Config, ConfigError
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Finding, Severity
from pipeline.content.loader import load_site
from pipeline.content.model import Site
from pipeline.lint.rules.context import Context
from pipeline.lint.schema import SchemaError, load_validator


@dataclass
class LintOptions:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    check_files: bool = True
    strict: bool = False


@dataclass
class LintResult:
    findings: list[Finding]
    pages: int
    rules: list[str]
    seconds: float
    strict: bool = False
    suppressed: int = 0
    site: Site | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def exit_code(self) -> int:
        if self.errors or (self.strict and self.warnings):
            return 1
        return 0

    def summary(self) -> dict:
        by_code: dict[str, int] = {}
        for f in self.findings:
            by_code[f.code] = by_code.get(f.code, 0) + 1
        return {
            "pages": self.pages,
            "findings": len(self.findings),
            "errors": self.errors,
            "warnings": self.warnings,
            "suppressed": self.suppressed,
            "by_code": dict(sorted(by_code.items())),
            "rules": self.rules,
            "exit_code": self.exit_code,
        }


def expand_codes(patterns: list[str], what: str) -> set[str]:
    """Codes or prefixes ('TXT', 'IMG00') -> set of known codes; an unknown one is a usage error."""
    known = rule_registry.codes()
    out: set[str] = set()
    for pat in patterns:
        pat = pat.strip().upper()
        if not pat:
            continue
        hit = {c for c in known if c.startswith(pat)}
        if not hit:
            raise ConfigError(f"{what}: unknown rule code or prefix {pat!r} (known: {', '.join(known)})")
        out |= hit
    return out


def selected_rules(config: Config, opts: LintOptions) -> list[str]:
    select = opts.select or config.lint.select
    chosen = expand_codes(select, "--select") if select else set(rule_registry.codes())
    chosen -= expand_codes(config.lint.ignore, "[tool.pipeline.lint] ignore")
    chosen -= expand_codes(opts.ignore, "--ignore")
    expand_codes(list(config.lint.severity), "[tool.pipeline.lint] severity")
    for glob, codes in config.lint.per_path_ignores.items():
        expand_codes(codes, f"[tool.pipeline.lint] per-path-ignores {glob!r}")
    if not opts.check_files:
        chosen = {c for c in chosen if not rule_registry.get(c).NEEDS_FILES}
    return sorted(chosen)


def make_context(site: Site, config: Config, *, check_files: bool = True, files: ImageFiles | None = None) -> Context:
    try:
        validator = load_validator(str(config.schema) if config.schema else None)
    except SchemaError as e:
        raise ConfigError(str(e)) from None
    if not (check_files and site.images_root is not None):
        files = None
    elif files is None:
        files = ImageFiles(config.images, config.encode.max_pixels)
    return Context(site, config, files, validator)


def stamp(code: str, config: Config, problems) -> list[Finding]:
    mod = rule_registry.get(code)
    configured = config.lint.severity.get(code)
    return [Finding.from_problem(code, configured or p.severity or mod.SEVERITY, p) for p in problems]


def run_rules(ctx: Context, codes: list[str]) -> list[Finding]:
    """The rules' findings. Cyclic garbage collection waits until they are done: the rules make many small
    acyclic objects (reference counting frees them), and collections would only rescan what they keep."""
    out: list[Finding] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for code in codes:
            mod = rule_registry.get(code)
            if not getattr(mod, "AFTER", False):
                out += stamp(code, ctx.config, mod.check(ctx))
    finally:
        if collecting:
            gc.enable()
    return out


def _path_ignored(display: str, code: str, per_path: dict[str, list[str]]) -> bool:
    for glob, codes in per_path.items():
        if fnmatch.fnmatch(display, glob) or fnmatch.fnmatch(Path(display).as_posix(), glob):
            if any(code.startswith(c.upper()) for c in codes):
                return True
    return False


def lint_site(site: Site, config: Config, opts: LintOptions, started: float | None = None) -> LintResult:
    started = time.perf_counter() if started is None else started
    codes = selected_rules(config, opts)
    ctx = make_context(site, config, check_files=opts.check_files)
    raw = run_rules(ctx, codes)
    pages = {p.display: p for p in site.pages}
    used: dict[str, set[str]] = {}
    suppressed = 0

    def keep(f: Finding) -> bool:
        nonlocal suppressed
        page = pages.get(f.path)
        if page is not None and not page.reported:
            return False
        if page is not None:
            hit = [c for c in page.suppressions if f.code.startswith(c)]
            if hit:
                used.setdefault(page.display, set()).add(f.code)
                suppressed += 1
                return False
        if _path_ignored(f.path, f.code, config.lint.per_path_ignores):
            suppressed += 1
            return False
        return True

    kept = [f for f in raw if keep(f)]
    for code in codes:
        mod = rule_registry.get(code)
        if getattr(mod, "AFTER", False):
            kept += [f for f in stamp(code, config, mod.check_after(ctx, codes, used)) if keep(f)]
    kept = sorted(set(kept), key=Finding.sort_key)
    return LintResult(kept, sum(1 for p in site.pages if p.reported), codes, time.perf_counter() - started, strict=opts.strict or config.lint.strict, suppressed=suppressed, site=site)


def _context_roots(paths: list[Path], roots: list[Path]) -> list[Path]:
    """Configured page roots that hold some of the given paths: their other pages give cross-page context."""
    out = []
    for root in roots:
        r = os.path.realpath(root)
        if root.exists() and any(os.path.realpath(p) == r or os.path.realpath(p).startswith(r + os.sep) for p in paths):
            out.append(root)
    return out


def lint_paths(paths: list[Path], config: Config, opts: LintOptions) -> tuple[LintResult, list[str]]:
    started = time.perf_counter()
    selected_rules(config, opts)  # configuration errors before any reading
    if opts.check_files and not config.images.is_dir():
        raise ConfigError(f"images root {config.images} is not a folder (set --images DIR, or --no-files to skip file checks)")
    site, missing = load_site(
        paths,
        config.images if opts.check_files else None,
        article_roots=tuple(config.articles),
        max_bytes=config.max_page_bytes,
        context=_context_roots(paths, config.pages),
    )
    return lint_site(site, config, opts, started), missing
