"""Rule examples that run: the format of each rule's ``PASSING`` and ``FAILING`` (``pipeline rules CODE`` shows
them; the test suite lints each one with every rule: a failing example gives findings of its rule only, a passing
one gives none).

An example is a small site: a project folder whose configuration is ``PYPROJECT`` below (pages under
``raw/pages``, renders under ``raw/images``; the region pages ``/muscle/`` and ``/muscle/leg/`` are published by
the rest of the site). It is written as sections, each opened by a directive line and holding the lines up to the
next directive:

    # file: PATH               the file, as written (a page, a plain-text article, or pyproject.toml to
                               replace the configuration)
    # page: PATH               a page in the site's shape, built from the "key: value" lines that follow
    # render: PATH SPEC        a render; SPEC is WIDTHxHEIGHT and a mode (RGB, RGBA, L, P), "64x48 RGB", and
                               may add a damage: empty (0 bytes), truncated (cut before its end), jpeg (a JPEG
                               under a .png name), text (a text file), animated (an animated PNG). A range
                               "Leg-Lateral-1..4.png" is four renders.
    # link: PATH -> TARGET     a symbolic link; TARGET is relative to the link's folder

PATHs are relative to the project folder. A directive line is "# " and one of these words and a colon at the start
of a line; any other line is content (a Markdown heading "# Notes" included). Empty lines that end a section are
not part of it. A directive line, and a key line of a ``# page:``, may end with a comment: two or more spaces, "#",
a space and any text (the lines of a ``# file:`` are kept as written).

``# page:`` writes what every page of the site holds (front matter: layout, permalink, title, subheadline,
header, tags, one ``images`` entry, a gallery whose captions and titles are "<title> - orientation N"; body: the
description, the Back link, the ``page-image`` include, the ``gallery`` include) from these keys, each optional:

    permalink    /muscle/leg/lateral/
    title        Muscles of the lateral compartment of the leg
    description  the description (the body's prose before the Back link); default: a sentence about the
                 lateral compartment (give one whenever the title changes)
    stem         Leg-Lateral: the gallery shows muscles/png/<stem>-N.png
    frames       4: orientations 1 to 4; or the orientations in gallery order, "1, 3, 2"
    image_id     the stem lower-cased without '-' (leglateral)
    gif          muscles/gif/<stem>.gif (the images entry's image_name)
    alt          the title (the images entry's image_alt; its image_title is the title)
    tags         the permalink's region (leg)
    back         /muscle/<region>/ (the Back link)
    show         the image_id (the im_id the page-image include names)
    front        a line added to the front matter after "header: no" (repeatable)
    body         a line added to the body after the Back link (repeatable; one empty line before the first)

``site_page`` writes the same page from Python (the tests' pages are made by it too).

FM004's failing example, for one: the lateral-compartment page, an old copy of it under the same permalink, and the
four renders both show:

    # page: raw/pages/leg-lateral.md
    # page: raw/pages/leg_lateral.md    # an old copy, under the same permalink
    # render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PYPROJECT = """\
[tool.pipeline]
pages = ["raw/pages"]
images = "raw/images"

