"""Applying fixes: lint, make the fixes the findings carry, lint the changed site again in memory, keep a fix only
when its findings are gone and no other finding appeared anywhere, and repeat until nothing is left to fix.

A pass makes, on each page, every fix that does not overlap another one (in the order of their places). When a
pass makes things worse it is undone whole and its pages are tried again in two halves (and so on down to one
page), then one fix at a time on that page: a single fix that still makes things worse is rolled back and
reported. Fixes are computed anew from
the text after each pass, so the result does not depend on the order the rules ran in, and a second run finds
nothing left to do. Nothing is written here: ``write_change`` writes a file that has not changed since it was read.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config
from pipeline.content.atomic import atomic_path
from pipeline.content.findings import Finding, Fix
from pipeline.content.loader import parse_page
from pipeline.content.model import Site
from pipeline.lint.fix.source import apply_edits, overlaps
from pipeline.lint.runner import LintOptions, LintResult, lint_paths, lint_site, selected_rules

MAX_PASSES = 200
_LINE_REF = re.compile(r"\b(lines?) \d+")


@dataclass(frozen=True)
class Rejected:
    """A fix rolled back: the finding it was for, and what it would have left or added."""

    finding: Finding
    fix: Fix
    why: str


@dataclass
class Change:
    """A page's text before and after its fixes."""

    display: str
    path: Path
    before: str
    after: str


@dataclass
class FixResult:
    initial: LintResult  # the findings of the selected rules before any fix
    final: LintResult  # ... after every fix kept (in memory)
    changes: list[Change]
    fixed: list[Finding]  # findings removed by the fixes kept
    rejected: list[Rejected]
    unsafe_only: list[Finding]  # findings with an unsafe fix that was not asked for
    missing: list[str] = field(default_factory=list)  # paths that do not exist


def fix_paths(paths: list[Path], config: Config, opts: LintOptions, *, unsafe: bool = False) -> FixResult:
    """Fix what the selected rules found under ``paths``. Every configured rule judges the result, so a fix that
    would raise another rule's finding is rolled back."""
    judge = LintOptions(check_files=opts.check_files, strict=opts.strict, site_files_only=opts.site_files_only)
    codes = set(selected_rules(config, opts))
    result, missing = lint_paths(paths, config, judge)
    run = _Run(result, config, judge, codes, unsafe)
    run.run()
    initial, final = _only(result, codes), _only(run.current, codes)
    unsafe_only = [] if unsafe else [f for f in final.findings if f.fix is not None and not f.fix.safe]
    return FixResult(initial, final, run.changes(), run.fixed, run.rejected, unsafe_only, missing)


def _only(result: LintResult, codes: set[str]) -> LintResult:
    findings = [f for f in result.findings if f.code in codes]
    return LintResult(findings, result.pages, sorted(codes), result.seconds, result.strict, result.suppressed, result.site)


def relint(site: Site, texts: dict[str, str], config: Config, opts: LintOptions) -> LintResult:
    """Lint ``site`` with some pages' text replaced (``texts``: display path -> text), without writing anything."""
    pages = []
    for p in site.pages:
        text = texts.get(p.display)
        if text is None or text == p.text:
            pages.append(p)
            continue
        q = parse_page(p.path, text, display=p.display, article=p.is_article)
        q.reported = p.reported
        pages.append(q)
    return lint_site(Site(pages, site.images_root, site.whole_site), config, opts)


def _key(f: Finding) -> tuple:
    """What identifies a finding across edits: its page, code and message, line numbers in it left out."""
    return f.path, f.code, _LINE_REF.sub(r"\1 #", f.message)


