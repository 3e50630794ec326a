"""The rule-test helper: write a site given in the rule-example format (``pipeline.lint.examples``), lint it, and
compare the findings with the expected ones.

    def test_duplicate_key(rule):                      # the ``rule`` fixture: a RuleCase for the module's CODE
        rule.check('''
    # page: raw/pages/leg-lateral.md
    front: header: yes
    ''', (7, 1, "duplicate key 'header'"))

Each expected problem is ``(line, column)`` or ``(line, column, "part of the message")``, optionally preceded by
the path of the page it is on (default: the example's first page) and, before that, the rule code (default: the
module's CODE): ``("FM005", "raw/pages/b.md", 9, 3, "suppresses nothing")``. The findings of the run, in the
runner's order, must be exactly those. ``check`` returns the LintResult for further assertions.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import load_config
from pipeline.content.loader import load_site
from pipeline.lint.examples import Example, parse
from pipeline.lint.runner import LintOptions, LintResult, lint_paths, lint_site

from ..conftest import write_render

_CODE = re.compile(r"^[A-Z]{2,4}\d{3}$")


def write_site(root: Path, source: str) -> Example:
    """Write the example ``source`` under ``root`` (raw/pages and raw/images always exist)."""
    ex = parse(source)
    for folder in ("raw/pages", "raw/images"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, text in ex.files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for r in ex.renders:
        write_render(root / r.path, r)
    for rel, target in ex.links.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.is_symlink():
            p.unlink()  # (the same site written again)
        p.symlink_to(target)
    return ex


def lint_example(root: Path, source: str | None = None, *, select=None, check_files: bool = True, paths=()) -> LintResult:
    """Write ``source`` (when given) under ``root`` and lint it as a user would from ``root``: its pyproject.toml,
    the configured pages (or ``paths``), the rules in ``select`` (default: all)."""
    if source is not None:
        write_site(root, source)
    with contextlib.chdir(root):
        cfg = load_config()
        opts = LintOptions(select=list(select or ()), check_files=check_files)
        result, missing = lint_paths([Path(p) for p in paths] or cfg.pages, cfg, opts)
    assert not missing, missing
    return result


def lint_files(*paths: Path, select: list[str], words: Path | None = None, articles=()) -> list:
    """Lint files or folders where they are (the fixture folders), with the default configuration and no images
    root: the findings of the ``select`` rules."""
    cfg = load_config(cwd=Path("/"))
    cfg.lint.words = words
    site, _ = load_site(list(paths), None, article_roots=tuple(articles))
    return lint_site(site, cfg, LintOptions(select=select, check_files=False)).findings


@dataclass(frozen=True)
class Want:
    code: str
    path: str
    line: int
    column: int
    part: str = ""


class RuleCase:
    """Checks one rule (``code``) on sites written under ``root``."""

    def __init__(self, code: str, root: Path) -> None:
        self.code = code
        self.root = root

    def check(self, source: str, *problems: tuple, select=None, check_files: bool = True, paths=()) -> LintResult:
        """Lint ``source`` with the rules in ``select`` (default: this rule; ``[]``: every rule) and assert its findings
        are ``problems``."""
        ex = write_site(self.root, source)
        codes = [self.code] if select is None else select
        result = lint_example(self.root, select=codes, check_files=check_files, paths=paths)
        want = [self._want(p, ex) for p in problems]
        got = [(f.code, f.path, f.line, f.column, _shown(f.message, want[i].part if i < len(want) else None)) for i, f in enumerate(result.findings)]
        assert got == [(w.code, w.path, w.line, w.column, w.part) for w in want], "\n".join(
            f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in result.findings
        )
        return result

    def _want(self, problem: tuple, ex: Example) -> Want:
        items = list(problem)
        code = items.pop(0) if items and isinstance(items[0], str) and _CODE.match(items[0]) else self.code
        path = items.pop(0) if items and isinstance(items[0], str) else (ex.pages[0] if ex.pages else "")
        if len(items) not in (2, 3) or not all(isinstance(i, int) for i in items[:2]):
            raise TypeError(f"expected ([code,] [path,] line, column[, message part]), got {problem!r}")
        return Want(code, path, *items)


def _shown(message: str, part: str | None) -> str:
    """The message as compared: the expected part when the message holds it (so a match compares equal)."""
    return part if part is not None and part in message else message


def check_malformed(root: Path, data: bytes, code: str, line: int, part: str) -> LintResult:
    """A malformed page (``data``) beside a good one with a TXT007 finding, linted with every rule but the file
    checks: the bad page has a ``code`` finding at ``line`` saying ``part``, at positions inside the file, the good
    page is still checked, and the run fails."""
    write_site(root, "# page: raw/pages/good.md\ntags: arm\n")
    (root / "raw" / "pages" / "bad.md").write_bytes(data)
    result = lint_example(root, check_files=False)
    bad = [f for f in result.findings if f.path == "raw/pages/bad.md"]
    assert any(f.code == code and f.line == line and part in f.message for f in bad), bad
    assert any(f.code == "TXT007" and f.path == "raw/pages/good.md" for f in result.findings)
    assert result.exit_code == 1
    assert all(1 <= f.line <= max(1, data.count(b"\n") + 1) for f in bad)
    return result


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The line number of the ``nth`` line of ``path`` that contains ``needle``."""
    hits = [i for i, t in enumerate(path.read_text().splitlines(), 1) if needle in t]
    return hits[nth - 1]
