"""`newsarchive serve` as a person uses it, in a real headless chromium: on a real crawl of the demo site,
and on generated data with a hostile page."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import read_jsonl
from tests.research.serve_fixtures import HOSTILE_TITLE, Server, hostile_archive

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_site_server(demo_crawl):
    from tests.conftest import run_cli

    archive = demo_crawl.parent.parent
    run_cli("index", str(archive), check=True)
    server = Server(archive)
    yield server, read_jsonl(demo_crawl / "articles.jsonl")
    server.stop()


def search(browser, url, **fields):
    browser.get(url)
    for name, value in fields.items():
        element = browser.find_element(By.ID, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        elif name in ("since", "until"):  # a date input takes what the browser's locale types: set it
            browser.execute_script("arguments[0].value = arguments[1]", element, value)
        else:
            element.clear()
            element.send_keys(value)
    follow(browser, browser.find_element(By.ID, "go"))
    return [li for li in browser.find_elements(By.CSS_SELECTOR, "#results li.result")]


def follow(browser, element):
    """Click a link or button and wait for the next page to replace this one (reading at once can
    still see the old page)."""
    element.click()
    WebDriverWait(browser, 30).until(staleness_of(element))


def distinctive_word(records):
    """A word of one record's title that no other record's title or text contains."""
    counts = Counter(w for r in records for w in set(re.findall(r"[a-z]{7,}", f"{r['title']} {r['text']}".lower())))
    for record in records:
        for word in re.findall(r"[a-z]{7,}", record["title"].lower()):
            if counts[word] == 1:
                return word, record
    raise AssertionError("no distinctive word in the demo crawl")


def test_a_distinctive_word_finds_its_article_and_the_view_shows_authors_and_copyright(browser, demo_site_server):
    server, records = demo_site_server
    word, record = distinctive_word([r for r in records if r["authors"] and r["copyright"]])
    results = search(browser, server.url, text=word)
    assert len(results) == 1
    title = results[0].find_element(By.CSS_SELECTOR, "a.title")
    assert title.text == record["title"]
    marks = [m.text.lower() for m in results[0].find_elements(By.TAG_NAME, "mark")]
    assert word in marks
    follow(browser, title)
    assert browser.find_element(By.ID, "title").text == record["title"]
    authors = browser.find_element(By.ID, "authors").text
    assert all(name in authors for name in record["authors"])
    assert record["copyright"]["text"] in browser.find_element(By.ID, "copyright").text
    assert browser.find_element(By.ID, "raw").get_attribute("href").endswith(
        browser.current_url.rsplit("/", 1)[1])
    assert "/newsarchive/" in browser.find_element(By.ID, "replay").get_attribute("href")
    assert browser.find_elements(By.CSS_SELECTOR, "#revisions li")


def test_a_filter_narrows_the_list(browser, demo_site_server):
    server, records = demo_site_server
    everything = search(browser, server.url)
    assert browser.find_element(By.ID, "count").text.startswith(f"{len({r['url'] for r in records})} matches")
    author = Counter(a for r in records for a in r["authors"]).most_common(1)[0][0]
    by_author = {r["title"] for r in records if author in r["authors"]}
    narrowed = search(browser, server.url, author=author)
    assert 0 < len(narrowed) == len(by_author) < len(everything) or len(everything) == 20
    assert {li.find_element(By.CSS_SELECTOR, "a.title").text for li in narrowed} == by_author
    dated = sorted(r["published"][:10] for r in records if r.get("published"))
    since = dated[len(dated) // 2]
    in_range = search(browser, server.url, author=author, since=since)
    assert len(in_range) == sum(1 for r in records if author in r["authors"] and (r.get("published") or "") >= since)
    assert len(in_range) < len(narrowed)


def test_a_hostile_title_is_shown_as_text(browser, tmp_path_factory):
    from tests.conftest import run_cli

    archive = hostile_archive(tmp_path_factory.mktemp("hostile") / "archive")
    run_cli("index", str(archive), check=True)
    server = Server(archive)
    try:
        results = search(browser, server.url, text="zanzibar")
        assert len(results) == 1
        shown = results[0].find_element(By.CSS_SELECTOR, "a.title").text
        assert "<script>document.title='pwned'</script>" in shown and "<b>ferry</b>" in shown
        follow(browser, results[0].find_element(By.CSS_SELECTOR, "a.title"))
        assert browser.find_element(By.ID, "title").text == HOSTILE_TITLE
        assert "<i>Mallory</i> Moriarty" in browser.find_element(By.ID, "authors").text
        assert browser.title == HOSTILE_TITLE + " · newsarchive"  # a script run would have set it to 'pwned'
        # Only text: no element the page's markup could have made exists in the DOM.
        assert browser.find_elements(By.CSS_SELECTOR, "script, img, #title b, #authors i") == []
    finally:
        server.stop()
