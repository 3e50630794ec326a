"""Pieces shared by the commands: configuration loading, common options, running lint for a command, the usage-error
exit code."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

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


def run_lint(cfg: Config, targets: list[Path], opts: LintOptions) -> LintResult:
    """Lint ``targets``; a configuration error or a missing path is a usage failure (exit 2)."""
    from pipeline.lint.runner import lint_paths

    try:
        result, missing = lint_paths(targets, cfg, opts)
    except ConfigError as e:
        raise UsageFailure(str(e)) from None
    if missing:
        raise UsageFailure("; ".join(missing))
    return result
