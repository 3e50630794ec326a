"""End to end: the demo content built by ``pipeline build``, published in a Jekyll site with the real site's
``_config.yml`` and ``_includes``, checked by html-proofer and played in headless Chromium.

Needs the corpus beside the repository (``../shared/corpus/muscle-atlas``), Debian's ``jekyll`` and
``ruby-html-proofer``, and for the browser checks ``chromium``, ``chromium-driver`` and selenium (the test extra);
each check skips with its reason when what it needs is absent (``.ci/run`` installs them). Run with ``-s`` to see
the readings (html-proofer's summary, each video's readyState and playback, the colours read back)."""

from __future__ import annotations

import html.parser
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ..support.browser import headless_chromium, missing_browser
from . import site as s

TOLERANCE = 3  # levels per channel, against the source's flat colour


def reading(what: str, value) -> None:
    print(f"\n[site reading] {what}: {value}", flush=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The demo project, built by `pipeline build`."""
    root = tmp_path_factory.mktemp("e2e") / "project"
    root.mkdir()
    s.write_project(root)
    r = s.pipeline(root, "build", "--quiet")
    assert r.returncode == 0, r.stdout + r.stderr
    return root


@pytest.fixture(scope="module")
def built(project):
    """(project, the Jekyll site's folder): the site built from the project's output folder."""
    if not (s.CORPUS / "_includes").is_dir():
        pytest.skip(f"the real site's includes and configuration are not at {s.CORPUS}")
    if shutil.which("jekyll") is None:
        pytest.skip("jekyll is not installed (Debian: apt-get install jekyll)")
    site = project.parent / "site"
    site.mkdir()
    s.write_site(site, project, project / "dist")
    r = s.jekyll_build(site)
    assert r.returncode == 0 and (site / "_site").is_dir(), r.stdout + r.stderr
    return project, site


class _Refs(html.parser.HTMLParser):
    """Every src and href of a page."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.refs.append((tag, v))


def pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "_site" / "muscle").rglob("index.html"))


def asset_refs(site: Path) -> dict[str, set[str]]:
    """Each file under /assets/images/ the built pages refer to, and the tags that do."""
    out: dict[str, set[str]] = {}
    for page in pages(site):
        p = _Refs()
        p.feed(page.read_text(encoding="utf-8"))
        for tag, ref in p.refs:
            if ref.startswith("/assets/images/"):
                out.setdefault(ref[len("/assets/images/"):], set()).add(tag)
    return out


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_dist_is_exactly_what_the_site_serves(built):
    project, site = built
    refs = asset_refs(site)
    served = files_under(project / "dist")
    assert served == set(refs), (sorted(served - set(refs)), sorted(set(refs) - served))
    kinds = {name.rpartition(".")[2] + ("-thumb" if name.endswith("-thumb.png") else "") for name in served}
    assert kinds == {"gif", "webm", "mp4", "png", "png-thumb"}
    pngs = [n for n in served if n.endswith(".png") and not n.endswith("-thumb.png")]
    assert len(pngs) == 3 * 16 + 4  # the demo's three sequences and the colour card
    for name in pngs:  # published renders: the source's pixels exactly
        src = project / "raw" / "images" / name
        with Image.open(src) as a, Image.open(project / "dist" / name) as b:
            assert np.array_equal(np.asarray(a.convert("RGBA")), np.asarray(b.convert("RGBA"))), name
    reading("dist", f"{len(served)} files, {sum((project / 'dist' / n).stat().st_size for n in served)} bytes; build state in "
            f"{sorted(p.name for p in (project / '.pipeline' / 'dist').iterdir())}")


def test_check_is_clean_after_the_build_and_stale_on_a_fresh_copy(project, tmp_path):
    r = s.pipeline(project, "build", "--check")
    assert r.returncode == 0 and "is current" in r.stdout, r.stdout + r.stderr
    fresh = s.write_project(tmp_path)
    r = s.pipeline(fresh, "build", "--check")
    assert r.returncode == 1 and "stale or missing" in r.stdout, r.stdout + r.stderr
    assert not (fresh / "dist").exists() and not (fresh / ".pipeline").exists()


def test_html_proofer_finds_nothing(built):
    if shutil.which("htmlproofer") is None:
        pytest.skip("htmlproofer is not installed (Debian: apt-get install ruby-html-proofer)")
    _, site = built
    r = s.htmlproofer(site / "_site")
    summary = [line for line in (r.stdout + r.stderr).splitlines() if re.search(r"Ran on|HTML-Proofer|failure", line)]
    reading("html-proofer", " / ".join(summary))
    assert r.returncode == 0 and "HTML-Proofer finished successfully" in r.stdout + r.stderr, r.stdout + r.stderr


# -- in the browser -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(built):
    why = missing_browser()
    if why:
        pytest.skip(why)
    _, site = built
    server = s.serve(site / "_site")
    driver = headless_chromium(1280, 1000)
    try:
        yield driver, server.url
    finally:
        driver.quit()
        server.close()


PLAYBACK = """
const done = arguments[arguments.length - 1];
const v = document.querySelector('video');
const t0 = Date.now();
(function wait() {
  if (v.readyState >= 2 || Date.now() - t0 > 20000) {
    const times = [v.currentTime];
    const tick = () => { times.push(v.currentTime); if (times.length < 5) setTimeout(tick, 150);
      else done({readyState: v.readyState, paused: v.paused, src: v.currentSrc, times: times,
                 width: v.videoWidth, height: v.videoHeight}); };
    setTimeout(tick, 150);
  } else setTimeout(wait, 50);
})();
"""

