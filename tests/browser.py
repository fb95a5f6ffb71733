"""A real headless browser for the tests of anything a person looks at: Debian's chromium, driven by
Selenium through Debian's chromedriver (`.ci/run` installs both when missing).

Chromium runs with a fresh profile and with its background networking off, so the only traffic it
makes is what the page under test asks for (the tests serve every page on 127.0.0.1).
"""
from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1024",
)


def missing() -> str | None:
    """Why no browser can run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            return f"{path} is missing: `apt-get install chromium chromium-driver` (.ci/run does it)"
    return None


@contextmanager
def open_browser() -> Iterator["webdriver.Chrome"]:  # noqa: F821
    """A headless chromium, closed (and its profile removed) on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    problem = missing()
    if problem:
        raise RuntimeError(problem)
    profile = tempfile.mkdtemp(prefix="newsarchive-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
