"""Rule registry. One module per rule code; each module defines:

* ``CODE`` (stable, public), ``SUMMARY`` (one line), ``SEVERITY`` (default), ``NEEDS_FILES`` (reads the images root);
* ``BUILD_INPUT`` (optional, default False): the rule guards what the build reads. ``pipeline build`` runs these
  rules on every page it builds and builds nothing for a page with such a finding (unless the finding says
  ``blocks_build=False``), whatever lint's selection or suppressions say;
* ``PASSING`` and ``FAILING``: example sites in the format of ``pipeline.lint.examples``, shown by
  ``pipeline rules CODE`` and linted by the test suite (the failing one gives this rule's findings only, the passing
  one none); its docstring explains the rule;
* ``check(ctx) -> Iterator[Problem]``; or, with ``AFTER = True``, ``check_after(ctx, ran, used)``, run once the other
  rules are done, on the codes that ran and the suppressions that hid their findings (FM005).

Every rule receives a ``Context`` (``context``): the site, the configuration, the images root, and what several
rules derive from the site (the permalinks, the TXT rules' text state), made on first use by whichever rule asks.
Rules never decide severity, selection or suppression: the runner in ``pipeline.lint.runner`` does.

Holds: this registry, ``context`` and the rule modules. May import: ``pipeline.content``, ``pipeline.config``,
``pipeline.lint.schema``, ``pipeline.lint.text`` and, in functions, ``pipeline.lint.fix`` (the fixes findings carry).
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
