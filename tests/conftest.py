"""Shared fixtures: small sites written on the fly (pages + tiny renders), and a CLI runner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.lint.examples import DEFAULT_DESCRIPTION, Render, site_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "muscle-atlas" / "pages"


def page_text(
    permalink: str = "/muscle/leg/lateral/",
    title: str = "Muscles of the lateral compartment of the leg",
    stem: str = "Leg-Lateral",
    frames: int = 4,
    description: str = DEFAULT_DESCRIPTION,
    image_id: str = "leglateral",
    tags: str = "leg",
    back: str = "/muscle/leg/",
    extra_body: str = "",
    numbers: list[int] | None = None,
) -> str:
    """A page in the site's shape: the rule examples' ``# page:`` (``pipeline.lint.examples.site_page``)."""
    return site_page(
        permalink=permalink, title=title, stem=stem, frames=numbers if numbers is not None else frames, description=description,
        image_id=image_id, tags=tags, back=back, extra_body=extra_body,
    )


def write_render(path: Path, r: Render) -> None:
    """A small deterministic render (a colour band that changes with the orientation number), or the damage the
    example's ``# render:`` asks for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if r.damage == "empty":
        path.write_bytes(b"")
        return
    if r.damage == "text":
        path.write_text("not an image\n")
        return
    m = re.search(r"-(\d+)\.png$", path.name)
    shade = int(m.group(1)) * 40 if m else 0
    im = Image.new("RGB", (r.width, r.height), (255, 255, 255))
    for x in range(r.width):
        for y in range(r.height // 3, 2 * r.height // 3):
            v = (x * 7 + shade) % 256
            im.putpixel((x, y), (v, 60, 255 - v))
    if r.damage == "jpeg":
        im.save(path, format="JPEG")
        return
    im = im.convert(r.mode)
    if r.damage == "animated":
        im.save(path, format="PNG", save_all=True, append_images=[im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])
        return
    im.save(path, format="PNG")
    if r.damage == "truncated":
        path.write_bytes(path.read_bytes()[:-20])


def write_frames(root: Path, stem: str, numbers, size=(32, 24), mode="RGB") -> list[Path]:
    out = []
    for n in numbers:
        p = root / "muscles" / "png" / f"{stem}-{n}.png"
        write_render(p, Render(str(p), size[0], size[1], mode))
        out.append(p)
    return out


@dataclass
class Site:
    root: Path

    @property
    def pages(self) -> Path:
        return self.root / "raw" / "pages"

    @property
    def images(self) -> Path:
        return self.root / "raw" / "images"

    def page(self, name: str, text: str | None = None, **kw) -> Path:
        p = self.pages / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text if text is not None else page_text(**kw), encoding="utf-8")
        return p

    def frames(self, stem: str, numbers=range(1, 5), **kw) -> list[Path]:
        return write_frames(self.images, stem, numbers, **kw)


@pytest.fixture
def site(tmp_path, monkeypatch) -> Site:
    """An empty project folder (pyproject with [tool.pipeline] defaults) as the working directory."""
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\nout = "dist"\n'
        '[tool.pipeline.lint]\nknown-permalinks = ["/muscle/leg/"]\n')
    (tmp_path / "raw" / "pages").mkdir(parents=True)
    (tmp_path / "raw" / "images").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return Site(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"real sample not present at {CORPUS}")
    return CORPUS


PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project_dir(monkeypatch) -> Path:
    monkeypatch.chdir(PROJECT)
    return PROJECT




# --- collection guard: every tests/**/test_*.py must be collected (see tests/test_collection.py) -------------------

_VISITED = pytest.StashKey[set]()


def pytest_configure(config):
    config.stash[_VISITED] = set()


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("test_"):
        parent.config.stash[_VISITED].add(file_path.resolve())


def visited_test_files(config) -> set[Path]:
    return config.stash[_VISITED]
