"""The output kinds a build makes, one registry entry each (as an imaging library registers one plugin per format).

An entry says all the build needs to know about a kind, without importing its encoder:

* naming: one output per animation (the GIF's name with ``suffix`` for '.gif', e.g. '.mp4' beside it), or one per
  gallery render (``frame_name``: the site's gallery template shows ``X-thumb.png`` for ``X.png``, and links it to
  ``X.png`` itself, published under its own name);
* ``reads_file``: a per-frame encoder that works on the render's file (``fn(path, dest, settings)``) rather than on
  its decoded pixels; a unit whose stale outputs all read files decodes no frame;
* ``enabled_by``: the boolean setting that turns the kind on (``video`` for MP4 and WebM), if any;
* what shapes its bytes, for the fingerprint: the settings it reads, the packages and programs whose versions
  matter, and ``sources``, the modules whose source code does (an explicit list: a test checks that it covers
  every ``pipeline`` module the encoder imports);
* ``encoder``: ``"module:function"``, imported only when an output is written, so deciding that a build is up to
  date never loads numpy, Pillow or imagequant. A per-animation encoder is called as
  ``fn(frames, dest, settings, *args)``, a per-frame one as ``fn(frame_array, dest, settings, *args)``; each
  writes one file at ``dest``.

Adding a kind (APNG, AVIF, ...): its encoder module, one ``register`` call below, tests. The plan, the fingerprint,
the worker, the CLI's help and the benchmark read the registry; nothing else names kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from pathlib import Path
from typing import Callable, Iterable

from pipeline.content.model import published_name, thumb_name


class Per(Enum):
    ANIMATION = "animation"  # one output per images entry naming a GIF, from all its frames
    FRAME = "frame"  # one output per gallery render, from that frame alone


@dataclass(frozen=True)
class OutputKind:
    name: str  # the manifest's "kind"
    per: Per
    encoder: str  # "package.module:function"
    settings: frozenset[str]  # EncodeSettings fields that shape its bytes
    packages: tuple[str, ...]  # distributions whose versions shape its bytes
    sources: tuple[str, ...]  # modules whose source shapes its bytes
    programs: tuple[str, ...] = ()  # external programs it runs ('ffmpeg', 'gifsicle')
    suffix: str = ""  # per animation: replaces '.gif' in the animation's name
    frame_name: Callable[[str], str] | None = None  # per frame: render name -> output name
    enabled_by: str | None = None  # a boolean setting that turns the kind on
    reads_file: bool = False  # per frame: the encoder takes the render's path, not its pixels
    args: tuple = ()  # passed to the encoder after the settings (the codec of a shared video encoder)
    description: str = ""  # one line for `pipeline build --help`

    def output_name(self, source: str) -> str:
        """The output's path (relative to the output folder) for an animation name or a gallery render."""
        if self.per is Per.ANIMATION:
            return source[: -len(".gif")] + self.suffix if source.endswith(".gif") else source + self.suffix
        assert self.frame_name is not None, f"output kind {self.name}: per-frame kinds need frame_name"
        return self.frame_name(source)

    def naming(self) -> str:
        """What decides the names of its outputs (part of what a page's cached plan depends on)."""
        fn = self.frame_name
        named_by = f"{fn.__module__}.{fn.__qualname__}" if fn is not None else ""
        return f"{self.name}|{self.per.value}|{self.suffix}|{named_by}"

    def enabled(self, settings) -> bool:
        return bool(getattr(settings, self.enabled_by)) if self.enabled_by else True

    def encoder_function(self) -> Callable:
        """The encoder, imported now (and looked up on every call, so a replaced function is the one called)."""
        module, _, function = self.encoder.partition(":")
        return getattr(import_module(module), function)

    def write(self, frames, indexes: tuple[int, ...], dest: Path, settings, paths=()) -> None:
        """Write this kind's output at ``dest`` from decoded ``frames`` (``indexes``: the frames it reads), or from
        the file of its frame (``paths``: the unit's frame files) when it ``reads_file``."""
        if self.reads_file:
            source = paths[indexes[0]]
        else:
            source = frames if self.per is Per.ANIMATION else frames.images[indexes[0]]
        self.encoder_function()(source, dest, settings, *self.args)


