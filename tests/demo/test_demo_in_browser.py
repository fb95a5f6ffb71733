"""The demo site as a person sees it, in a real headless browser."""
from __future__ import annotations

from selenium.webdriver.common.by import By


def test_front_page_renders_with_its_stylesheet_and_links_to_articles(browser, demo_server):
    browser.get(demo_server.url)
    assert browser.title
    body_font = browser.find_element(By.TAG_NAME, "body").value_of_css_property("font-family")
    assert "georgia" in body_font.lower()  # only the site's stylesheet says Georgia
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
    article_links = [href for href in links if href.startswith(demo_server.url) and href.count("/") >= 7]
    assert len(article_links) >= 5
    browser.get(article_links[0])
    assert browser.find_element(By.TAG_NAME, "h1").text.strip()
