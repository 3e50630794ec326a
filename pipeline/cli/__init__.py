"""Command line: a thin click layer over the library. Exit codes: 0 clean, 1 findings/failures, 2 usage or configuration.

Holds: the click group and ``main`` (here), one module per command (``lint``, ``build``, ``all``, ``rules``, ``new``, ``review``), what
the commands share (``common``: configuration loading, common options, usage errors) and the reporters
(``reporters``: one module per command's results, each a name registry).

May import: every room (``pipeline.content``, ``pipeline.lint``, ``pipeline.build``, ``pipeline.encode``) and
``pipeline.config``; nothing imports ``pipeline.cli`` but ``pipeline.__main__``. The rooms are imported when a
command runs, not when the CLI loads, so start-up stays short.
"""

from __future__ import annotations

import click

from pipeline import __version__
from pipeline.cli.all import all_command
from pipeline.cli.build import build
from pipeline.cli.encode import encode
from pipeline.cli.lint import lint
from pipeline.cli.merge import merge
from pipeline.cli.new import new
from pipeline.cli.review import review
from pipeline.cli.rules import rules


class _Group(click.Group):
    """Ctrl-C ends any command with exit code 130 (128 + SIGINT), as shells report it, not click's 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(130) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """Lint the atlas pages and build their animations and thumbnails.

    \b
    pipeline lint                 check raw/pages against the schema, the renders and each other
    pipeline build                make dist/: GIF, MP4, WebM and thumbnails, rebuilding what changed
    pipeline all                  lint, then build, then one summary (what `make` runs)
    pipeline rules [CODE]         document the rules
    pipeline new SEQUENCE         write a page for a render sequence no page shows
    pipeline review [--changed]   a static page of the outputs and findings, to look at the result
    pipeline merge SHARD...       join the output folders of `pipeline build --shard K/N`
    pipeline encode OUT FRAME...  one sequence to a GIF, MP4 or WebM, as the build makes it
    """


for _command in (lint, build, all_command, rules, new, review, merge, encode):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="pipeline")
