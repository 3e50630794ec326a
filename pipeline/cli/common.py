"""Pieces shared by the commands: configuration loading, common options, running lint for a command, the usage-error
exit code."""

from __future__ import annotations

import functools
import io
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

import click

from pipeline.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from pipeline.lint.runner import LintOptions, LintResult


class UsageFailure(click.ClickException):
    exit_code = 2


def load_cfg(config_file: Path | None, images: Path | None = None, out: Path | None = None) -> Config:
    try:
        cfg = load_config(config_file)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if images is not None:
        cfg.images = images
    if out is not None:
        cfg.out = out
    return cfg


def common_options(f):
    @click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Configuration file (default: the nearest pyproject.toml).")
    @click.option("--images", type=click.Path(path_type=Path, file_okay=False), help="Root of the renders (overrides [tool.pipeline] images).")
    @functools.wraps(f)
    def wrapper(*a, **k):
        return f(*a, **k)

    return wrapper


def split_codes(values: tuple[str, ...]) -> list[str]:
    """Repeated, comma-separated ``--select``/``--ignore`` values -> one list of codes or prefixes."""
    out: list[str] = []
    for v in values:
        out += [c.strip() for c in v.split(",") if c.strip()]
    return out


def run_lint(cfg: Config, targets: list[Path], opts: LintOptions, stdin: tuple[bytes, Path | None] | None = None) -> LintResult:
    """Lint ``targets``, or the page on standard input (``stdin``: its bytes and the file it stands for); a
    configuration error or a missing path is a usage failure (exit 2)."""
    from pipeline.lint.runner import lint_bytes, lint_paths

    try:
        if stdin is not None:
            return lint_bytes(*stdin, cfg, opts)
        result, missing = lint_paths(targets, cfg, opts)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if missing:
        raise UsageFailure("; ".join(missing))
    return result


def write_report(render: Callable[[TextIO], None], output: Path | None = None) -> None:
    """Write what ``render`` writes to standard output or, atomically, to ``output``: the whole report or, when it
    cannot be written (a full disk, a closed pipe), nothing of it in a file and a message, exit 2."""
    buf = io.StringIO()
    render(buf)
    text = buf.getvalue()
    try:
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            _write_file(output, text)
    except OSError as e:
        if output is None:
            _drop_stdout()
        raise UsageFailure(f"{output or 'standard output'}: cannot write the report: {e.strerror or e}") from None


def _write_file(output: Path, text: str) -> None:
    """A regular file (or a new one) is replaced atomically; a device or pipe (``/dev/stdout``) is written to."""
    from pipeline.content.atomic import write_bytes

    try:
        special = not stat.S_ISREG(output.stat().st_mode)
    except FileNotFoundError:
        special = False
    if special:
        with output.open("w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        write_bytes(output, text.encode("utf-8"))


def _drop_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass
