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

Deterministic: sorted keys, no times, no absolute paths; the same inputs give the same bytes whatever
``--jobs`` is. It is written atomically, during the build as outputs complete and once at the end, and only
ever lists an output after that output was renamed into place complete. Size and hash let a build notice an
output altered or replaced by hand; modification times are kept apart, in the stat cache (``hashcache``).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.atomic import write_bytes

MANIFEST_NAME = ".pipeline-manifest.json"
FORMAT = 1
ENTRY_KEYS = ("fingerprint", "frames", "kind", "page", "settings", "sha256", "size", "tools")


class Manifest:
    def __init__(self, path: Path, outputs: dict[str, dict] | None = None) -> None:
        self.path = path
        self.outputs: dict[str, dict] = outputs or {}
        self.settings: dict = {}
        self.tools: dict = {}

    @classmethod
    def load(cls, out: Path) -> "Manifest":
        m = cls(out / MANIFEST_NAME)
        try:
            data = json.loads(m.path.read_bytes())
        except (OSError, ValueError):
            return m
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("outputs"), dict):
            return m  # unknown or damaged: every output is rebuilt, nothing is trusted
        m.outputs = {k: v for k, v in data["outputs"].items() if isinstance(v, dict) and all(x in v for x in ENTRY_KEYS)}
        return m

    def get(self, path: str) -> dict | None:
        return self.outputs.get(path)

    def set(self, path: str, entry: dict) -> None:
        self.outputs[path] = {k: entry[k] for k in ENTRY_KEYS}

    def drop(self, path: str) -> None:
        self.outputs.pop(path, None)

    def by_fingerprint(self) -> dict[str, list[str]]:
        idx: dict[str, list[str]] = {}
        for path, e in sorted(self.outputs.items()):
            idx.setdefault(e["fingerprint"], []).append(path)
        return idx

    def dumps(self) -> bytes:
        data = {"format": FORMAT, "outputs": self.outputs, "settings": self.settings, "tools": self.tools}
        return (json.dumps(data, sort_keys=True, indent=1) + "\n").encode()

    def save(self) -> None:
        write_bytes(self.path, self.dumps())
