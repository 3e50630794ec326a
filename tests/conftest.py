"""Shared fixtures: small sites written on the fly (pages + tiny renders), and a CLI runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "muscle-atlas" / "pages"


def page_text(
    permalink: str = "/muscle/leg/lateral/",
    title: str = "Muscles of the lateral compartment of the leg",
    stem: str = "Leg-Lateral",
    frames: int = 4,
    description: str = "The lateral compartment holds the fibularis longus and fibularis brevis, which evert the foot.",
    image_id: str = "leglateral",
    tags: str = "leg",
    back: str = "/muscle/leg/",
    extra_body: str = "",
    numbers: list[int] | None = None,
) -> str:
    numbers = numbers if numbers is not None else list(range(1, frames + 1))
    gallery = "".join(
        f"  - image_url: muscles/png/{stem}-{n}.png\n"
        f"    caption: '{title} - orientation {n}'\n"
        f"    title: '{title} - orientation {n}'\n"
        for n in numbers
    )
    return (
        "---\n"
        "layout: page\n"
        f"permalink: {permalink}\n"
        f"title: '{title}'\n"
        "subheadline: 'Images and description.'\n"
        "header: no\n"
        f"tags: {tags}\n"
        "images:\n"
        f"  - image_id: '{image_id}'\n"
        f"    image_name: 'muscles/gif/{stem}.gif'\n"
        f"    image_title: '{title}'\n"
        f"    image_alt: '{title}'\n"
        "gallery:\n"
        f"{gallery}"
        "---\n"
        "\n"
        f"{description}\n"
        "\n"
        f"[Back››]({back})\n"
        f"{extra_body}"
        "\n"
        f'{{% include page-image im_id="{image_id}" %}}\n'
        "\n"
        "{% include gallery %}\n"
    )


def write_frames(root: Path, stem: str, numbers, size=(32, 24), mode="RGB") -> list[Path]:
    out = []
    d = root / "muscles" / "png"
    d.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        im = Image.new(mode, size, (255, 255, 255) if mode == "RGB" else (255, 255, 255, 0))
        for x in range(size[0]):
            for y in range(size[1] // 3, 2 * size[1] // 3):
                v = (x * 7 + n * 40) % 256
                im.putpixel((x, y), (v, 60, 255 - v) if mode == "RGB" else (v, 60, 255 - v, 255))
        p = d / f"{stem}-{n}.png"
        im.save(p)
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