class _Run:
    def __init__(self, result: LintResult, config: Config, opts: LintOptions, codes: set[str], unsafe: bool) -> None:
        self.site = result.site
        self.pages = {p.display: p for p in self.site.pages}
        self.config, self.opts, self.codes, self.unsafe = config, opts, codes, unsafe
        self.current = result
        self.texts: dict[str, str] = {}
        self.pending: list[list[str]] = []  # groups of pages to try on their own, the first one next
        self.single: set[str] = set()  # pages fixed one fix a pass
        self.refused: set[tuple] = set()
        self.fixed: list[Finding] = []
        self.rejected: list[Rejected] = []

    def text(self, display: str) -> str:
        return self.texts.get(display, self.pages[display].text)

    def run(self) -> None:
        for _ in range(MAX_PASSES):
            if not self.step():
                return

    def changes(self) -> list[Change]:
        out = []
        for display in sorted(self.texts):
            page = self.pages[display]
            if self.texts[display] != page.text:
                out.append(Change(display, page.path, page.text, self.texts[display]))
        return out

    def plan(self) -> dict[str, list[tuple[Fix, list[Finding]]]]:
        """Per page, the fixes to make in this pass, with the findings each one is for."""
        by_page: dict[str, dict[Fix, list[Finding]]] = {}
        for f in self.current.findings:
            if f.fix is not None and f.code in self.codes and (f.fix.safe or self.unsafe) and f.path in self.pages:
                by_page.setdefault(f.path, {}).setdefault(f.fix, []).append(f)
        out = {}
        for display in sorted(by_page):
            fixes = sorted(by_page[display].items(), key=lambda it: (min(e.start for e in it[0].edits), it[0].message))
            chosen: list[tuple[Fix, list[Finding]]] = []
            for fix, found in fixes:
                if self.identity(display, fix) in self.refused or _crossed(fix):
                    continue
                if not any(overlaps(e, c) for e in fix.edits for other, _ in chosen for c in other.edits):
                    chosen.append((fix, found))
            if chosen:
                out[display] = chosen[:1] if display in self.single else chosen
        while self.pending:
            group = {d: out[d] for d in self.pending[0] if d in out}
            if group:
                return group
            self.pending.pop(0)
        return out

    def identity(self, display: str, fix: Fix) -> tuple:
        text = self.text(display)
        return display, fix.message, tuple((text[e.start : e.end], e.content) for e in fix.edits)

    def step(self) -> bool:
        """One pass; False when there was nothing to do."""
        plan = self.plan()
        if not plan:
            return False
        texts = dict(self.texts)
        for display, chosen in plan.items():
            texts[display] = apply_edits(self.text(display), [e for fix, _ in chosen for e in fix.edits])
        after = relint(self.site, texts, self.config, self.opts)
        why = _worse(self.current, after, [f for chosen in plan.values() for _, found in chosen for f in found])
        if why is None:
            self.current, self.texts = after, texts
            self.fixed += [f for chosen in plan.values() for _, found in chosen for f in found]
            if self.pending:
                self.pending.pop(0)
        elif len(plan) > 1:
            pages = sorted(plan)
            halves = [pages[: len(pages) // 2], pages[len(pages) // 2 :]]
            self.pending[:1] = halves
        elif len(next(iter(plan.values()))) > 1:
            self.single.add(next(iter(plan)))
        else:
            (display, [(fix, found)]), = plan.items()
            self.refused.add(self.identity(display, fix))
            self.rejected.append(Rejected(found[0], fix, why))
        return True


def _crossed(fix: Fix) -> bool:
    """Whether the edits of one fix overlap each other (such a fix is never made)."""
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    return any(overlaps(a, b) for a, b in zip(edits, edits[1:]))


def _worse(before: LintResult, after: LintResult, targets: list[Finding]) -> str | None:
    """Why ``after`` is not ``before`` less the ``targets`` (a target left, or a finding added), or None."""
    had = Counter(map(_key, before.findings))
    has = Counter(map(_key, after.findings))
    gone = Counter(map(_key, targets))
    for key in sorted(set(has) | set(gone)):
        if has[key] > had[key] - gone[key]:
            path, code, message = key
            if gone[key] and has[key] >= had[key]:
                return f"it leaves {code} '{message}'"
            return f"it adds {code} '{message}'" + (f" on {path}" if path != targets[0].path else "")
    return None


class Changed(Exception):
    """The file changed on disk after it was read."""


def write_change(change: Change) -> str | None:
    """Write a page's new text atomically, unless the file changed since it was read (then why not); its BOM,
    line breaks and permissions are kept."""
    dest = Path(os.path.realpath(change.path))
    try:
        st = os.stat(dest)
        raw = dest.read_bytes()
    except OSError as e:
        return f"cannot read it again: {e.strerror or e}"
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        now = raw[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        now = None
    if now != change.before:
        return "it changed on disk since it was read; not written"
    data = (b"\xef\xbb\xbf" if bom else b"") + change.after.encode("utf-8")
    try:
        with atomic_path(dest, mode=st.st_mode & 0o7777) as tmp:
            tmp.write_bytes(data)
            if _stamp(os.stat(dest)) != _stamp(st):
                raise Changed
    except Changed:
        return "it changed on disk while it was being fixed; not written"
    except OSError as e:
        return f"cannot write it: {e.strerror or e}"
    return None


def _stamp(st: os.stat_result) -> tuple:
    return st.st_ino, st.st_size, st.st_mtime_ns
