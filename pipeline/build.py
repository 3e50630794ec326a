"""Run the build plan: decode each unit's frames once, write its GIF, videos and thumbnails atomically."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.atomic import atomic_path, sweep_temporaries
from pipeline.config import Config
from pipeline.encode.settings import EncodeSettings
from pipeline.files import ImageFiles
from pipeline.model import Site
from pipeline.plan import Output, Skipped, Unit, plan_site


@dataclass
class Failure:
    page: str
    line: int
    message: str


@dataclass
class UnitResult:
    unit: Unit
    written: list[str] = field(default_factory=list)
    failure: Failure | None = None
    seconds: float = 0.0


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    units: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 1 if (self.failures or self.skipped) else 0


def resolve_frames(unit: Unit, files: ImageFiles) -> tuple[list[Path], str | None]:
    paths = []
    for url in unit.frames:
        r = files.resolve(url)
        if r.unsafe:
            return [], f"frame '{url}' {r.unsafe}; not read"
        if r.missing:
            return [], f"frame '{url}' {r.missing}"
        paths.append(r.path)
    return paths, None


def build_unit(unit: Unit, frame_paths: list[Path], out_dir: Path, settings: EncodeSettings, outputs: tuple[Output, ...] | None = None) -> UnitResult:
    """Decode the unit's frames once and write the requested outputs (all of them by default)."""
    from pipeline.encode.frames import FrameError, load_frames
    from pipeline.encode.gif import encode_gif
    from pipeline.encode.thumbs import write_thumbnail
    from pipeline.encode.video import encode_video

    t0 = time.perf_counter()
    res = UnitResult(unit)
    wanted = outputs if outputs is not None else unit.outputs
    needed = sorted({i for o in wanted for i in o.frames})
    try:
        frames = load_frames([frame_paths[i] for i in needed], settings)
    except FrameError as e:
        res.failure = Failure(unit.page, unit.line, str(e))
        return res
    index = {i: k for k, i in enumerate(needed)}
    try:
        for o in wanted:
            dest = out_dir / o.path
            with atomic_path(dest) as tmp:
                if o.kind == "gif":
                    encode_gif(frames, tmp, settings)
                elif o.kind in ("mp4", "webm"):
                    encode_video(frames, tmp, settings, o.kind)
                elif o.kind == "thumb":
                    write_thumbnail(frames.images[index[o.frames[0]]], tmp, settings)
                else:  # pragma: no cover - the plan only makes the kinds above
                    raise ValueError(o.kind)
            res.written.append(o.path)
    except Exception as e:  # encoder or file system failure: report it, keep building the rest
        res.failure = Failure(unit.page, unit.line, f"{unit.name or unit.frames[0]}: {e}")
    res.seconds = time.perf_counter() - t0
    return res


def build_site(site: Site, config: Config) -> BuildResult:
    t0 = time.perf_counter()
    result = BuildResult()
    sweep_temporaries(config.out)
    units, skipped = plan_site(site, video=config.encode.video)
    result.skipped = skipped
    result.units = len(units)
    files = ImageFiles(config.images)
    for unit in units:
        paths, problem = resolve_frames(unit, files)
        if problem:
            result.failures.append(Failure(unit.page, unit.line, problem))
            continue
        r = build_unit(unit, paths, config.out, config.encode)
        result.built += r.written
        if r.failure:
            result.failures.append(r.failure)
    result.seconds = time.perf_counter() - t0
    return result
