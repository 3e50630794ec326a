"""The build manifest: for every output, what produced it and what it contains (kept in the build state, ``state``).

An entry, as ``dumps`` writes it (sorted JSON, one output per line: the form to diff or read)::

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

beside ``settings`` and ``tools``: the settings and versions of each kind built (what the entries' ``settings``
and ``tools`` hash). Deterministic: no times, no absolute paths; the same inputs give the same manifest whatever
``--jobs`` is. It is saved during the build as outputs complete and once at the end, and only ever lists an output
after that output was renamed into place complete. Size and hash let a build notice an output altered or replaced
by hand; modification times are kept apart, in the stat cache (``hashcache``).
"""

from __future__ import annotations

import json

FORMAT = 1
ENTRY_KEYS = ("fingerprint", "frames", "kind", "page", "settings", "sha256", "size", "tools")


class Manifest:
    def __init__(self, outputs: dict[str, dict] | None = None) -> None:
        self.outputs: dict[str, dict] = outputs or {}
        self.settings: dict = {}
        self.tools: dict = {}
        self.changed: set[str] = set()  # outputs set or dropped since read or saved
        self.tables_changed = False

    @property
    def dirty(self) -> bool:
        return bool(self.changed) or self.tables_changed

    def written(self) -> None:
        self.changed.clear()
        self.tables_changed = False

    def get(self, path: str) -> dict | None:
        return self.outputs.get(path)

    def set(self, path: str, entry: dict) -> None:
        e = {k: entry[k] for k in ENTRY_KEYS}
        if self.outputs.get(path) != e:
            self.outputs[path] = e
            self.changed.add(path)

    def drop(self, path: str) -> None:
        if self.outputs.pop(path, None) is not None:
            self.changed.add(path)

    def set_tables(self, settings: dict, tools: dict) -> None:
        """The settings and tool versions of each kind built (what the outputs' ``settings``/``tools`` hash)."""
        if (settings, tools) != (self.settings, self.tools):
            self.settings, self.tools = settings, tools
            self.tables_changed = True

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

    @classmethod
    def loads(cls, data: bytes | str) -> "Manifest":
        """A manifest from ``dumps``'s JSON (the format older versions kept in the output folder); entries that lack
        a field are left out (their outputs are verified or rebuilt). Raises ValueError when it is not one."""
        doc = json.loads(data)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("outputs"), dict):
            raise ValueError("not a manifest of format 1")
        m = cls({k: {f: v[f] for f in ENTRY_KEYS} for k, v in doc["outputs"].items() if isinstance(v, dict) and all(f in v for f in ENTRY_KEYS)})
        m.settings = doc["settings"] if isinstance(doc.get("settings"), dict) else {}
        m.tools = doc["tools"] if isinstance(doc.get("tools"), dict) else {}
        return m
