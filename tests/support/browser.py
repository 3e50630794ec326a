"""The system's headless Chromium for the tests that look at pages in a browser (the site test, the review page):
Debian's ``chromium`` driven through its ``chromium-driver`` by Selenium, nothing downloaded."""

from __future__ import annotations

import os
import shutil

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver", "/usr/lib/chromium/chromedriver")  # Debian also keeps the driver beside the browser


def _which(name: str) -> str | None:
    return shutil.which(name) if "/" not in name else (name if os.path.isfile(name) else None)


def system_chromium() -> tuple[str, str] | None:
    """(browser, driver) found on this machine, or None."""
    browser = next((p for p in map(_which, BROWSERS) if p), None)
    driver = next((p for p in map(_which, DRIVERS) if p), None)
    return (browser, driver) if browser and driver else None


def missing_browser() -> str | None:
    """Why a browser test cannot run here (a skip reason), or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (the test extra: pip install -e '.[build,test]')"
    if system_chromium() is None:
        return "no chromium and chromedriver on this machine (Debian: apt-get install chromium chromium-driver)"
    return None


def headless_chromium(width: int = 1280, height: int = 1000, *extra: str):
    """A headless Chromium with autoplay allowed; call ``missing_browser`` first."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = system_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio",
                "--autoplay-policy=no-user-gesture-required", f"--window-size={width},{height}", *extra):
        options.add_argument(arg)
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_script_timeout(60)
    return session
