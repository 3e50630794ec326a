"""Fingerprints: a hash of exactly what produces an output.

An output's fingerprint is SHA-256 over four parts, each itself a SHA-256 kept in the manifest so that a
stale output can say why it is stale:

* ``frames``   the content hashes of the frames it reads, in the order it reads them (paths and
               modification times play no part: renaming a folder or touching a file changes nothing);
* ``settings`` the encoder settings that shape that kind of output (``EncodeSettings.fingerprint_dict()``);
* ``tools``    the versions of the pipeline (its version and a digest of the source of the encoder modules that
               make that kind, imports followed), of the
               libraries that shape the bytes (Pillow, numpy, imagequant) and of the programs the encoders
               run (ffmpeg for videos, gifsicle for GIFs when present);
* ``kind``     'gif', 'mp4', 'webm' or 'thumb'.

Nothing here imports the encoders or the imaging libraries: versions come from package metadata, so that
deciding a build is up to date stays cheap.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.encode.settings import EncodeSettings

CHUNK = 1 << 20

# Settings read by each kind of encoder. A setting listed nowhere (a new one) counts for every kind,
# so forgetting to list it here costs a rebuild, never a stale output.
SETTINGS_FOR: dict[str, set[str]] = {
    "gif": {"duration_ms", "loop", "quality", "lossy", "lossy_transparent", "lossy_gamma", "dither", "max_colors", "speed", "optimize", "alpha_threshold", "matte"},
    "mp4": {"duration_ms", "mp4_crf", "mp4_preset", "matte"},
    "webm": {"duration_ms", "webm_crf", "webm_cpu_used", "matte"},
    "thumb": {"thumb_width", "thumb_height", "thumb_quality", "thumb_min_quality"},
}
# Settings that decide which outputs exist or which inputs are refused, never the bytes of an output.
NOT_SHAPING = {"video", "max_pixels", "max_frames"}

# The module each kind is made by; its source and that of every pipeline.encode module it imports (transitively)
# are part of the fingerprint.
ENTRY_MODULE = {"gif": "gif", "mp4": "video", "webm": "video", "thumb": "thumbs"}
_IMPORT = re.compile(r"^\s*(?:from\s+pipeline\.encode\.(\w+)\s+import|import\s+pipeline\.encode\.(\w+)|from\s+pipeline\.encode\s+import\s+([\w, ()]+)|from\s+\.(\w*)\s+import\s+([\w, ()]+))", re.M)
_PACKAGES = {"gif": ["pillow", "numpy", "imagequant"], "mp4": ["pillow", "numpy"], "webm": ["pillow", "numpy"], "thumb": ["pillow", "numpy"]}


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_json(value) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


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
    listed = set().union(*SETTINGS_FOR.values())
    d = settings.fingerprint_dict()
    return {k: v for k, v in sorted(d.items()) if k in SETTINGS_FOR[kind] or (k not in listed and k not in NOT_SHAPING)}


def _encode_imports(source: str) -> set[str]:
    names: set[str] = set()
    for m in _IMPORT.finditer(source):
        a, b, c, rel_mod, rel_names = m.groups()
        if a or b:
            names.add(a or b)
        elif c:
            names.update(x.strip() for x in c.strip("()").split(",") if x.strip())
        elif rel_mod:
            names.add(rel_mod)
        elif rel_names:
            names.update(x.strip() for x in rel_names.strip("()").split(",") if x.strip())
    return names


def encoder_source_digest(kind: str, encode_dir: Path | None = None) -> str:
    """SHA-256 over the source of the encoder module that makes ``kind``, of ``frames`` (decoding) and of every
    ``pipeline.encode`` module they import, transitively: a code change rebuilds exactly what it may change."""
    d = encode_dir or Path(__file__).resolve().parents[1] / "encode"
    todo = [ENTRY_MODULE[kind], "frames"]
    seen: dict[str, bytes] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            src = (d / f"{name}.py").read_bytes()
        except OSError:
            continue  # a name imported from the package that is not a module of it
        seen[name] = src
        todo += sorted(_encode_imports(src.decode("utf-8", "replace")) - set(seen))
    h = hashlib.sha256()
    for name in sorted(seen):
        h.update(name.encode() + b"\0" + seen[name] + b"\0")
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


def tool_versions(kinds: set[str] | None = None, probe: dict | None = None, encode_dir: Path | None = None) -> dict[str, dict]:
    """Per output kind: what shapes its bytes besides frames and settings."""
    probe = {} if probe is None else probe
    kinds = set(kinds) if kinds is not None else set(SETTINGS_FOR)
    out: dict[str, dict] = {}
    ffmpeg = gifsicle = None
    digests: dict[str, str] = {}
    for kind in sorted(kinds):
        entry = ENTRY_MODULE[kind]
        if entry not in digests:
            digests[entry] = encoder_source_digest(kind, encode_dir)
        v = {"pipeline": __version__, "encoder-source": digests[entry]}
        for pkg in _PACKAGES[kind]:
            v[pkg] = _package_version(pkg)
        if kind in ("mp4", "webm"):
            ffmpeg = ffmpeg if ffmpeg is not None else _program_version(ffmpeg_exe(), probe)
            v["ffmpeg"] = ffmpeg
        if kind == "gif":
            gifsicle = gifsicle if gifsicle is not None else _program_version(gifsicle_exe(), probe)
            v["gifsicle"] = gifsicle
        out[kind] = v
    return out


class Fingerprinter:
    """Computes output fingerprints; the settings and tools parts are hashed once per kind."""

    def __init__(self, settings: EncodeSettings, tools: dict[str, dict]) -> None:
        self.settings = {k: settings_for(k, settings) for k in SETTINGS_FOR}
        self.tools = tools
        self._settings_h = {k: sha256_json(v) for k, v in self.settings.items()}
        self._tools_h = {k: sha256_json(v) for k, v in tools.items()}
        self._frames_h: dict[tuple, str] = {}

    def parts(self, kind: str, frame_hashes: list[str]) -> dict[str, str]:
        key = tuple(frame_hashes)
        frames = self._frames_h.get(key)
        if frames is None:
            frames = self._frames_h[key] = sha256_bytes(("\n".join(frame_hashes)).encode())
            if len(self._frames_h) > 64:  # only the outputs of one unit share frame lists
                self._frames_h.pop(next(iter(self._frames_h)))
        return {"kind": kind, "frames": frames, "settings": self._settings_h[kind], "tools": self._tools_h[kind]}

    @staticmethod
    def combine(parts: dict[str, str]) -> str:
        return sha256_bytes(f"{parts['kind']}|{parts['frames']}|{parts['settings']}|{parts['tools']}".encode())

    def fingerprint(self, kind: str, frame_hashes: list[str]) -> tuple[str, dict[str, str]]:
        p = self.parts(kind, frame_hashes)
        return self.combine(p), p
