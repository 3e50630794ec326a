"""JSON Schema validation of front matter, with every error mapped to the line of the offending node."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.content.frontmatter import FrontMatter

try:  # a compiled validator answers "valid?" ~100x faster; jsonschema then explains the invalid documents
    import jsonschema_rs
except ImportError:  # pragma: no cover - optional speed-up
    jsonschema_rs = None

# the page schema ships inside the package (package data), beside this module; a site may name its own
DEFAULT_SCHEMA = Path(__file__).resolve().with_name("page.schema.json")


class SchemaError(Exception):
    """The schema file itself is unusable (a configuration error, exit 2)."""


@dataclass(frozen=True)
class SchemaIssue:
    line: int
    column: int
    json_path: str
    message: str


def default_schema() -> Path:
    """The schema used when ``[tool.pipeline] schema`` is not set."""
    return DEFAULT_SCHEMA


class PageValidator:
    """jsonschema's validator for complete, positioned error reports, behind a fast validity check.
    jsonschema is imported only when a page is invalid (or the fast validator is missing): start-up stays short."""

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self._full = None
        self.fast = None
        if jsonschema_rs is not None:
            try:
                self.fast = jsonschema_rs.validator_for(schema)
            except Exception:  # pragma: no cover - a schema the fast validator cannot compile
                self.fast = None

    def is_valid(self, data) -> bool:
        if self.fast is not None:
            try:
                return self.fast.is_valid(data)
            except Exception:  # pragma: no cover - values it cannot represent: ask jsonschema
                pass
        return self.full.is_valid(data)

    @property
    def full(self):
        if self._full is None:
            from jsonschema import Draft202012Validator

            self._full = Draft202012Validator(self.schema)
        return self._full

    def iter_errors(self, data):
        return self.full.iter_errors(data)


@lru_cache(maxsize=8)
def load_validator(path: str | None = None) -> PageValidator:
    p = Path(path) if path else default_schema()
    try:
        schema = json.loads(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise SchemaError(f"{p}: cannot read schema: {e.strerror or e}") from None
    except json.JSONDecodeError as e:
        raise SchemaError(f"{p}:{e.lineno}:{e.colno}: schema is not valid JSON: {e.msg}") from None
    problem = _meta_problem(schema)
    if problem:
        raise SchemaError(f"{p}: not a valid JSON Schema 2020-12: {problem}")
    return PageValidator(schema)


def _meta_problem(schema) -> str | None:
    if jsonschema_rs is not None:
        try:
            jsonschema_rs.meta.validate(schema)
            return None
        except jsonschema_rs.ValidationError as e:
            return str(e).splitlines()[0]
        except Exception:  # pragma: no cover - fall back to jsonschema's own check
            pass
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        return e.message
    return None


def _json_path(path) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def validate(fm: FrontMatter, validator: PageValidator) -> list[SchemaIssue]:
    data = fm.data
    if validator.is_valid(data):  # the common case: skip building error objects
        return []
    issues: list[SchemaIssue] = []
    for err in validator.iter_errors(data):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in allowed:
                    line, col = fm.key_pos(path + (key,))
                    issues.append(SchemaIssue(line, col, _json_path(path + (key,)), f"unknown key {key!r}: not allowed here"))
            continue
        if err.validator in ("anyOf", "oneOf") and err.context:
            from jsonschema.exceptions import best_match

            inner = best_match(err.context)
            msg = f"{inner.message} (and {len(err.context) - 1} other alternative(s) failed)" if len(err.context) > 1 else inner.message
        else:
            msg = err.message
        if err.validator == "required":
            line, col = fm.key_pos(path) if path else fm.pos(path)
        else:
            line, col = fm.pos(path)
        issues.append(SchemaIssue(line, col, _json_path(path), f"{_json_path(path)}: {_shorten(msg)}"))
    issues.sort(key=lambda i: (i.line, i.column, i.message))
    return issues


def _shorten(msg: str, limit: int = 200) -> str:
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"
