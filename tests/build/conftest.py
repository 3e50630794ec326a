"""Small generated projects for the build tests: pages in the site's front-matter shape, tiny synthetic renders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.renders import seed_for, write_sequence

REPO = Path(__file__).resolve().parents[2]
SIZE = (64, 48)
FRAMES = 4


def page_text(stem: str, *, folder: str = "muscles/png", frames: int = FRAMES, order: list[int] | None = None, gif: bool = True) -> str:
    order = order or list(range(1, frames + 1))
    slug = stem.lower()
    title = f"Muscles of {stem}"
    images = (
        "images:\n"
        f"  - image_id: '{slug}'\n"
        f"    image_name: 'muscles/gif/{stem}.gif'\n"
        f"    image_title: '{title}'\n"
        f"    image_alt: '{title}'\n"
    ) if gif else ""
    gallery = "".join(
        f"  - image_url: {folder}/{stem}-{n}.png\n"
        f"    caption: '{title} - orientation {n}'\n"
        f"    title: '{title} - orientation {n}'\n"
        for n in order
    )
    return (
        "---\n"
        "layout: page\n"
        f"permalink: /muscle/{slug}/\n"
        f"title: '{title}'\n"
        "subheadline: 'Images and description.'\n"
        "header: no\n"
        "tags: leg\n"
        f"{images}"
        "gallery:\n"
        f"{gallery}"
        "---\n\n"
        f"The {stem} muscles move the leg.\n\n"
        "[Back››](/muscle/leg/)\n\n"
        + (f'{{% include page-image im_id="{slug}" %}}\n\n' if gif else "")
        + "{% include gallery %}\n"
    )


@dataclass
class Project:
    root: Path

    @property
    def pages(self) -> Path:
        return self.root / "raw" / "pages"

    @property
    def images(self) -> Path:
        return self.root / "raw" / "images"

    @property
    def out(self) -> Path:
        return self.root / "dist"

    def add(self, stem: str, *, seed: int | None = None, folder: str = "muscles/png", frames: int = FRAMES, page: str | None = None, **kw) -> Path:
        write_sequence(self.images / folder, stem, frames, SIZE, seed=seed_for(stem) if seed is None else seed)
        p = self.pages / (page or f"{stem.lower()}.md")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(page_text(stem, folder=folder, frames=frames, **kw), encoding="utf-8")
        return p

    def rerender(self, stem: str, seed: int, folder: str = "muscles/png", frames: int = FRAMES) -> None:
        write_sequence(self.images / folder, stem, frames, SIZE, seed=seed)

    def config(self, encode: str = ""):
        (self.root / "pyproject.toml").write_text(
            '[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\nout = "dist"\n' + (f"\n[tool.pipeline.encode]\n{encode}\n" if encode else "")
        )

    def cfg(self):
        from pipeline.config import load_config

        return load_config(self.root / "pyproject.toml")

    def outputs(self, out: Path | None = None) -> dict[str, bytes]:
        """Every file in the output folder (the build's state is kept elsewhere: ``manifest``)."""
        out = out or self.out
        files = {}
        for dirpath, _dirs, names in os.walk(out):
            for n in names:
                p = Path(dirpath) / n
                files[p.relative_to(out).as_posix()] = p.read_bytes()
        return files


    def state_folder(self, out: Path | None = None) -> Path:
        from pipeline.build.state import state_dir

        return state_dir(self.root, out or self.out)

    def manifest_bytes(self, out: Path | None = None) -> bytes:
        """The recorded manifest of an output folder, as sorted JSON (``Manifest.dumps``)."""
        from pipeline.build.state import read_state

        state = read_state(self.root, out or self.out)
        try:
            return state.manifest.dumps()
        finally:
            state.close()

    def manifest(self, out: Path | None = None) -> dict:
        return json.loads(self.manifest_bytes(out))


def make_project(root: Path, stems=("Leg-Lateral", "Arm-Anterior"), encode: str = "video = false") -> Project:
    pr = Project(root)
    (root / "raw" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "raw" / "images").mkdir(parents=True, exist_ok=True)
    pr.config(encode)
    for s in stems:
        pr.add(s)
    return pr


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    """Two pages of 4 tiny frames each, videos off (fast); the working directory is the project."""
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path)


@pytest.fixture
def video_project(tmp_path, monkeypatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path, encode="")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def build(pr: Project, **opts):
    """The library call behind `pipeline build`, quiet; returns the BuildResult."""
    from pipeline.build.api import BuildOptions, build_paths
    from pipeline.lint.inputs import BuildInputCheck
    from pipeline.build.progress import Progress

    opts.setdefault("jobs", 1)
    cfg = pr.cfg()
    out = opts.pop("out", None)
    if out is not None:
        cfg.out = out
    result, missing = build_paths(cfg, cfg.pages, BuildOptions(**opts), Progress(mode="lines", quiet=True), check=BuildInputCheck(cfg))
    assert not missing
    return result


def cli_subprocess(pr: Project, *args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.Popen([sys.executable, "-m", "pipeline", "build", *args], cwd=pr.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
