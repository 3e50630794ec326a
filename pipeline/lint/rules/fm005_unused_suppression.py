"""FM005: a suppression that silences nothing, or names an unknown rule.

Pages silence a rule with a front-matter key ``lint-ignore: [TXT002]`` or a Liquid comment
``{% comment %}lint-ignore: TXT002{% endcomment %}``. A suppression whose rule ran and found
nothing on the page is stale: remove it, so that it cannot hide a future problem.
"""

from __future__ import annotations

from pipeline.content.findings import Severity
from pipeline.lint.rules.context import Context, at

CODE = "FM005"
SUMMARY = "unused or unknown lint-ignore suppression"
SEVERITY = Severity.WARNING
NEEDS_FILES = False
AFTER = True  # runs after the other rules, on what they found

PASSING = """\
# page: raw/pages/leg-lateral.md
tags: calf                  # TXT007: the tags lack the region 'leg' ...
front: lint-ignore: [TXT007]  # ... which this silences
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""
FAILING = """\
# page: raw/pages/leg-lateral.md
front: lint-ignore: [TXT002]  # nothing on this page is TXT002
# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""


def check_after(ctx: Context, ran: list[str], used: dict[str, set[str]]):
    """``ran``: codes that ran; ``used``: page display path -> codes whose findings a suppression hid."""
    from pipeline.lint import rules as registry  # (the registry imports this module)

    known = set(registry.codes())
    for page in ctx.site.pages:
        for code, (line, col) in sorted(page.suppressions.items()):
            if not any(k.startswith(code) for k in known):
                yield at(page, line, col, f"lint-ignore names unknown rule '{code}'")
                continue
            covered = [k for k in ran if k.startswith(code)]
            if covered and not any(k.startswith(code) for k in used.get(page.display, set())) and code != CODE:
                yield at(page, line, col, f"lint-ignore: {code} suppresses nothing on this page")
