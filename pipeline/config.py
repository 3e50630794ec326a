"""Configuration: ``[tool.pipeline]`` of pyproject.toml, overridable from the command line.

```toml
[tool.pipeline]
pages = ["raw/pages"]          # folders or files to lint and build
articles = []                  # folders of plain Markdown/text articles (no front matter expected)
images = "raw/images"          # root of the renders; image paths in pages are relative to it
out = "dist"                   # build output
schema = "my.schema.json"      # optional: the page schema (default: the one shipped in the package)
max-page-bytes = 1000000       # larger pages are not read (FM001)

[tool.pipeline.encode]         # see pipeline/encode/settings.py
duration_ms = 120

[tool.pipeline.lint]
select = ["FM", "IMG", "TXT"]  # codes or prefixes
ignore = []
strict = false                 # warnings fail too
severity = { TXT002 = "error" }
per-path-ignores = { "raw/pages/legacy/*.md" = ["TXT003"] }
words = "words.txt"            # extra accepted words for TXT003
known-permalinks = ["/muscle/leg/"]   # pages published outside the linted content (for TXT005)
```
Paths are relative to the folder of the file they are written in: the project root. Every path in lint's and
the build's output is shown relative to it too (``Config.show``), whatever the working directory. Every list
must be written as a list: a string where a list belongs is an error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.encode.settings import EncodeSettings
from pipeline.content.findings import Severity


class ConfigError(Exception):
    """Bad configuration or usage: reported as 'Error: …' with exit code 2."""


_TOP_KEYS = {"pages", "articles", "images", "out", "schema", "max-page-bytes", "encode", "lint"}
_LINT_KEYS = {"select", "ignore", "strict", "severity", "per-path-ignores", "words", "known-permalinks"}


@dataclass
class LintConfig:
    select: list[str] = field(default_factory=list)  # empty: all rules
    ignore: list[str] = field(default_factory=list)
    strict: bool = False
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    words: Path | None = None
    known_permalinks: list[str] = field(default_factory=list)  # published by the rest of the site


@dataclass
class Config:
    root: Path
    source: Path | None  # the file it was read from
    pages: list[Path]
    articles: list[Path]
    images: Path
    out: Path
    schema: Path | None
    max_page_bytes: int = 1_000_000
    encode: EncodeSettings = field(default_factory=EncodeSettings)
    lint: LintConfig = field(default_factory=LintConfig)

    @property
    def site_roots(self) -> list[Path]:
        """The configured site: the ``pages`` folders or files, then the ``articles`` ones not among them."""
        seen = {os.path.abspath(p) for p in self.pages}
        return self.pages + [a for a in self.articles if os.path.abspath(a) not in seen]

    def show(self, path: Path | str) -> str:
        """``path`` as every output shows it: relative to the project root when inside it, else absolute."""
        from pipeline.content.loader import display_path

        return display_path(Path(path), self.root)


def find_pyproject(start: Path) -> Path | None:
    d = start.resolve()
    for cand in [d, *d.parents]:
        f = cand / "pyproject.toml"
        if f.is_file():
            return f
    return None


def load_config(config_file: Path | None = None, cwd: Path | None = None) -> Config:
    cwd = cwd or Path.cwd()
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"{config_file}: configuration file not found")
        source: Path | None = config_file
    else:
        source = find_pyproject(cwd)
    table: dict = {}
    if source is not None:
        try:
            doc = tomllib.loads(source.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{source}: invalid TOML: {e}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{source}: cannot read: {e}") from None
        # pyproject.toml keeps settings under [tool.pipeline]; a dedicated file may hold them at top level
        if source.name == "pyproject.toml" or "tool" in doc:
            table = doc.get("tool", {}).get("pipeline", {})
        else:
            table = doc
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [tool.pipeline] must be a table")
    root = source.parent if source is not None else cwd
    return _from_table(table, root, source)


def _rel(root: Path, value: str) -> Path:
    p = Path(value)
    if p.is_absolute():
        return p
    # keep paths short and readable in messages: relative to the working directory when possible
    joined = root / p
    try:
        return Path(os.path.relpath(joined))
    except ValueError:  # pragma: no cover
        return joined


def _need(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise ConfigError(f"{where}: {what}")


def _str_list(v, where: str) -> list[str]:
    if isinstance(v, str):
        raise ConfigError(f"{where}: expected a list of strings, got the string {v!r} (write [{json.dumps(v)}])")
    _need(isinstance(v, list) and all(isinstance(x, str) for x in v), where, "expected a list of strings")
    return list(v)


def _from_table(t: dict, root: Path, source: Path | None) -> Config:
    where = f"{source or 'defaults'} [tool.pipeline]"
    unknown = set(t) - _TOP_KEYS
    _need(not unknown, where, f"unknown setting(s): {', '.join(sorted(unknown))}")
    pages = [_rel(root, p) for p in _str_list(t.get("pages", ["raw/pages"]), f"{where} pages")]
    articles = [_rel(root, p) for p in _str_list(t.get("articles", []), f"{where} articles")]
    images = t.get("images", "raw/images")
    out = t.get("out", "dist")
    _need(isinstance(images, str), f"{where} images", "expected a string")
    _need(isinstance(out, str), f"{where} out", "expected a string")
    schema = t.get("schema")
    _need(schema is None or isinstance(schema, str), f"{where} schema", "expected a string")
    mpb = t.get("max-page-bytes", 1_000_000)
    _need(isinstance(mpb, int) and not isinstance(mpb, bool) and mpb > 0, f"{where} max-page-bytes", "expected a positive integer")
    cfg = Config(
        root=root,
        source=source,
        pages=pages,
        articles=articles,
        images=_rel(root, images),
        out=_rel(root, out),
        schema=_rel(root, schema) if schema else None,
        max_page_bytes=mpb,
        encode=_encode(t.get("encode", {}), f"{where[:-1]}.encode]"),
        lint=_lint(t.get("lint", {}), root, f"{where[:-1]}.lint]"),
    )
    return cfg


def _encode(t: dict, where: str) -> EncodeSettings:
    _need(isinstance(t, dict), where, "expected a table")
    known = {f.name: f for f in dataclasses.fields(EncodeSettings)}
    values = {}
    for k, v in t.items():
        name = k.replace("-", "_")
        _need(name in known, where, f"unknown setting {k!r} (known: {', '.join(sorted(known))})")
        default = getattr(EncodeSettings(), name)
        if isinstance(default, bool):
            _need(isinstance(v, bool), f"{where} {k}", "expected true or false")
        elif isinstance(default, int):
            _need(isinstance(v, int) and not isinstance(v, bool), f"{where} {k}", "expected an integer")
        elif isinstance(default, float):
            _need(isinstance(v, (int, float)) and not isinstance(v, bool), f"{where} {k}", "expected a number")
            v = float(v)
        values[name] = v
    try:
        s = EncodeSettings(**values)
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: {e}") from None
    validate_encode(s, where)
    return s


def validate_encode(s: EncodeSettings, where: str) -> None:
    _need(10 <= s.duration_ms <= 60_000 and s.duration_ms % 10 == 0, f"{where} duration_ms", "expected a multiple of 10 between 10 and 60000 (GIF stores centiseconds)")
    _need(s.loop >= 0, f"{where} loop", "expected 0 (forever) or a positive count")
    _need(1 <= s.quality <= 100, f"{where} quality", "expected 1 to 100")
    _need(s.thumb_width > 0 and s.thumb_height > 0, f"{where} thumb size", "expected positive sizes")
    _need(0 <= s.render_level <= 6, f"{where} render_level", "expected an oxipng preset from 0 to 6")
    _need(s.max_pixels > 0 and s.max_frames > 0, f"{where} limits", "expected positive limits")


def _lint(t: dict, root: Path, where: str) -> LintConfig:
    _need(isinstance(t, dict), where, "expected a table")
    unknown = set(t) - _LINT_KEYS
    _need(not unknown, where, f"unknown setting(s): {', '.join(sorted(unknown))}")
    lc = LintConfig()
    lc.select = _str_list(t.get("select", []), f"{where} select")
    lc.ignore = _str_list(t.get("ignore", []), f"{where} ignore")
    strict = t.get("strict", False)
    _need(isinstance(strict, bool), f"{where} strict", "expected true or false")
    lc.strict = strict
    sev = t.get("severity", {})
    _need(isinstance(sev, dict), f"{where} severity", "expected a table of CODE = \"error\"|\"warning\"")
    for code, level in sev.items():
        _need(level in ("error", "warning"), f"{where} severity.{code}", "expected \"error\" or \"warning\"")
        lc.severity[code] = Severity(level)
    ppi = t.get("per-path-ignores", {})
    _need(isinstance(ppi, dict), f"{where} per-path-ignores", "expected a table of glob = [codes]")
    for glob, codes in ppi.items():
        lc.per_path_ignores[glob] = _str_list(codes, f"{where} per-path-ignores.{glob!r}")
    words = t.get("words")
    _need(words is None or isinstance(words, str), f"{where} words", "expected a path")
    lc.words = _rel(root, words) if words else None
    lc.known_permalinks = _str_list(t.get("known-permalinks", []), f"{where} known-permalinks")
    return lc
