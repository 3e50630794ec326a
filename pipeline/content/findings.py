"""Findings: what a check reports, the severities it can carry, and the fix that may come with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True)
class Related:
    """Another place that explains a finding (the other page of a duplicate, the first of two keys...)."""

    path: str
    line: int
    message: str

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Edit:
    """Replace the text from ``start`` to ``end`` (offsets in the page's text, its BOM left out) by ``content``; the
    same span as 1-based line and column, the end exclusive (an insertion has start == end)."""

    start: int
    end: int
    content: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "end_line": self.end_line, "end_column": self.end_column, "content": self.content}


@dataclass(frozen=True)
class Fix:
    """Edits to one file that remove a finding. ``safe``: applied by ``pipeline lint --fix``; an unsafe fix (it may
    change what the text means) only with ``--unsafe-fixes``."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True

    def to_dict(self) -> dict:
        return {"message": self.message, "safe": self.safe, "edits": [e.to_dict() for e in self.edits]}


@dataclass(frozen=True)
class Problem:
    """What a rule yields: where and what, without code or severity (the runner stamps those)."""

    path: str
    line: int
    column: int
    message: str
    related: tuple[Related, ...] = ()
    json_path: str | None = None
    severity: "Severity | None" = None  # a rule may mark one kind of finding milder or graver than its default
    blocks_build: bool = True  # for a rule with BUILD_INPUT: this finding keeps `pipeline build` from building the page
    fix: Fix | None = None  # what would repair it (``pipeline.lint.fix`` builds these)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    related: tuple[Related, ...] = field(default=())
    json_path: str | None = None
    fix: Fix | None = field(default=None, compare=False)  # not part of a finding's identity

    @classmethod
    def from_problem(cls, code: str, severity: Severity, p: Problem) -> "Finding":
        return cls(code, severity, p.path, p.line, p.column, p.message, p.related, p.json_path, p.fix)

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        related = tuple(Related(r["path"], r["line"], r["message"]) for r in d.get("related", ()))
        return cls(d["code"], Severity(d["severity"]), d["path"], d["line"], d["column"], d["message"], related, d.get("json_path"))

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict:
        d = {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.json_path is not None:
            d["json_path"] = self.json_path
        if self.related:
            d["related"] = [r.to_dict() for r in self.related]
        if self.fix is not None:
            d["fix"] = self.fix.to_dict()
        return d
