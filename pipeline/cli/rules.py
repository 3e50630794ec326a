"""The `pipeline rules` command: list the rules, or document one with its passing and failing examples."""

from __future__ import annotations

import click

from pipeline.cli.common import UsageFailure


@click.command()
@click.argument("code", required=False)
def rules(code):
    """List the rules, or document one (with a passing and a failing example)."""
    from pipeline.lint import rules as rule_registry
    from pipeline.lint.fix.catalog import describe, fixable

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
    m = rule_registry.get(c)
    click.echo(f"{c}: {m.SUMMARY}  [default severity: {m.SEVERITY.value}]\n")
    click.echo((m.__doc__ or "").strip() + "\n")
    click.echo((describe(c) or "Fix: none (`pipeline lint --fix` leaves it to the author).") + "\n")
    click.echo("Passing example:\n" + _indent(m.PASSING))
    click.echo("Failing example:\n" + _indent(m.FAILING))
    click.echo(_legend(m.PASSING, m.FAILING))


def _legend(*texts: str) -> str:
    """What the directives of these examples mean, in the order they first appear."""
    from pipeline.lint.examples import KINDS, parse

    kinds: list[str] = []
    for t in texts:
        kinds += [k for k in parse(t).kinds if k not in kinds]
    lines = [f"  # {k + ':':<8} {KINDS[k]}" for k in kinds]
    return "Each example is a small site, linted with every rule (pipeline/lint/examples.py describes the format):\n" + "\n".join(lines)


def _indent(s: str) -> str:
    return "".join(("    " + line if line.strip() else "") + "\n" for line in s.rstrip("\n").splitlines())
