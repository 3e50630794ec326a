"""Rule registry. One module per rule code; each module defines:

* ``CODE`` (stable, public), ``SUMMARY`` (one line), ``SEVERITY`` (default), ``NEEDS_FILES`` (reads the images root);
* ``PASSING`` and ``FAILING``: short examples shown by ``pipeline rules CODE``; its docstring explains the rule;
* ``check(ctx) -> Iterator[Problem]``.

Rules never decide severity, selection or suppression: the runner in ``pipeline.lint`` does.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

_MODULES = [
    "fm001_front_matter",
    "fm002_schema",
    "img001_missing_file",
]

RULES: dict[str, ModuleType] = {}
for _name in _MODULES:
    _m = import_module(f"{__name__}.{_name}")
    RULES[_m.CODE] = _m


def get(code: str) -> ModuleType:
    return RULES[code]


def codes() -> list[str]:
    return sorted(RULES)
