"""The build's entry point: ``build_paths`` takes the output folder's lock, sweeps the temporaries a killed build
left, opens the folder's state and runs a ``BuildSession``. See ``session`` for the flow, ``result`` for what it is
asked and answers.

Every file is written under a temporary name in its folder and renamed into place (``pipeline.content.atomic``), and
the manifest only lists an output after it was renamed complete, so a build killed at any moment leaves each
output complete or absent, and the next build finishes the job. The state (manifest, stat cache, lock) lives beside
the configuration, one per output folder, never in the output folder (``state``). See ``manifest``, ``hashcache``,
``fingerprint``, ``lock``.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.build.lock import BuildLock
from pipeline.build.progress import Progress
from pipeline.build.result import BuildOptions, BuildResult, Failure, Stale
from pipeline.build.pages import plan_context
from pipeline.build.session import BuildSession
from pipeline.build.state import LOCK_NAME, BuildState, make_state_dir, state_dir
from pipeline.config import Config
from pipeline.content.atomic import sweep_temporaries
from pipeline.content.loader import discover

__all__ = ["BuildOptions", "BuildResult", "Failure", "Stale", "build_paths"]


def _waiting(progress: Progress, out: Path):
    return lambda pid: progress.info(f"waiting for another build (pid {pid or '?'}) to finish writing to {out} …")


@contextmanager
def _own_output_folder(config: Config, options: BuildOptions, progress: Progress) -> Iterator[None]:
    """The output folder for this build alone: its lock (waiting for another build), then its temporaries swept.
    A check of a folder never built creates nothing, and a decision only never removes anything."""
    out = config.out
    folder = state_dir(config.root, out)
    lock = BuildLock(folder / LOCK_NAME)
    if not (options.decide_only and not folder.exists()):
        if not options.decide_only:
            make_state_dir(folder)
        lock.acquire(timeout=options.lock_timeout, on_wait=_waiting(progress, out))
    try:
        if not options.decide_only:
            sweep_temporaries(out)
        yield
    finally:
        lock.release()


def build_paths(
    config: Config, targets: list[Path], options: BuildOptions | None = None, progress: Progress | None = None, *, check, pages=None
) -> tuple[BuildResult, list[str]]:
    """Build the pages under ``targets`` (or the already loaded ``pages``, e.g. by lint: they are not parsed again).
    ``check`` (``pipeline.lint.inputs.BuildInputCheck``) finds what keeps a page from being built.
    Returns the result and the targets that do not exist."""
    options = options or BuildOptions()
    progress = progress or Progress()
    t0 = time.perf_counter()
    with _own_output_folder(config, options, progress):
        files, missing = ([], []) if pages is not None else discover(targets)
        if missing:
            return BuildResult(check=options.check), missing
        state = BuildState.open(config.root, config.out, plan_context(config, check), write=not options.decide_only, on_wait=_waiting(progress, config.out))
        try:
            result = BuildSession(config, options, progress, check, state).run(files, pages)
        finally:
            state.close()
    result.seconds = time.perf_counter() - t0
    return result, []
