"""crawl.html, the crawl report as a page: rendered in a real browser, its numbers are crawl.json's."""
from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from newsarchive.crawl.report_html import render_report_html
from tests.replay.conftest import artifact


def lookup(data, key: str):
    """crawl.json's value at a dotted `data-key` (keys may hold dots themselves: the longest match wins)."""
    if key in data:
        return data[key]
    for cut in range(len(key), 0, -1):
        if key[cut - 1:cut] == "." and key[:cut - 1] in data:
            return lookup(data[key[:cut - 1]], key[cut:])
    raise KeyError(key)


@pytest.mark.slow
def test_crawl_html_in_the_browser_shows_the_numbers_of_crawl_json(demo_crawl, browser):
    report = json.loads((demo_crawl / "crawl.json").read_text())
    page = demo_crawl / "crawl.html"
    browser.get(page.as_uri())
    assert report["crawl_id"] in browser.title
    numbers = browser.find_elements(By.CSS_SELECTOR, "[data-key]")
    keys = {element.get_attribute("data-key") for element in numbers}
    assert {"counts.articles", "counts.responses", "requisites.archived", "counts.failed", "coverage.title",
            "counts.responses_by_status.200", "errors.http_404"} <= keys
    assert any(key.startswith("articles_by_section.") for key in keys)
    for element in numbers:
        expected = lookup(report, element.get_attribute("data-key"))
        if element.get_attribute("data-value") is not None:  # a share shown as a percentage
            assert float(element.get_attribute("data-value")) == expected
            assert element.text == f"{expected:.0%}"
        else:
            assert element.text == str(expected), element.get_attribute("data-key")
    assert sum(report["articles_by_section"].values()) == report["counts"]["articles"]
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    assert len(charts) >= 3
    for chart in charts:
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
        assert bars and all(bar.size["width"] > 0 for bar in bars)
    # Nothing broken and nothing fetched: the page is whole on its own, offline.
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    browser.save_screenshot(str(artifact("crawl-report.png")))


def test_crawl_html_escapes_what_came_from_the_network():
    report = {"crawl_id": "x", "spider": "<script>alert(1)</script>", "counts": {"articles": 1},
              "errors": {"<img src=x onerror=alert(1)>": 2}, "articles_by_section": {'"><b>': 1},
              "coverage": {"title": 1.0}, "paths": {"warc": [{"path": "<i>w</i>", "bytes": 10}]}}
    page = render_report_html(report)
    assert "<script>alert" not in page and "<img src=x" not in page and '"><b>' not in page and "<i>w</i>" not in page
    assert "&lt;script&gt;" in page
