"""The lint runner: load once, run the selected rules, stamp code and severity, apply suppressions, sort."""

from __future__ import annotations

import fnmatch
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import rules as rule_registry
from pipeline.config import Config, ConfigError
from pipeline.files import ImageFiles
from pipeline.findings import Finding, Severity
from pipeline.loader import load_site
from pipeline.model import Site
from pipeline.rules.context import Context
from pipeline.schema import SchemaError, load_validator


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


def run_rules(site: Site, config: Config, codes: list[str], *, check_files: bool = True) -> list[Finding]:
    try:
        validator = load_validator(str(config.schema) if config.schema else None)
    except SchemaError as e:
        raise ConfigError(str(e)) from None
    files = ImageFiles(config.images) if (check_files and site.images_root is not None) else None
    ctx = Context(site, config, files, validator)
    out: list[Finding] = []
    for code in codes:
        mod = rule_registry.get(code)
        severity = config.lint.severity.get(code, mod.SEVERITY)
        for p in mod.check(ctx):
            out.append(Finding.from_problem(code, severity, p))
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
    raw = run_rules(site, config, codes, check_files=opts.check_files)
    pages = {p.display: p for p in site.pages}
    kept: list[Finding] = []
    suppressed = 0
    for f in raw:
        page = pages.get(f.path)
        if page is not None and any(f.code.startswith(c) for c in page.suppressions):
            suppressed += 1
            continue
        if _path_ignored(f.path, f.code, config.lint.per_path_ignores):
            suppressed += 1
            continue
        kept.append(f)
    kept = sorted(set(kept), key=Finding.sort_key)
    return LintResult(kept, len(site.pages), codes, time.perf_counter() - started, strict=opts.strict or config.lint.strict, suppressed=suppressed, site=site)


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
    )
    return lint_site(site, config, opts, started), missing
