"""Lint reporters: a LintResult as text for people (text), for tools (json, sarif) or for CI (github).

``LINT_REPORTERS[name](stream, color=...).report(result)``. Every reporter takes the stream and the ``color``
choice ("auto", "always", "never"; only the text reporter colours); the text reporter also takes ``show_source``.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, TextIO

from pipeline import __version__
from pipeline.content.findings import Finding, Severity

if TYPE_CHECKING:
    from pipeline.content.model import Page
    from pipeline.lint.runner import LintResult

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m"


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class Reporter:
    """Writes one LintResult to ``stream``."""

    def __init__(self, stream: TextIO, *, color: str = "auto") -> None:
        self.stream = stream
        self.color = color

    def report(self, result: LintResult) -> None:  # pragma: no cover - every reporter overrides it
        raise NotImplementedError


class TextReporter(Reporter):
    """path:line:column: CODE message [severity], the source line with a caret, related places, a summary line."""

    def __init__(self, stream: TextIO, *, color: str = "auto", show_source: bool = True) -> None:
        super().__init__(stream, color=color)
        self.colour = use_colour(stream, color)
        self.show_source = show_source

    def _c(self, code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if self.colour else s

    def report(self, result: LintResult) -> None:
        out, c = self.stream, self._c
        pages: dict[str, Page] = {}  # display path -> the (first) page shown so
        if result.site is not None and self.show_source:
            for p in result.site.pages:
                pages.setdefault(p.display, p)
        for f in result.findings:
            tone = _RED if f.severity is Severity.ERROR else _YELLOW
            out.write(f"{c(_BOLD, f'{f.path}:{f.line}:{f.column}:')} {c(_CYAN, f.code)} {f.message} [{c(tone, f.severity.value)}]\n")
            page = pages.get(f.path)
            src = page.line_text(f.line) if page is not None else None
            if src is not None and src.strip():
                self._source(f, src, tone)
            for r in f.related:
                out.write(f"      {c(_DIM, 'note:')} {r.path}:{r.line}: {r.message}\n")
        self._summary(result)

    def _source(self, f: Finding, src: str, tone: str) -> None:
        shown = src.expandtabs(1)
        if len(shown) > 160:
            start = max(0, f.column - 60)
            shown = ("…" if start else "") + shown[start : start + 140] + "…"
            caret_col = f.column - start + (1 if start else 0)
        else:
            caret_col = f.column
        gutter = f"{f.line:>5} | "
        self.stream.write(self._c(_DIM, gutter) + shown + "\n")
        self.stream.write(" " * (len(gutter) + max(caret_col - 1, 0)) + self._c(tone, "^") + "\n")

    def _summary(self, result: LintResult) -> None:
        s = result.summary()
        if result.findings:
            parts = ", ".join(f"{code} {n}" for code, n in s["by_code"].items())
            self.stream.write(
                f"\n{self._c(_BOLD, 'Found')} {s['findings']} finding(s) in {s['pages']} page(s): "
                f"{s['errors']} error(s), {s['warnings']} warning(s) ({parts})"
                + (f"; {s['suppressed']} suppressed" if s["suppressed"] else "")
                + "\n"
            )
        else:
            self.stream.write(f"{s['pages']} page(s) checked, no findings" + (f" ({s['suppressed']} suppressed)" if s["suppressed"] else "") + ".\n")
        self.stream.write(_fixable_line(result.findings))


def _fixable_line(findings: list[Finding]) -> str:
    """How many findings `pipeline lint --fix` would fix (and how many more with --unsafe-fixes), or nothing."""
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
    if not safe and not unsafe:
        return ""
    more = f" ({unsafe} more with --unsafe-fixes)" if unsafe and safe else ""
    if not safe:
        return f"{unsafe} finding(s) can be fixed with `pipeline lint --fix --unsafe-fixes`.\n"
    return f"{safe} finding(s) can be fixed with `pipeline lint --fix`{more}.\n"


class JsonReporter(Reporter):
    """``{"findings": [...], "summary": {...}}``."""

    def report(self, result: LintResult) -> None:
        doc = {"findings": [f.to_dict() for f in result.findings], "summary": result.summary()}
        self.stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


class GithubReporter(Reporter):
    """GitHub workflow commands (``::error file=…,line=…,col=…,title=CODE::…``) and a summary line."""

    def report(self, result: LintResult) -> None:
        for f in result.findings:
            level = "error" if f.severity is Severity.ERROR else "warning"
            self.stream.write(
                f"::{level} file={_gh_escape(f.path, True)},line={f.line},col={f.column},title={f.code}::"
                f"{_gh_escape(f.code + ' ' + f.message)}\n"
            )
        s = result.summary()
        self.stream.write(f"{s['pages']} page(s) checked: {s['errors']} error(s), {s['warnings']} warning(s)\n")


class SarifReporter(Reporter):
    """SARIF 2.1.0: every rule in the driver, one result per finding (related places as relatedLocations)."""

    def report(self, result: LintResult) -> None:
        from pipeline.lint import rules as rule_registry

        codes = rule_registry.codes()
        index = {c: i for i, c in enumerate(codes)}
        rules = [_sarif_rule(code, rule_registry.get(code)) for code in codes]
        doc = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": "pipeline", "version": __version__, "informationUri": "https://atlas.invalid/pipeline", "rules": rules}},
                    "results": [_sarif_result(f, index[f.code]) for f in result.findings],
                    "columnKind": "unicodeCodePoints",
                }
            ],
        }
        self.stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _sarif_rule(code: str, m) -> dict:
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": m.SUMMARY},
        "fullDescription": {"text": (m.__doc__ or m.SUMMARY).strip()},
        "defaultConfiguration": {"level": "error" if m.SEVERITY is Severity.ERROR else "warning"},
    }


def _sarif_result(f: Finding, rule_index: int) -> dict:
    r = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.path.replace(os.sep, "/")},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ],
    }
    if f.fix is not None:
        r["fixes"] = [_sarif_fix(f)]
    if f.related:
        r["relatedLocations"] = [
            {
                "id": i,
                "message": {"text": rel.message},
                "physicalLocation": {"artifactLocation": {"uri": rel.path.replace(os.sep, "/")}, "region": {"startLine": rel.line}},
            }
            for i, rel in enumerate(f.related)
        ]
    return r


def _sarif_fix(f: Finding) -> dict:
    """A SARIF fix: one artifactChange of the finding's file, a replacement per edit (a deleted region, empty for an
    insertion, and the inserted text); whether it is safe in its properties."""
    replacements = [
        {
            "deletedRegion": {"startLine": e.line, "startColumn": e.column, "endLine": e.end_line, "endColumn": e.end_column},
            "insertedContent": {"text": e.content},
        }
        for e in f.fix.edits
    ]
    return {
        "description": {"text": f.fix.message},
        "artifactChanges": [{"artifactLocation": {"uri": f.path.replace(os.sep, "/")}, "replacements": replacements}],
        "properties": {"safe": f.fix.safe},
    }


LINT_REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
