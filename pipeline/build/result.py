"""What a build is asked (``BuildOptions``) and what it answers (``BuildResult``, with its ``Failure`` and ``Stale``
entries). Plain data: the CLI's reporters read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.build.plan import Skipped
from pipeline.build.shard import Shard


@dataclass
class Failure:
    page: str
    line: int
    message: str


@dataclass
class Stale:
    page: str
    line: int
    path: str
    reason: str


@dataclass
class BuildOptions:
    force: bool = False  # rebuild every output
    check: bool = False  # decide only; report what is stale (exit 1) or nothing (exit 0)
    dry_run: bool = False  # decide only; print the plan
    jobs: int | None = None  # worker processes (default: the CPUs this process may use)
    whole_site: bool = True  # the targets are every configured page: outputs of pages that are gone are removed
    lock_timeout: float | None = None  # seconds to wait for another build (None: as long as it takes)
    shard: Shard | None = None  # build only this part of the sequences (``shard``), recorded for ``pipeline merge``

    @property
    def decide_only(self) -> bool:
        return self.check or self.dry_run


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)  # written (encoded or copied from an identical output)
    reused: list[str] = field(default_factory=list)  # of ``built``: copied from an identical output elsewhere
    current: int = 0  # outputs already up to date
    removed: list[str] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)  # --check / --dry-run: what a build would write
    to_remove: list[str] = field(default_factory=list)  # --check / --dry-run: what a build would remove
    failures: list[Failure] = field(default_factory=list)  # one per page not built or sequence that failed
    findings: list = field(default_factory=list)  # the build-input findings of the pages not built (lint's Finding)
    skipped: list[Skipped] = field(default_factory=list)
    units: int = 0
    seconds: float = 0.0
    check: bool = False

    @property
    def exit_code(self) -> int:
        if self.failures or self.skipped:
            return 1
        if self.check and (self.stale or self.to_remove):
            return 1
        return 0