# Settings that decide which outputs exist or which inputs are refused, never the bytes of an output. A setting
# neither listed by a kind nor here (a new one) counts for every kind: forgetting to list it costs a rebuild,
# never a stale output.
NOT_SHAPING = frozenset({"video", "renders", "max_pixels", "max_frames"})

# Imported by encoder modules, yet shaping no bytes: ``pipeline.content.png`` reads headers to refuse bad frames.
CHECKS_ONLY = frozenset({"pipeline.content.png"})

_REGISTRY: dict[str, OutputKind] = {}


def register(kind: OutputKind) -> OutputKind:
    if kind.name in _REGISTRY:
        raise ValueError(f"output kind {kind.name!r} is already registered")
    if (kind.per is Per.FRAME) != (kind.frame_name is not None):
        raise ValueError(f"output kind {kind.name!r}: frame_name is for per-frame kinds, and they need one")
    if kind.reads_file and kind.per is not Per.FRAME:
        raise ValueError(f"output kind {kind.name!r}: only per-frame kinds read their render's file")
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get(name: str) -> OutputKind:
    return _REGISTRY[name]


def registered() -> tuple[OutputKind, ...]:
    """Every kind, in registration order (the order of a unit's outputs)."""
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def enabled(settings) -> tuple[OutputKind, ...]:
    return tuple(k for k in _REGISTRY.values() if k.enabled(settings))


def by_suffix(suffix: str) -> OutputKind | None:
    """The per-animation kind whose outputs end with ``suffix`` ('.gif', '.mp4', '.webm'; any case), if one does."""
    return next((k for k in _REGISTRY.values() if k.per is Per.ANIMATION and k.suffix == suffix.lower()), None)


def listed_settings(kinds: Iterable[OutputKind] | None = None) -> frozenset[str]:
    """Every setting some kind says it reads."""
    return frozenset().union(*(k.settings for k in (registered() if kinds is None else kinds)))


_DECODE = ("pipeline.encode.frames", "pipeline.encode.settings", "pipeline.encode.tools")
_VIDEO = frozenset({"duration_ms", "matte"})

register(OutputKind(
    "gif", Per.ANIMATION, "pipeline.encode.gif:encode_gif",
    frozenset({"duration_ms", "loop", "quality", "lossy", "lossy_transparent", "lossy_gamma", "dither", "max_colors",
               "speed", "optimize", "alpha_threshold", "matte"}),
    ("pillow", "numpy", "imagequant"), _DECODE + ("pipeline.encode.gif", "pipeline.encode.gif_format"), programs=("gifsicle",), suffix=".gif",
    description="the animation, from all its frames (the image_name of the page)",
))
register(OutputKind(
    "mp4", Per.ANIMATION, "pipeline.encode.video:encode_video", _VIDEO | {"mp4_crf", "mp4_preset"},
    ("pillow", "numpy"), _DECODE + ("pipeline.encode.video",), programs=("ffmpeg",), suffix=".mp4",
    enabled_by="video", args=("mp4",), description="H.264 video beside the GIF (when video = true)",
))
register(OutputKind(
    "webm", Per.ANIMATION, "pipeline.encode.video:encode_video", _VIDEO | {"webm_codec", "webm_crf", "webm_cpu_used"},
    ("pillow", "numpy"), _DECODE + ("pipeline.encode.video",), programs=("ffmpeg",), suffix=".webm",
    enabled_by="video", args=("webm",), description="AV1 (or VP9: webm_codec) video beside the GIF (when video = true)",
))
register(OutputKind(
    "thumb", Per.FRAME, "pipeline.encode.thumbs:write_thumbnail",
    frozenset({"thumb_width", "thumb_height", "thumb_quality", "thumb_min_quality"}),
    ("pillow", "numpy", "imagequant"), _DECODE + ("pipeline.encode.thumbs",), frame_name=thumb_name,
    description="a thumbnail per gallery render, X-thumb.png beside X.png",
))
register(OutputKind(
    "render", Per.FRAME, "pipeline.encode.render:publish_render", frozenset({"render_level"}),
    ("pyoxipng", "pillow", "numpy"), ("pipeline.encode.render", "pipeline.encode.settings", "pipeline.encode.tools"),
    frame_name=published_name, enabled_by="renders", reads_file=True,
    description="each gallery render X.png itself, losslessly optimised (pixels identical), which the thumbnail links to",
))
