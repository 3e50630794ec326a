"""The review page in headless Chromium (Selenium driving the system's chromium and chromedriver, no download): it
renders from disk, no image or video is broken, the findings and the side-by-side comparison are visible. A
screenshot is kept: under pytest's tmp path and, when PIPELINE_ARTEFACTS names a folder, there."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest

from pipeline.cli import cli

from ..support.browser import headless_chromium, missing_browser
from .conftest import add_todo, review_dir

def open_browser(width: int = 1280, height: int = 1000):
    """A headless Chromium, or a skip saying what is missing."""
    why = missing_browser()
    if why:
        pytest.skip(why)
    return headless_chromium(width, height, "--hide-scrollbars", "--force-device-scale-factor=1")


MEDIA_STATE = """
return {
  images: [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth]),
  videos: [...document.querySelectorAll('video')].map(v => [v.getAttribute('src'), v.readyState, v.error ? v.error.code : 0]),
};
"""


def wait_for_media(driver, timeout: float = 30):
    """Every image and video loaded (or failed): the window is made as tall as the page first, so that images
    loaded lazily, as they come into view, are all in view."""
    from selenium.webdriver.support.ui import WebDriverWait

    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(height + 200, 16000))

    def settled(d):
        s = d.execute_script(MEDIA_STATE)
        done = all(c for _, c, _ in s["images"]) and all(r >= 1 or e for _, r, e in s["videos"])
        return s if done else False

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(settled)


def full_page_png(driver) -> bytes:
    """The whole page, beyond the window (Chromium's DevTools protocol)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
    return base64.b64decode(shot["data"])


def screenshot(driver, name: str, dest: Path) -> Path:
    """The whole page as ``dest/name``, copied into $PIPELINE_ARTEFACTS when that is set."""
    path = dest / name
    path.write_bytes(full_page_png(driver))
    artefacts = os.environ.get("PIPELINE_ARTEFACTS")
    if artefacts:
        Path(artefacts).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(artefacts) / name)
    return path


@pytest.fixture
def chromium():
    """The browser, asked for before the project is built: without one the test skips at once."""
    driver = open_browser()
    yield driver
    driver.quit()


def test_the_review_page_in_chromium(chromium, built_video, runner, tmp_path_factory):
    from selenium.webdriver.common.by import By

    add_todo(built_video, "Arm-Anterior")
    r = runner.invoke(cli, ["review"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    index = review_dir(built_video) / "index.html"
    driver = chromium
    driver.get(index.resolve().as_uri())
    state = wait_for_media(driver)
    assert driver.title == "Review of the sequences"
    images, videos = state["images"], state["videos"]
    assert len(images) == 2 + 1 + 2 * 4  # two GIFs, the previous one, the thumbnails
    assert [src for src, _, w in images if w <= 0] == []
    assert len(videos) == 4  # WebM and MP4 of each sequence
    assert [(src, e) for src, rs, e in videos if rs < 1 or e] == []
    findings = [li for li in driver.find_elements(By.CSS_SELECTOR, "li.finding") if li.is_displayed()]
    assert any("TXT009" in li.text and "TODO: <b>cite</b> & check." in li.text for li in findings)
    compare = driver.find_element(By.CSS_SELECTOR, ".sequence.changed .compare")
    shown = [i for i in compare.find_elements(By.TAG_NAME, "img") if i.is_displayed() and i.size["width"] > 0]
    assert [i.get_attribute("alt") for i in shown] == ["Muscles of Leg-Lateral (previous)", "Muscles of Leg-Lateral (new)"]
    shot = screenshot(driver, "review.png", tmp_path_factory.mktemp("artefacts"))
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