[tool.pipeline.lint]
known-permalinks = ["/muscle/", "/muscle/leg/"]
"""

DEFAULT_DESCRIPTION = "The lateral compartment holds the fibularis longus and fibularis brevis, which evert the foot."

_DIRECTIVE = re.compile(r"^# (file|page|render|link): ?(.*)$")
_COMMENT = re.compile(r"\s{2,}#\s.*$")
_RANGE = re.compile(r"^(?P<head>.*-)(?P<first>\d+)\.\.(?P<last>\d+)(?P<tail>\.png)$")
_SIZE = re.compile(r"^(\d+)x(\d+)$")
MODES = ("RGB", "RGBA", "L", "P")
DAMAGES = ("empty", "truncated", "jpeg", "text", "animated")
PAGE_KEYS = ("permalink", "title", "description", "stem", "frames", "image_id", "gif", "alt", "tags", "back", "show", "front", "body")
_REPEATABLE = ("front", "body")


# what each directive stands for, in a line (``pipeline rules CODE`` prints those its examples use)
KINDS = {
    "page": "a page in the site's shape, from the key: value lines below it",
    "file": "a file, as written",
    "render": "a render under the images root: size and mode, or a damage",
    "link": "a symbolic link",
}


class ExampleError(ValueError):
    """An example that does not follow the format (a mistake in a rule module)."""


@dataclass(frozen=True)
class Render:
    path: str  # relative to the project folder
    width: int = 64
    height: int = 48
    mode: str = "RGB"
    damage: str | None = None  # one of DAMAGES


@dataclass
class Example:
    """A parsed example: the files to write (text, by path; the configuration included), renders and links."""

    files: dict[str, str] = field(default_factory=dict)
    renders: list[Render] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)  # the directives it uses, in order of first use

    @property
    def pages(self) -> list[str]:
        """Paths of the pages and articles, in the order written."""
        return [p for p in self.files if p.startswith("raw/pages/")]


def parse(text: str) -> Example:
    """``text`` in the example format -> the files, renders and links it describes."""
    ex = Example()
    for kind, arg, lines, lineno in _sections(text):
        if kind not in ex.kinds:
            ex.kinds.append(kind)
        if kind == "file":
            ex.files[_path(arg, lineno)] = "".join(line + "\n" for line in lines)
        elif kind == "page":
            ex.files[_path(arg, lineno)] = site_page(**_page_keys(lines, lineno))
        elif kind == "render":
            _no_content(lines, lineno)
            ex.renders += _renders(arg, lineno)
        else:
            _no_content(lines, lineno)
            link, sep, target = arg.partition(" -> ")
            if not sep or not target.strip():
                raise ExampleError(f"line {lineno}: a link is '# link: PATH -> TARGET'")
            ex.links[_path(link, lineno)] = target.strip()
    ex.files.setdefault("pyproject.toml", PYPROJECT)
    return ex


def _sections(text: str):
    """(directive, argument, content lines, line number) of each section; trailing empty lines dropped."""
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        m = _DIRECTIVE.match(line)
        if m:
            if current is not None:
                yield _trimmed(current)
            current = (m.group(1), _COMMENT.sub("", m.group(2)).strip(), [], n)
        elif current is None:
            if line.strip():
                raise ExampleError(f"line {n}: an example starts with a directive ('# file:', '# page:', '# render:', '# link:')")
        else:
            current[2].append(line)
    if current is None:
        raise ExampleError("an example holds at least one section")
    yield _trimmed(current)


def _trimmed(section):
    kind, arg, lines, n = section
    while lines and not lines[-1].strip():
        lines.pop()
    return kind, arg, lines, n


def _path(arg: str, lineno: int) -> str:
    if not arg or arg.startswith("/") or ".." in arg.split("/"):
        raise ExampleError(f"line {lineno}: expected a path inside the project folder, got {arg!r}")
    return arg


def _no_content(lines: list[str], lineno: int) -> None:
    if any(line.strip() for line in lines):
        raise ExampleError(f"line {lineno}: this directive is one line; nothing may follow it")


def _page_keys(lines: list[str], lineno: int) -> dict:
    keys: dict = {}
    for i, line in enumerate(lines, lineno + 1):
        line = _COMMENT.sub("", line)
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in PAGE_KEYS:
            raise ExampleError(f"line {i}: expected 'key: value' with a key among {', '.join(PAGE_KEYS)}")
        if key in _REPEATABLE:
            keys.setdefault(key, []).append(line.split(":", 1)[1].removeprefix(" "))
        elif key in keys:
            raise ExampleError(f"line {i}: {key} given twice")
        elif key == "frames":
            keys[key] = _frames(value, i)
        else:
            keys[key] = value
    keys["front"] = "".join(f + "\n" for f in keys.get("front", ()))
    body = keys.pop("body", ())
    keys["extra_body"] = "\n" + "".join(b + "\n" for b in body) if body else ""
    return keys


def _frames(value: str, lineno: int) -> list[int]:
    try:
        numbers = [int(v) for v in value.replace(",", " ").split()]
    except ValueError:
        numbers = []
    if not numbers:
        raise ExampleError(f"line {lineno}: frames is a count ('4') or orientation numbers ('1, 3, 2')")
    return list(range(1, numbers[0] + 1)) if len(numbers) == 1 else numbers


def _renders(arg: str, lineno: int) -> list[Render]:
    path, *spec = arg.split()
    size, mode, damage = (64, 48), "RGB", None
    for token in spec:
        m = _SIZE.match(token)
        if m:
            size = (int(m.group(1)), int(m.group(2)))
        elif token in MODES:
            mode = token
        elif token in DAMAGES:
            damage = token
        else:
            raise ExampleError(f"line {lineno}: render spec {token!r} is not WIDTHxHEIGHT, a mode ({', '.join(MODES)}) or a damage ({', '.join(DAMAGES)})")
    m = _RANGE.match(path)
    paths = [f"{m['head']}{n}{m['tail']}" for n in range(int(m["first"]), int(m["last"]) + 1)] if m else [path]
    return [Render(_path(p, lineno), size[0], size[1], mode, damage) for p in paths]


def _quoted(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def site_page(
    permalink: str = "/muscle/leg/lateral/",
    title: str = "Muscles of the lateral compartment of the leg",
    stem: str = "Leg-Lateral",
    frames: int | list[int] = 4,
    description: str = DEFAULT_DESCRIPTION,
    image_id: str | None = None,
    gif: str | None = None,
    alt: str | None = None,
    tags: str | None = None,
    back: str | None = None,
    show: str | None = None,
    front: str = "",
    extra_body: str = "",
    folder: str = "muscles/png",
) -> str:
    """A page in the site's shape (the ``# page:`` keys; ``front`` and ``extra_body`` are text, inserted as
    written). ``frames``: a count, or the orientation numbers in gallery order; ``folder``: where the renders are."""
    numbers = list(range(1, frames + 1)) if isinstance(frames, int) else list(frames)
    region = ([p for p in permalink.split("/") if p][1:2] or ["leg"])[0]
    image_id = image_id if image_id is not None else stem.lower().replace("-", "")
    t = _quoted(title)
    gallery = "".join(
        f"  - image_url: {folder}/{stem}-{n}.png\n"
        f"    caption: {_quoted(f'{title} - orientation {n}')}\n"
        f"    title: {_quoted(f'{title} - orientation {n}')}\n"
        for n in numbers
    )
    return (
        "---\n"
        "layout: page\n"
        f"permalink: {permalink}\n"
        f"title: {t}\n"
        "subheadline: 'Images and description.'\n"
        "header: no\n"
        f"{front}"
        f"tags: {tags if tags is not None else region}\n"
        "images:\n"
        f"  - image_id: {_quoted(image_id)}\n"
        f"    image_name: {_quoted(gif if gif is not None else f'muscles/gif/{stem}.gif')}\n"
        f"    image_title: {t}\n"
        f"    image_alt: {_quoted(alt if alt is not None else title)}\n"
        "gallery:\n"
        f"{gallery}"
        "---\n"
        "\n"
        f"{description}\n"
        "\n"
        f"[Back››]({back if back is not None else f'/muscle/{region}/'})\n"
        f"{extra_body}"
        "\n"
        f'{{% include page-image im_id="{show if show is not None else image_id}" %}}\n'
        "\n"
        "{% include gallery %}\n"
    )
