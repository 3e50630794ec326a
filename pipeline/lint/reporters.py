"""Reporters turn a LintResult into text for people (text), tools (json, sarif) or CI (github)."""

from __future__ import annotations

import json
import os
from typing import Callable, TextIO

from pipeline import __version__
from pipeline.lint import rules as rule_registry
from pipeline.content.findings import Finding, Severity
from pipeline.lint.runner import LintResult
from pipeline.content.model import Site

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m"


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _source_line(site: Site | None, f: Finding) -> str | None:
    if site is None:
        return None
    for p in site.pages:
        if p.display == f.path:
            text = p.line_text(f.line)
            return text if text.strip() else None
    return None


def report_text(result: LintResult, out: TextIO, *, site: Site | None = None, colour: bool = False, show_source: bool = True) -> None:
    def c(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if colour else s

    site = site if site is not None else result.site
    for f in result.findings:
        sev = c(_RED if f.severity is Severity.ERROR else _YELLOW, f.severity.value)
        loc = c(_BOLD, f"{f.path}:{f.line}:{f.column}:")
        out.write(f"{loc} {c(_CYAN, f.code)} {f.message} [{sev}]\n")
        src = _source_line(site, f) if show_source else None
        if src is not None:
            shown = src.expandtabs(1)
            if len(shown) > 160:
                start = max(0, f.column - 60)
                shown = ("…" if start else "") + shown[start : start + 140] + "…"
                caret_col = f.column - start + (1 if start else 0)
            else:
                caret_col = f.column
            gutter = f"{f.line:>5} | "
            out.write(c(_DIM, gutter) + shown + "\n")
            out.write(" " * (len(gutter) + max(caret_col - 1, 0)) + c(_RED if f.severity is Severity.ERROR else _YELLOW, "^") + "\n")
        for r in f.related:
            out.write(f"      {c(_DIM, 'note:')} {r.path}:{r.line}: {r.message}\n")
    s = result.summary()
    if result.findings:
        parts = ", ".join(f"{code} {n}" for code, n in s["by_code"].items())
        out.write(
            f"\n{c(_BOLD, 'Found')} {s['findings']} finding(s) in {s['pages']} page(s): "
            f"{s['errors']} error(s), {s['warnings']} warning(s) ({parts})"
            + (f"; {s['suppressed']} suppressed" if s["suppressed"] else "")
            + "\n"
        )
    else:
        out.write(f"{s['pages']} page(s) checked, no findings" + (f" ({s['suppressed']} suppressed)" if s["suppressed"] else "") + ".\n")


def report_json(result: LintResult, out: TextIO, **_: object) -> None:
    doc = {"findings": [f.to_dict() for f in result.findings], "summary": result.summary()}
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def report_github(result: LintResult, out: TextIO, **_: object) -> None:
    for f in result.findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        out.write(
            f"::{level} file={_gh_escape(f.path, True)},line={f.line},col={f.column},title={f.code}::"
            f"{_gh_escape(f.code + ' ' + f.message)}\n"
        )
    s = result.summary()
    out.write(f"{s['pages']} page(s) checked: {s['errors']} error(s), {s['warnings']} warning(s)\n")


def report_sarif(result: LintResult, out: TextIO, **_: object) -> None:
    codes = sorted(rule_registry.RULES)
    index = {c: i for i, c in enumerate(codes)}
    rules = []
    for code in codes:
        m = rule_registry.get(code)
        rules.append(
            {
                "id": code,
                "name": code,
                "shortDescription": {"text": m.SUMMARY},
                "fullDescription": {"text": (m.__doc__ or m.SUMMARY).strip()},
                "defaultConfiguration": {"level": "error" if m.SEVERITY is Severity.ERROR else "warning"},
            }
        )
    results = []
    for f in result.findings:
        r = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
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
        if f.related:
            r["relatedLocations"] = [
                {
                    "id": i,
                    "message": {"text": rel.message},
                    "physicalLocation": {"artifactLocation": {"uri": rel.path.replace(os.sep, "/")}, "region": {"startLine": rel.line}},
                }
                for i, rel in enumerate(f.related)
            ]
        results.append(r)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "pipeline", "version": __version__, "informationUri": "https://atlas.invalid/pipeline", "rules": rules}},
                "results": results,
            }
        ],
    }
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


REPORTERS: dict[str, Callable[..., None]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
}
