"""Findings: what a check reports, and the severities it can carry."""

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

    @classmethod
    def from_problem(cls, code: str, severity: Severity, p: Problem) -> "Finding":
        return cls(code, severity, p.path, p.line, p.column, p.message, p.related, p.json_path)

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
        return d
