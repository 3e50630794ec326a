"""The `pipeline rules` command: list the rules, or document one with its passing and failing examples."""

from __future__ import annotations

import click

from pipeline.cli.common import UsageFailure


@click.command()
@click.argument("code", required=False)
def rules(code):
    """List the rules, or document one (with a passing and a failing example)."""
    from pipeline.lint import rules as rule_registry
    from pipeline.lint.fix.catalog import fixable

    if code is None:
        for c in rule_registry.codes():
            m = rule_registry.get(c)
            files = " (reads renders)" if m.NEEDS_FILES else ""
            fix = " (fixable)" if fixable(c) else ""
            click.echo(f"{c}  {m.SEVERITY.value:<7}  {m.SUMMARY}{files}{fix}")
        return
    c = code.upper()
    if c not in rule_registry.RULES:
        raise UsageFailure(f"unknown rule {code!r}; `pipeline rules` lists them")
    from pipeline.lint.ruledocs import help_text

    click.echo(help_text(c), nl=False)
