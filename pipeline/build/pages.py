"""Page plans for a build, with the page records cache: a page whose bytes, and the files it names, are as when it
was last planned is not parsed or checked again.

A page's record (kept in the stat cache, ``hashcache``) holds its plan, the references it makes (``refs``), a digest
of what the images root said about them (``facts``: each frame's resolution and stat, each animation's frames on
disk) and the findings of the build-input check. It is used while the page's key (its path and bytes) and the
facts are unchanged, and while the *plan context* is: everything else a record depends on, that is the settings
and roots it was made with, the output kinds and how they name outputs, the source of the modules that make a
record (named by import, so a module that is moved or renamed fails loudly instead of leaving stale records) and
the check's own context.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.build import plan as plan_mod
from pipeline.build.fingerprint import module_source, sha256_bytes
from pipeline.build.hashcache import HashCache, stat_key
from pipeline.build.plan import PagePlan, page_plan
from pipeline.config import Config
from pipeline.content import files as files_mod
from pipeline.content import findings, frontmatter, loader, model, outputs, png
from pipeline.content.files import ImageFiles
from pipeline.content.findings import Finding
from pipeline.content.model import gif_sequence
from pipeline.encode import kinds

# The code a page record depends on: the plan, the parsing and model it reads, the resolver behind the facts (and
# the header reader it holds), the findings' serialisation, the kinds' naming, and this module (records and
# facts). A test checks that this covers every ``pipeline`` module these import.
RECORD_MODULES = (plan_mod, loader, frontmatter, model, outputs, files_mod, png, findings, kinds)


def plan_context(config: Config, check) -> str:
    """What every page record depends on besides the page and the files it names: a change drops the records.
    ``check``: the build-input check (its ``context()`` names what its findings depend on)."""
    enabled = kinds.enabled(config.encode)
    h = hashlib.sha256(f"{__version__}|{config.max_page_bytes}|".encode())
    h.update(os.path.abspath(config.images).encode() + b"\0")
    for a in sorted(os.path.abspath(p) for p in config.articles):
        h.update(a.encode() + b"\0")
    for k in enabled:
        h.update(k.naming().encode() + b"\0")
    names = {m.__name__ for m in RECORD_MODULES} | {__name__}
    names |= {k.frame_name.__module__ for k in enabled if k.frame_name is not None}
    for name in sorted(names):
        h.update(name.encode() + b"\0" + module_source(name))
    h.update(check.context().encode())
    return h.hexdigest()


def _page_key(f: Path, config: Config) -> str | None:
    try:
        if f.stat().st_size > config.max_page_bytes:
            return None
        return sha256_bytes(loader.display_path(f, config.root).encode() + b"\0" + f.read_bytes())
    except OSError:
        return None


def _refs(page) -> dict:
    """What a page's build-input findings depend on besides its bytes: the files it names."""
    return {"gallery": [g.url for g in page.gallery if g.url], "gifs": [im.name for im in page.images if im.name]}


def _facts(refs: dict, images: ImageFiles) -> str:
    """A digest of what the images root says about ``refs`` (each frame's resolution and stat, each animation's
    frames on disk): when it is unchanged, so are the findings of the rules that read those files."""
    h = hashlib.sha256()
    for url in refs["gallery"]:
        r = images.resolve(url, stat=True)
        h.update(f"{url}\0{r.unsafe or r.missing or ''}\0{stat_key(r.stat) if r.stat is not None else ''}\n".encode())
    for name in refs["gifs"]:
        if name.endswith(".gif") and not images.unsafe_reason(name):
            d, stem = gif_sequence(name)
            h.update(f"{name}\0{sorted(images.sequence_numbers(d, stem))}\n".encode())
    return h.hexdigest()


@dataclass
class _Record:
    key: str | None
    plan: PagePlan
    refs: dict
    facts: str
    problems: tuple[Finding, ...] | None  # None: not checked yet
    page: object = None  # the parsed page, when it was parsed


def _cached(key: str | None, cache: HashCache | None, images: ImageFiles) -> _Record | None:
    hit = cache.page(key) if cache is not None and key else None
    if hit is None:
        return None
    try:
        plan, refs = PagePlan.from_json(hit["plan"]), hit["refs"]
        facts = _facts(refs, images)
        if facts == hit["facts"]:
            return _Record(key, plan, refs, facts, tuple(Finding.from_dict(d) for d in hit["problems"]))
    except (KeyError, TypeError, ValueError):
        pass
    return None


def plan_pages(files: list[Path], config: Config, cache: HashCache | None, check, images: ImageFiles | None = None, *, pages=None) -> list[PagePlan]:
    """Page plans for ``files`` (or for already loaded ``pages``), each with the findings that keep it from being
    built. A page whose bytes, and the files it names, are as when it was last planned is not parsed or checked
    again: its cached plan and findings are used. ``images``: the build's view of the images root."""
    images = images if images is not None else ImageFiles.of(config)
    enabled = kinds.enabled(config.encode)
    records: list[_Record] = []
    for f, page in ((p.path, p) for p in pages) if pages is not None else ((f, None) for f in files):
        key = _page_key(f, config) if cache is not None else None
        rec = _cached(key, cache, images) if page is None else None
        if rec is None:
            if page is None:
                page = loader.read_page(f, article_roots=tuple(config.articles), max_bytes=config.max_page_bytes, root=config.root)
            refs = _refs(page)
            # the facts before the check: a file changed during the check makes the next build check again
            rec = _Record(key, page_plan(page, enabled), refs, _facts(refs, images), None, page)
        records.append(rec)
    to_check = [r.page for r in records if r.problems is None]
    found = check.check(to_check, images) if to_check else {}
    plans = []
    for r in records:
        if r.problems is None:
            r.problems = tuple(found.get(r.page.display, ()))
            if cache is not None and r.key:
                cache.record_page(r.key, {"plan": r.plan.to_json(), "refs": r.refs, "facts": r.facts, "problems": [f.to_dict() for f in r.problems]})
        plans.append(dataclasses.replace(r.plan, problems=r.problems) if r.problems else r.plan)
    return plans
