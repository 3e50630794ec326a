"""Lint reporters: a LintResult as text for people (text), for tools (json, sarif) or for CI (github).

``LINT_REPORTERS[name](stream, color=...).report(result)``. Every reporter takes the stream and the ``color``
choice ("auto", "always", "never"; only the text reporter colours); the text reporter also takes ``show_source``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline import __version__
from pipeline.content.findings import Finding, Severity

if TYPE_CHECKING:
    from pipeline.content.model import Page
    from pipeline.lint.runner import LintResult

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m"


def use_colour(stream: TextIO | None, choice: str = "auto") -> bool:
    """``--color`` first; then NO_COLOR (set and not empty: never), FORCE_COLOR (set and not empty: always),
    TERM=dumb (never); else colour when ``stream`` (None: a file) is a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
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
        self.stream.write(json.dumps(lint_document(result), indent=2, ensure_ascii=False) + "\n")


def lint_document(result: LintResult) -> dict:
    """The JSON report's document (``pipeline all --format json`` holds it under "lint")."""
    return {"findings": [f.to_dict() for f in result.findings], "summary": result.summary()}


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
    """SARIF 2.1.0 for code scanning: every rule in the driver (with its help), one result per finding (related
    places as relatedLocations), paths relative to the project root (``uriBaseId`` %SRCROOT%), percent-encoded."""

    def report(self, result: LintResult) -> None:
        from pipeline.lint import rules as rule_registry

        codes = rule_registry.codes()
        index = {c: i for i, c in enumerate(codes)}
        fingerprints = _fingerprints(result)
        run = {
            "tool": {"driver": _sarif_driver(codes)},
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(f, index[f.code], fp) for f, fp in zip(result.findings, fingerprints)],
        }
        if result.root is not None:
            run["originalUriBaseIds"] = {SRCROOT: _root_location(result.root)}
        doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
        self.stream.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


SRCROOT = "%SRCROOT%"


def repository_url() -> str | None:
    """The project's repository (``[project.urls]`` Repository in pyproject.toml, read from the installed
    package's metadata), or None."""
    from importlib import metadata

    try:
        urls = metadata.metadata("atlas-pipeline").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("repository", "source", "source code") and url.strip():
            return url.strip().rstrip("/")
    return None


def _sarif_driver(codes: list[str]) -> dict:
    repo = repository_url()
    driver = {"name": "pipeline", "version": __version__, "semanticVersion": __version__}
    if repo:
        driver["informationUri"] = repo
    driver["rules"] = [_sarif_rule(code, repo) for code in codes]
    return driver


def _sarif_rule(code: str, repo: str | None) -> dict:
    from pipeline.lint import rules as rule_registry
    from pipeline.lint import ruledocs

    m = rule_registry.get(code)
    rule = {
        "id": code,
        "name": ruledocs.name(code),
        "shortDescription": {"text": m.SUMMARY},
        "fullDescription": {"text": (m.__doc__ or m.SUMMARY).strip()},
        "help": {"text": ruledocs.help_text(code), "markdown": ruledocs.help_markdown(code)},
        "defaultConfiguration": {"level": "error" if m.SEVERITY is Severity.ERROR else "warning"},
    }
    if repo:
        rule["helpUri"] = f"{repo}/blob/v{__version__}/{m.__name__.replace('.', '/')}.py"
    return rule


def _sarif_result(f: Finding, rule_index: int, fingerprint: str) -> dict:
    r = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": "error" if f.severity is Severity.ERROR else "warning",
        "message": {"text": f.message},
        "locations": [_sarif_location(f.path, f.line, f.column)],
        "partialFingerprints": {"findingHash/v1": fingerprint},
    }
    if f.fix is not None:
        r["fixes"] = [_sarif_fix(f)]
    if f.related:
        r["relatedLocations"] = [dict(id=i, message={"text": rel.message}, **_sarif_location(rel.path, rel.line)) for i, rel in enumerate(f.related)]
    return r


def _sarif_location(path: str, line: int, column: int | None = None) -> dict:
    region = {"startLine": line} if column is None else {"startLine": line, "startColumn": column}
    return {"physicalLocation": {"artifactLocation": artifact_location(path), "region": region}}


def _root_location(root: Path) -> dict:
    uri = Path(os.path.abspath(root)).as_uri()
    return {"uri": uri if uri.endswith("/") else uri + "/", "description": {"text": "The project root: the folder holding the configuration."}}


def artifact_location(path: str) -> dict:
    """A path as findings show it -> a SARIF artifactLocation: relative to %SRCROOT% and percent-encoded, or (a
    file outside the project root) an absolute file URI."""
    from urllib.parse import quote  # (SARIF only: the other formats start without it)

    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace(os.sep, "/"), safe="/"), "uriBaseId": SRCROOT}


def _fingerprints(result: LintResult) -> list[str]:
    """Per finding: a digest of its rule, path, message and the text of its line (not the line number, so that a
    finding keeps its fingerprint when lines are added above it), and which of identical ones it is."""
    import hashlib

    pages = {p.display: p for p in result.site.pages} if result.site is not None else {}
    seen: dict[str, int] = {}
    out = []
    for f in result.findings:
        page = pages.get(f.path)
        text = page.line_text(f.line).strip() if page is not None else ""
        digest = hashlib.sha256("\0".join((f.code, f.path, f.message, text)).encode()).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        out.append(f"{digest}:{seen[digest]}")
    return out


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
        "artifactChanges": [{"artifactLocation": artifact_location(f.path), "replacements": replacements}],
        "properties": {"safe": f.fix.safe},
    }


LINT_REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
