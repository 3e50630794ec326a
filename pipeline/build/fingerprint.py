"""Fingerprints: a hash of exactly what produces an output.

An output's fingerprint is SHA-256 over four parts, each itself a SHA-256 kept in the manifest so that a
stale output can say why it is stale:

* ``frames``   the content hashes of the frames it reads, in the order it reads them (paths and
               modification times play no part: renaming a folder or touching a file changes nothing);
* ``settings`` the encoder settings that shape that kind of output (its registry entry's ``settings``, of
               ``EncodeSettings.fingerprint_dict()``);
* ``tools``    the versions of the pipeline (its version and a digest of the source of the modules its registry
               entry lists), of the libraries that shape the bytes (Pillow, numpy, imagequant) and of the
               programs the encoders run (ffmpeg for videos, gifsicle for GIFs when present);
* ``kind``     the kind's name: 'gif', 'mp4', 'webm', 'thumb' (``pipeline.encode.kinds``).

Nothing here imports the encoders or the imaging libraries: versions come from package metadata and sources are
read from where the import system would find them, so that deciding a build is up to date stays cheap.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.encode import kinds
from pipeline.encode.settings import EncodeSettings

CHUNK = 1 << 20
# the digest names the modules of this package by their short names (as manifests of format 1 recorded them)
_SHORT_PREFIX = "pipeline.encode."


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(value) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


def frames_digest(frame_hashes: list[str]) -> str:
    """An output's ``frames`` part (as the manifest records it): one hash over its frames' content hashes, in order."""
    return sha256_bytes("\n".join(frame_hashes).encode())


def hash_file(path: str | os.PathLike) -> tuple[str, os.stat_result]:
    """Content hash of a file and the stat of exactly the bytes hashed (retries if it changes while read)."""
    for _ in range(5):
        with open(path, "rb") as f:
            before = os.fstat(f.fileno())
            h = hashlib.sha256()
            while chunk := f.read(CHUNK):
                h.update(chunk)
            after = os.fstat(f.fileno())
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
            return h.hexdigest(), after
    raise OSError(f"{path}: keeps changing while being read")


def settings_for(kind: str, settings: EncodeSettings) -> dict:
    listed = kinds.listed_settings()
    shaping = kinds.get(kind).settings
    d = settings.fingerprint_dict()
    return {k: v for k, v in sorted(d.items()) if k in shaping or (k not in listed and k not in kinds.NOT_SHAPING)}


def module_source(name: str) -> bytes:
    """The source of module ``name`` as the import system would find it, without importing it (nor numpy and Pillow
    with it). A module that is not there raises: a moved module must fail loudly, never drop out of a digest."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.has_location:
        raise ModuleNotFoundError(f"no source for module {name!r}", name=name)
    return Path(spec.origin).read_bytes()


def source_digest(modules) -> str:
    """SHA-256 over the source of ``modules`` (dotted names): a code change rebuilds exactly what it may change."""
    sources = {m.removeprefix(_SHORT_PREFIX): module_source(m) for m in modules}
    h = hashlib.sha256()
    for name in sorted(sources):
        h.update(name.encode() + b"\0" + sources[name] + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _program_version(exe: str | None, probe: dict) -> str:
    """First line of ``exe -version``, cached in ``probe`` by the binary's path, size and mtime."""
    if not exe:
        return "absent"
    try:
        st = os.stat(exe)
    except OSError:
        return "absent"
    key = f"{exe}|{st.st_size}|{st.st_mtime_ns}"
    if key in probe:
        return probe[key]
    try:
        out = subprocess.run([exe, "-version" if "ffmpeg" in Path(exe).name else "--version"], capture_output=True, text=True, timeout=30).stdout
        first = out.splitlines()[0].split(" Copyright")[0].strip() if out.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        first = "unknown"
    probe[key] = first
    return first


def ffmpeg_exe() -> str | None:
    """The ffmpeg the video encoder runs (asked of ``pipeline.encode.tools`` when it can say)."""
    try:
        from pipeline.encode.tools import find_ffmpeg

        return find_ffmpeg()
    except ImportError:
        pass
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # noqa: BLE001 - no ffmpeg: recorded as absent, the encoder reports the error
        return shutil.which("ffmpeg")


def gifsicle_exe() -> str | None:
    """The gifsicle the GIF encoder runs, if any."""
    try:
        from pipeline.encode.tools import find_gifsicle

        return find_gifsicle()
    except ImportError:
        return shutil.which("gifsicle")


PROGRAMS = {"ffmpeg": ffmpeg_exe, "gifsicle": gifsicle_exe}  # program named by a kind -> where its binary is


def tool_versions(kind_names=None, probe: dict | None = None) -> dict[str, dict]:
    """Per output kind: what shapes its bytes besides frames and settings."""
    probe = {} if probe is None else probe
    wanted = sorted(set(kind_names) if kind_names is not None else set(kinds.names()))
    out: dict[str, dict] = {}
    programs: dict[str, str] = {}
    digests: dict[tuple[str, ...], str] = {}
    for name in wanted:
        kind = kinds.get(name)
        if kind.sources not in digests:
            digests[kind.sources] = source_digest(kind.sources)
        v = {"pipeline": __version__, "encoder-source": digests[kind.sources]}
        for pkg in kind.packages:
            v[pkg] = _package_version(pkg)
        for prog in kind.programs:
            if prog not in programs:
                programs[prog] = _program_version(PROGRAMS[prog](), probe)
            v[prog] = programs[prog]
        out[name] = v
    return out


class Fingerprinter:
    """Computes output fingerprints; the settings and tools parts are hashed once per kind."""

    def __init__(self, settings: EncodeSettings, tools: dict[str, dict]) -> None:
        self.settings = {k: settings_for(k, settings) for k in kinds.names()}
        self.tools = tools
        self._settings_h = {k: sha256_json(v) for k, v in self.settings.items()}
        self._tools_h = {k: sha256_json(v) for k, v in tools.items()}
        self._frames_h: dict[tuple, str] = {}

    def parts(self, kind: str, frame_hashes: list[str]) -> dict[str, str]:
        key = tuple(frame_hashes)
        frames = self._frames_h.get(key)
        if frames is None:
            frames = self._frames_h[key] = frames_digest(frame_hashes)
            if len(self._frames_h) > 64:  # only the outputs of one unit share frame lists
                self._frames_h.pop(next(iter(self._frames_h)))
        return {"kind": kind, "frames": frames, "settings": self._settings_h[kind], "tools": self._tools_h[kind]}

    @staticmethod
    def combine(parts: dict[str, str]) -> str:
        return sha256_bytes(f"{parts['kind']}|{parts['frames']}|{parts['settings']}|{parts['tools']}".encode())

    def fingerprint(self, kind: str, frame_hashes: list[str]) -> tuple[str, dict[str, str]]:
        p = self.parts(kind, frame_hashes)
        return self.combine(p), p
