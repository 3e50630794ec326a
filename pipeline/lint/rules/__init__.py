"""Rule registry. One module per rule code; each module defines:

* ``CODE`` (stable, public), ``SUMMARY`` (one line), ``SEVERITY`` (default), ``NEEDS_FILES`` (reads the images root);
* ``BUILD_INPUT`` (optional, default False): the rule guards what the build reads. ``pipeline build`` runs these
  rules on every page it builds and builds nothing for a page with such a finding (unless the finding says
  ``blocks_build=False``), whatever lint's selection or suppressions say;
* ``PASSING`` and ``FAILING``: short examples shown by ``pipeline rules CODE``; its docstring explains the rule;
* ``check(ctx) -> Iterator[Problem]``.

Rules never decide severity, selection or suppression: the runner in ``pipeline.lint.runner`` does.
"""

from __future__ import annotations

import pkgutil
import re
from importlib import import_module
from types import ModuleType

# Rule modules are named '<code>_<what>.py' (e.g. 'img002_sequence.py'); each is registered under its CODE.
_MODULE_NAME = re.compile(r"^(fm|img|txt)\d{3}_\w+$")

RULES: dict[str, ModuleType] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if _MODULE_NAME.match(_info.name):
        _m = import_module(f"{__name__}.{_info.name}")
        if _m.CODE in RULES:  # pragma: no cover - a packaging mistake
            raise RuntimeError(f"rule code {_m.CODE} defined twice")
        RULES[_m.CODE] = _m


def get(code: str) -> ModuleType:
    return RULES[code]


def codes() -> list[str]:
    return sorted(RULES)
