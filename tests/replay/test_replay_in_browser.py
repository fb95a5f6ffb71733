"""An archived article opened in a real browser through `newsarchive replay`: it looks as it did, and every
byte comes from the archive (the live demo site hears nothing)."""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from newsarchive.base.dates import parse_date
from tests.conftest import read_jsonl, run_cli
from tests.replay.conftest import CRAWL_ID, artifact

pytestmark = pytest.mark.slow

HEADLINE_COLOR = "rgba(139, 30, 63, 1)"  # .headline in the demo's site.css, and nowhere else


def test_replay_prints_the_collection_and_the_newest_articles(replay, logged_archive):
    base, lines = replay
    assert f"collection  {base}/newsarchive/" in lines
    records = read_jsonl(logged_archive / "demo" / CRAWL_ID / "articles.jsonl")
    newest = sorted(records, key=lambda r: parse_date(r["published"]), reverse=True)[:3]
    printed = [line.split()[1] for line in lines if line.startswith("article")]
    assert [re.sub(r"^.*?/newsarchive/\d{14}/", "", url) for url in printed] == [r["url"] for r in newest]


def show_replay_url(archive, url: str, base: str) -> str:
    proc = run_cli("show", url, "--archive", str(archive), "--replay-url", "--pywb", base, check=True)
    return proc.stdout.strip()


def test_an_article_replays_with_its_images_styles_and_font_from_the_archive(replay, logged_archive, logged_demo,
                                                                             browser):
    base, _ = replay
    site = logged_demo.site
    article = next(a for a in site.articles if a.has_og and not a.is_cp1252)
    url = show_replay_url(logged_archive, article.url(logged_demo.url), base)
    assert re.fullmatch(re.escape(base) + r"/newsarchive/\d{14}/" + re.escape(article.url(logged_demo.url)), url)

    heard_before = len(logged_demo.log)
    browser.get(url)  # pywb's framed replay: its banner on top, the page in an iframe
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "iframe"))
    browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe"))
    try:
        WebDriverWait(browser, 30).until(lambda d: d.execute_script(
            "return document.readyState === 'complete' && [...document.images].every(i => i.complete)"))
        browser.execute_script("return document.fonts.ready")
        headline = browser.find_element(By.CSS_SELECTOR, "h1.headline")
        assert headline.text == article.title
        # The stylesheet came from the archive and applies: a colour only site.css gives.
        assert headline.value_of_css_property("color") == HEADLINE_COLOR
        # (pywb's client side shows the page its original URLs, so look at what the browser fetched.)
        header_bg = browser.find_element(By.CSS_SELECTOR, ".site-header").value_of_css_property("background-image")
        assert "header-bg.png" in header_bg
        assert browser.execute_script(
            "return [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Demo Serif' && f.status === 'loaded')")
        images = browser.execute_script("return [...document.images].map(i => [i.currentSrc, i.complete, i.naturalWidth])")
        assert len(images) >= 2  # the logo and the lead image
        for src, complete, width in images:
            assert complete and width > 0, f"image did not load: {src}"
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert fetched and all(name.startswith(base + "/") for name in fetched), fetched
        archived = [re.sub(r"^.*?/newsarchive/\d{14}[a-z]{2}_/", "", name) for name in fetched]  # mp_, cs_, im_, ...
        for path in ("/static/site.css", "/static/fonts/demo-serif.woff", "/static/img/header-bg.png", "/static/logo.png"):
            assert logged_demo.url.rstrip("/") + path in archived, path
        # The lead image the browser chose from the srcset: from the CDN host, through the archive.
        cdn = logged_demo.url.replace("127.0.0.1", "localhost").rstrip("/")
        assert any(name.startswith(cdn + article.image_path.removesuffix(".png")) for name in archived), archived
        browser.switch_to.default_content()
        browser.save_screenshot(str(artifact("replayed-article.png")))
    finally:
        browser.switch_to.default_content()
    assert logged_demo.log[heard_before:] == []  # nothing left for the live site during replay
