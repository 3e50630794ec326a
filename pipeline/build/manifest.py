"""The build manifest, ``<out>/.pipeline-manifest.json``: for every output, what produced it and what it contains.

```json
{
 "format": 1,
 "outputs": {
  "muscles/gif/Leg-Lateral.gif": {
   "fingerprint": "<sha256 of the parts below>",
   "frames": "<sha256 over the frames' content hashes, in order>",
   "kind": "gif",
   "page": "raw/pages/leg-lateral.md",
   "settings": "<sha256 of the settings that shape a GIF>",
   "sha256": "<sha256 of the file>",
   "size": 123456,
   "tools": "<sha256 of the versions that shape a GIF>"
  }
 },
 "settings": {"gif": {...}, "mp4": {...}, ...},
 "tools": {"gif": {"Pillow": ..., "imagequant": ..., ...}, ...}
}
```

Deterministic: sorted keys (one output per line), no times, no absolute paths; the same inputs give the same bytes whatever
``--jobs`` is. It is written atomically, during the build as outputs complete and once at the end, and only
ever lists an output after that output was renamed into place complete. Size and hash let a build notice an
output altered or replaced by hand; modification times are kept apart, in the stat cache (``hashcache``).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.content.atomic import write_bytes

MANIFEST_NAME = ".pipeline-manifest.json"
FORMAT = 1
ENTRY_KEYS = ("fingerprint", "frames", "kind", "page", "settings", "sha256", "size", "tools")


class Manifest:
    def __init__(self, path: Path, outputs: dict[str, dict] | None = None) -> None:
        self.path = path
        self.outputs: dict[str, dict] = outputs or {}
        self.settings: dict = {}
        self.tools: dict = {}
        self.dirty = False  # changed since loaded or saved

    @classmethod
    def load(cls, out: Path) -> "Manifest":
        m = cls(out / MANIFEST_NAME)
        try:
            data = json.loads(m.path.read_bytes())
        except FileNotFoundError:
            m.dirty = True
            return m
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("outputs"), dict):
            m.dirty = True
            return m  # unknown or damaged: every output is rebuilt, nothing is trusted
        m.outputs = {k: v for k, v in data["outputs"].items() if isinstance(v, dict) and all(x in v for x in ENTRY_KEYS)}
        m.settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
        m.tools = data.get("tools") if isinstance(data.get("tools"), dict) else {}
        m.dirty = len(m.outputs) != len(data["outputs"])
        return m

    def get(self, path: str) -> dict | None:
        return self.outputs.get(path)

    def set(self, path: str, entry: dict) -> None:
        e = {k: entry[k] for k in ENTRY_KEYS}
        if self.outputs.get(path) != e:
            self.outputs[path] = e
            self.dirty = True

    def drop(self, path: str) -> None:
        if self.outputs.pop(path, None) is not None:
            self.dirty = True

    def set_tables(self, settings: dict, tools: dict) -> None:
        """The settings and tool versions of each kind built (what the outputs' ``settings``/``tools`` hash)."""
        if (settings, tools) != (self.settings, self.tools):
            self.settings, self.tools = settings, tools
            self.dirty = True

    def dumps(self) -> bytes:
        """Sorted keys, one output per line (diffable), the C encoder per entry (fast for thousands of outputs)."""
        enc = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode
        lines = [f" {enc(k)}:{enc(v)}" for k, v in sorted(self.outputs.items())]
        outputs = "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"
        return (
            "{\n"
            f'"format":{FORMAT},\n'
            f'"outputs":{outputs},\n'
            f'"settings":{enc(self.settings)},\n'
            f'"tools":{enc(self.tools)}\n'
            "}\n"
        ).encode()

    def save(self) -> None:
        write_bytes(self.path, self.dumps())
        self.dirty = False
