"""The lint runner: load once, run the selected rules, stamp code and severity, apply suppressions, sort."""

from __future__ import annotations

import fnmatch
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.lint import rules as rule_registry
from pipeline.config import Config, ConfigError
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Finding, Severity
from pipeline.content.loader import load_site, page_from_bytes
from pipeline.content.model import Page, Site
from pipeline.lint import partial
from pipeline.lint.rules.context import Context
from pipeline.lint.schema import SchemaError, load_validator


@dataclass
class LintOptions:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    check_files: bool = True
    strict: bool = False
    exit_zero: bool = False  # findings never fail the run
    site_files_only: bool = False  # of the given files, lint those under the configured site; ignore the others


@dataclass
class LintResult:
    findings: list[Finding]
    pages: int
    rules: list[str]
    seconds: float
    strict: bool = False
    suppressed: int = 0
    site: Site | None = field(default=None, repr=False, compare=False)
    exit_zero: bool = False
    root: Path | None = None  # the project root, which every path in the findings is relative to

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def exit_code(self) -> int:
        if self.exit_zero:
            return 0
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
        files = ImageFiles.of(config)
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
    hidden = [f for f in raw if f.path in pages and not pages[f.path].reported]
    kept += [f for f in partial.onto_reported(hidden, kept, pages) if keep(f)]
    for code in codes:
        mod = rule_registry.get(code)
        if getattr(mod, "AFTER", False):
            kept += [f for f in stamp(code, config, mod.check_after(ctx, codes, used)) if keep(f)]
    kept = sorted(set(kept), key=Finding.sort_key)
    return LintResult(
        kept, sum(1 for p in site.pages if p.reported), codes, time.perf_counter() - started, strict=opts.strict or config.lint.strict,
        suppressed=suppressed, site=site, exit_zero=opts.exit_zero, root=config.root,
    )


def _images_root(config: Config, opts: LintOptions) -> Path | None:
    if not opts.check_files:
        return None
    if not config.images.is_dir():
        raise ConfigError(f"images root {config.images} is not a folder (set --images DIR, or --no-files to skip file checks)")
    return config.images


def _load(config: Config, opts: LintOptions, paths: list[Path], given: list[Page] = ()) -> tuple[Site, list[str]]:
    """The pages under ``paths`` and the ``given`` ones, with the rest of the configured site as context."""
    return load_site(
        paths,
        _images_root(config, opts),
        article_roots=tuple(config.articles),
        max_bytes=config.max_page_bytes,
        context=partial.context_roots(paths + [p.path for p in given], config),
        root=config.root,
        given=given,
    )


def lint_paths(paths: list[Path], config: Config, opts: LintOptions) -> tuple[LintResult, list[str]]:
    """Lint the pages under ``paths`` (with ``site_files_only``, only those under the configured site)."""
    started = time.perf_counter()
    selected_rules(config, opts)  # configuration errors before any reading
    if opts.site_files_only:
        paths = partial.site_files(paths, config)
        if not paths:  # nothing of the site among them: nothing to read
            return lint_site(Site([], None, whole_site=False), config, opts, started), []
    site, missing = _load(config, opts, paths)
    return lint_site(site, config, opts, started), missing


def lint_bytes(data: bytes, filename: Path | None, config: Config, opts: LintOptions) -> LintResult:
    """Lint one page given as bytes (standard input), as if it were the file ``filename`` (its version on disk, if
    any, is replaced), with the rest of the configured site as context; without a filename, alone, shown as '-'."""
    started = time.perf_counter()
    selected_rules(config, opts)
    if filename is None:
        page = page_from_bytes(Path("-"), data, "-", max_bytes=config.max_page_bytes)
        return lint_site(Site([page], _images_root(config, opts), whole_site=False), config, opts, started)
    if opts.site_files_only and not partial.site_files([filename], config):
        return lint_site(Site([], None, whole_site=False), config, opts, started)
    page = page_from_bytes(filename, data, config.show(filename), article_roots=tuple(config.articles), max_bytes=config.max_page_bytes)
    site, _ = _load(config, opts, [], [page])
    return lint_site(site, config, opts, started)
