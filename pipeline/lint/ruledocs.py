"""Each rule's documentation, from its module: a readable name, and the help that ``pipeline rules CODE`` prints and
SARIF carries (as text and as Markdown): the summary, the docstring, the passing and failing examples and what the
examples' directives mean."""

from __future__ import annotations

import re

from pipeline.lint import rules as rule_registry
from pipeline.lint.examples import KINDS, parse


def name(code: str) -> str:
    """The rule's name, from its module ('fm004_clash' -> 'Clash', 'txt005_broken_link' -> 'BrokenLink')."""
    module = rule_registry.get(code).__name__.rsplit(".", 1)[-1]
    return "".join(part.capitalize() for part in module.split("_")[1:])


def _doc(code: str) -> str:
    return (rule_registry.get(code).__doc__ or "").strip()


def _fix(code: str) -> str:
    """What ``pipeline lint --fix`` does about the rule's findings."""
    from pipeline.lint.fix.catalog import describe

    return describe(code) or "Fix: none (`pipeline lint --fix` leaves it to the author)."


def legend_lines(code: str) -> list[str]:
    """What the directives of the rule's examples mean, in the order they first appear."""
    m = rule_registry.get(code)
    kinds: list[str] = []
    for t in (m.PASSING, m.FAILING):
        kinds += [k for k in parse(t).kinds if k not in kinds]
    return [f"# {k + ':':<8} {KINDS[k]}" for k in kinds]


_LEGEND = "Each example is a small site, linted with every rule (pipeline/lint/examples.py describes the format):"


def help_text(code: str) -> str:
    """The plain-text help: what ``pipeline rules CODE`` prints."""
    m = rule_registry.get(code)
    parts = [f"{code}: {m.SUMMARY}  [default severity: {m.SEVERITY.value}]\n", _doc(code) + "\n", _fix(code) + "\n"]
    parts.append("Passing example:\n" + _indent(m.PASSING))
    parts.append("Failing example:\n" + _indent(m.FAILING))
    parts.append(_LEGEND + "\n" + "\n".join("  " + line for line in legend_lines(code)))
    return "\n".join(parts) + "\n"


def help_markdown(code: str) -> str:
    """The same help in Markdown (docstring ``literals`` as `code`, examples as fenced blocks)."""
    m = rule_registry.get(code)
    doc = re.sub(r"``(.+?)``", r"`\1`", _doc(code), flags=re.S)  # (a literal may wrap onto the next line)
    fence = "```"
    return (
        f"**{code}**: {m.SUMMARY} (default severity: {m.SEVERITY.value})\n\n{doc}\n\n{_fix(code)}\n\n"
        f"Passing example:\n\n{fence}text\n{m.PASSING.rstrip()}\n{fence}\n\n"
        f"Failing example:\n\n{fence}text\n{m.FAILING.rstrip()}\n{fence}\n\n"
        f"{_LEGEND}\n\n" + "\n".join(f"- `{line.split(':', 1)[0]}:` {line.split(':', 1)[1].strip()}" for line in legend_lines(code)) + "\n"
    )


def _indent(s: str) -> str:
    return "".join(("    " + line if line.strip() else "") + "\n" for line in s.rstrip("\n").splitlines())
