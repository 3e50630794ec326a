"""`pipeline new SEQUENCE`: a page for a render sequence no page shows yet (what IMG006 reports), in the site's
shape: permalink, title, tags from the region, the ``images`` entry of its GIF, the full gallery, the Back link and
the includes, and a placeholder description (``PLACEHOLDER``) that TXT009 reports until it is written.

The region comes from the sequence name (``Leg-Soleus``: region ``leg``, structure "soleus"); the permalink sits
beside the region page's, and the file is named and placed like the site's other pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.content.model import Site, gif_name, normalize_permalink

PLACEHOLDER = "TODO: describe the {words}: where it arises and inserts, what it does, and its nerve supply."


class ScaffoldError(ValueError):
    """The sequence cannot be given a page (a message for the author)."""


@dataclass(frozen=True)
class Scaffold:
    path: Path
    text: str
    permalink: str


def scaffold(config: Config, site: Site, sequences: dict, spec: str, *, title: str | None = None, output: Path | None = None) -> Scaffold:
    """The new page for the sequence ``spec`` ('Leg-Soleus' or 'muscles/png/Leg-Soleus'); ``sequences``: the images
    root's (folder, stem) -> [(number, file name)]."""
    from pipeline.lint.examples import site_page

    directory, stem = _find(sequences, spec)
    numbers = sorted(n for n, _ in sequences[(directory, stem)])
    if numbers != list(range(1, len(numbers) + 1)):
        gaps = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        raise ScaffoldError(f"{directory}/{stem}: orientations {', '.join(map(str, gaps))} are not on disk; render them first")
    if any(name != f"{stem}-{n}.png" for n, name in sequences[(directory, stem)]):
        raise ScaffoldError(f"{directory}/{stem}: frames are not named {stem}-N.png")
    for page in site.pages:
        if any(g.frame is not None and (g.frame.directory, g.frame.stem) == (directory, stem) for g in page.gallery):
            raise ScaffoldError(f"{directory}/{stem} is already shown by {page.display}")
    region, words, slug = _names(stem)
    base = _base(site, region)
    permalink = f"{base}{region}/{slug}/"
    if normalize_permalink(permalink) in site.by_permalink():
        raise ScaffoldError(f"permalink {permalink} is taken by {site.by_permalink()[normalize_permalink(permalink)][0].display}")
    title = title or f"The {words} muscle of the {region}"
    text = site_page(permalink=permalink, title=title, stem=stem, frames=len(numbers), description=PLACEHOLDER.format(words=words),
                     gif=gif_name(directory, stem), tags=region, back=f"{base}{region}/", folder=directory)
    path = output or _place(config, site, region, slug)
    if path.exists():
        raise ScaffoldError(f"{path} exists; name another file with --output")
    return Scaffold(path, text, permalink)


def _find(sequences: dict, spec: str) -> tuple[str, str]:
    spec = re.sub(r"(-\d+)?\.png$", "", spec.strip().strip("/"))
    directory, _, stem = spec.rpartition("/")
    hits = [key for key in sequences if key[1] == stem and (not directory or key[0] == directory)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ScaffoldError(f"{stem} is in several folders ({', '.join(sorted(d for d, _ in hits))}); name one: FOLDER/{stem}")
    import difflib

    near = difflib.get_close_matches(stem, sorted({s for _, s in sequences}), n=3)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise ScaffoldError(f"no render sequence {spec!r} under the images root{hint}")


def _names(stem: str) -> tuple[str, str, str]:
    """'Leg-LateralGastrocnemius' -> ('leg', 'lateral gastrocnemius', 'lateralgastrocnemius')."""
    region, sep, name = stem.partition("-")
    if not sep or not name or not region.isalpha():
        raise ScaffoldError(f"cannot tell the region of {stem!r}: sequences are named Region-Structure (Leg-Soleus)")
    words = " ".join(w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name))
    return region.lower(), words, re.sub(r"[^a-z0-9]", "", name.lower())


def _base(site: Site, region: str) -> str:
    """The permalink prefix of the region's page ('/muscle/' when the region page is /muscle/leg/)."""
    prefixes = Counter()
    for page in site.pages:
        parts = [p for p in normalize_permalink(page.permalink).split("/") if p] if page.permalink else []
        if region in parts[:-1] or parts[-1:] == [region]:
            i = parts.index(region)
            prefixes["/" + "".join(p + "/" for p in parts[:i])] += 1
    return min(prefixes, key=lambda p: (-prefixes[p], p)) if prefixes else "/muscle/"


def _place(config: Config, site: Site, region: str, slug: str) -> Path:
    """Named like most pages ('muscle_leg-soleus.md': 'muscle_{region}-{slug}.md'), in the folder holding most pages
    of the region (else the first configured pages folder)."""
    patterns, folders = Counter(), Counter()
    for page in site.pages:
        parts = [p for p in normalize_permalink(page.permalink).split("/") if p] if page.permalink else []
        if len(parts) < 2:
            continue
        p_region, p_slug, name = parts[-2], parts[-1], page.path.name
        at = name.rfind(p_slug)
        if at >= 0 and p_region in name[:at]:
            head = name[:at]
            r = head.rfind(p_region)
            patterns[head[:r] + "{region}" + head[r + len(p_region) :] + "{slug}" + name[at + len(p_slug) :]] += 1
        if p_region == region:
            folders[str(page.path.parent)] += 1
    pattern = min(patterns, key=lambda p: (-patterns[p], p)) if patterns else "{region}-{slug}.md"
    folder = Path(min(folders, key=lambda f: (-folders[f], f))) if folders else config.pages[0]
    return folder / pattern.format(region=region, slug=slug)
