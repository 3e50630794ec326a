"""The demo content as the real site shows it: built by ``pipeline build``, laid into a Jekyll site with the real
site's ``_config.yml`` and ``_includes`` (from the corpus beside the repository) and a minimal layout, built by
``jekyll build``, served over HTTP on localhost and opened in the system's headless Chromium.

The site holds the demo pages, a colour card (a page of the site's shape whose renders are a flat colour with a
small moving square, so a browser's colours can be read off a flat area) and one short page for each permalink
the configuration says the rest of the site publishes (the demo pages link to them)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.config import load_config
from pipeline.lint.examples import site_page

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "muscle-atlas"

CARD_STEM = "Leg-ColourCard"
CARD_PERMALINK = "/muscle/leg/colourcard/"
CARD_COLOUR = (200, 60, 50)
CARD_SIZE = (192, 144)
CARD_PROBE = (144, 108)  # (x, y): the middle of the flat lower-right quarter, far from the moving square

LAYOUT = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body>
<h1>{{ page.title }}</h1>
{{ content }}
</body>
</html>
"""
# the real configuration names plugins this site does not use (and Debian's Jekyll may not have)
CONFIG_OVERRIDE = "plugins: []\n"


def card_frame(k: int) -> Image.Image:
    """Orientation ``k`` of the colour card: the flat colour, a white square moving along the top-left edge."""
    a = np.empty((CARD_SIZE[1], CARD_SIZE[0], 3), np.uint8)
    a[:] = CARD_COLOUR
    x = 8 + 12 * (k - 1)
    a[8:32, x : x + 24] = 255
    return Image.fromarray(a)


def write_project(root: Path) -> Path:
    """A copy of the repository's demo project (configuration, pages, articles, renders) plus the colour card."""
    for name in ("pyproject.toml", "words.txt"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "raw", root / "raw", ignore=shutil.ignore_patterns(".*"))
    (root / "raw" / "pages" / "leg-colourcard.md").write_text(site_page(
        permalink=CARD_PERMALINK, title="Colour card of the leg", stem=CARD_STEM, frames=4,
        description="A flat colour card: it shows how a browser renders the colours of the videos.",
    ), encoding="utf-8")
    for k in range(1, 5):
        card_frame(k).save(root / "raw" / "images" / "muscles" / "png" / f"{CARD_STEM}-{k}.png")
    return root


def pipeline(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``pipeline ARGS`` run in ``root`` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=root, capture_output=True, text=True, timeout=900)


def write_site(site: Path, project: Path, dist: Path) -> None:
    """The Jekyll source folder: the real configuration and includes, the layout, the pages, the assets."""
    shutil.copy2(CORPUS / "_config.yml", site / "_config.yml")
    (site / "_config.test.yml").write_text(CONFIG_OVERRIDE, encoding="utf-8")
    shutil.copytree(CORPUS / "_includes", site / "_includes")
    (site / "_layouts").mkdir()
    (site / "_layouts" / "page.html").write_text(LAYOUT, encoding="utf-8")
    shutil.copytree(project / "raw" / "pages", site / "pages")
    for i, link in enumerate(load_config(cwd=project).lint.known_permalinks):
        (site / "pages" / f"elsewhere-{i}.md").write_text(
            f"---\nlayout: page\npermalink: {link}\ntitle: 'Published by the rest of the site'\n---\n\nA page of the site.\n",
            encoding="utf-8")
    shutil.copytree(dist, site / "assets" / "images")


def jekyll_build(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["jekyll", "build", "--source", str(site), "--destination", str(site / "_site"),
         "--config", f"{site / '_config.yml'},{site / '_config.test.yml'}"],
        capture_output=True, text=True, timeout=300,
    )


def htmlproofer(built: Path) -> subprocess.CompletedProcess:
    """html-proofer 3.19 on the built site: internal links, images and scripts, and HTML validation; no network."""
    return subprocess.run(
        ["htmlproofer", str(built), "--disable-external", "--check-html", "--report-missing-names",
         "--root-dir", str(built)],
        capture_output=True, text=True, timeout=300, cwd=built.parent,
    )


@dataclass
class Server:
    url: str
    httpd: http.server.ThreadingHTTPServer

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test reads the browser, not the access log
        pass


def serve(folder: Path) -> Server:
    """``folder`` over HTTP on localhost (a page opened from file:// could not read its own video's pixels)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return Server(f"http://127.0.0.1:{httpd.server_address[1]}", httpd)