GALLERY = """
const done = arguments[arguments.length - 1];
const imgs = [...document.querySelectorAll('ul.clearing-thumbs img')];
imgs.forEach(i => { i.loading = 'eager'; });
Promise.all(imgs.map(i => i.decode().catch(() => null))).then(async () => {
  const full = await Promise.all(imgs.map(i => fetch(i.parentElement.href).then(r => r.blob())
      .then(createImageBitmap).then(b => [b.width, b.height]).catch(e => String(e))));
  done(imgs.map((i, k) => ({src: i.getAttribute('src'), w: i.naturalWidth, h: i.naturalHeight, full: full[k]})));
});
"""


def _advancing(times: list[float]) -> bool:
    """currentTime moved forward between most samples (a loop may wrap once within them)."""
    steps = [b - a for a, b in zip(times, times[1:])]
    return sum(d > 0 for d in steps) >= len(steps) - 1


def test_videos_play_and_gallery_images_load(built, browser):
    project, site = built
    driver, url = browser
    for page in pages(site):
        path = "/" + page.parent.relative_to(site / "_site").as_posix() + "/"
        driver.get(url + path)
        if driver.execute_script("return document.querySelector('video') === null"):
            continue  # a page of the rest of the site
        v = driver.execute_async_script(PLAYBACK)
        reading(f"{path} video", f"readyState {v['readyState']}, currentTime {[round(t, 3) for t in v['times']]}, "
                f"{v['width']}x{v['height']}, {v['src'].rpartition('/')[2]}")
        assert v["readyState"] >= 2 and not v["paused"] and _advancing(v["times"]), (path, v)
        assert v["src"].endswith(".webm"), v  # the first source: Chromium plays the AV1 WebM
        imgs = driver.execute_async_script(GALLERY)
        assert len(imgs) >= 4, path
        for im in imgs:
            with Image.open(project / "dist" / im["src"][len("/assets/images/"):]) as thumb:
                assert (im["w"], im["h"]) == thumb.size, (path, im)
            with Image.open(project / "raw" / "images" / im["src"][len("/assets/images/"):].replace("-thumb.png", ".png")) as full:
                assert im["full"] == list(full.size), (path, im)
        reading(f"{path} gallery", f"{len(imgs)} thumbnails, naturalWidth {sorted({i['w'] for i in imgs})}, "
                f"full renders {sorted({tuple(i['full']) for i in imgs})}")


PROBE = """
const [src, x, y, done] = arguments;
const v = document.createElement('video');
v.muted = true; v.playsInline = true; v.preload = 'auto'; v.src = src;
document.body.appendChild(v);
v.play().then(() => new Promise(r => setTimeout(r, 400))).then(() => {
  v.pause();
  const c = document.createElement('canvas');
  c.width = v.videoWidth; c.height = v.videoHeight;
  const g = c.getContext('2d');
  g.drawImage(v, 0, 0);
  const d = g.getImageData(x, y, 1, 1).data;
  done({readyState: v.readyState, rgb: [d[0], d[1], d[2]], size: [v.videoWidth, v.videoHeight]});
}).catch(e => done({error: String(e)}));
"""
H264 = 'video/mp4; codecs="avc1.42E01E"'
AV1 = 'video/webm; codecs="av01.0.05M.08"'


def _can_play(driver, mime: str) -> str:
    return driver.execute_script("return document.createElement('video').canPlayType(arguments[0])", mime)


@pytest.mark.parametrize("ext,mime", [("webm", AV1), ("mp4", H264)])
def test_a_flat_colour_shows_as_in_the_source(built, browser, ext, mime):
    driver, url = browser
    driver.get(url + s.CARD_PERMALINK)
    can = _can_play(driver, mime)
    if not can:
        pytest.skip(f"this Chromium cannot play {mime} (canPlayType is empty: a build without that codec); "
                    "the colour of the file is measured by ffmpeg in test_mp4_colour_decoded_by_ffmpeg")
    src = f"/assets/images/muscles/gif/{s.CARD_STEM}.{ext}"
    got = driver.execute_async_script(PROBE, src, *s.CARD_PROBE)
    reading(f"{ext} colour in Chromium", f"{got} against {s.CARD_COLOUR} (canPlayType {mime!r}: {can!r})")
    assert "error" not in got and got["readyState"] >= 2, got
    assert max(abs(a - b) for a, b in zip(got["rgb"], s.CARD_COLOUR)) <= TOLERANCE, got


def test_mp4_colour_decoded_by_ffmpeg(project):
    """The MP4 as a BT.709 player decodes it (ffmpeg reads the stream's tags); a reading where no browser plays it."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(project / "dist" / "muscles" / "gif" / f"{s.CARD_STEM}.mp4"))
    meta = next(reader)
    w, h = meta["size"]
    frame = np.frombuffer(next(reader), np.uint8).reshape(h, w, 3)
    reader.close()
    x, y = s.CARD_PROBE
    got = tuple(int(c) for c in frame[y, x])
    reading("mp4 colour decoded by ffmpeg", f"{got} against {s.CARD_COLOUR}")
    assert max(abs(a - b) for a, b in zip(got, s.CARD_COLOUR)) <= TOLERANCE, got
