"""The one normalized form of a URL, and the canonical URL a record carries (newsarchive.base.urls)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.base.urls import canonical_url, normalize_url, registrable_domain, same_site

ARTICLE = "https://news.example.com/2026/11/story/"


@pytest.mark.parametrize("linked", [
    "https://news.example.com/2026/11/story/?utm_source=rss&utm_medium=feed",
    "https://news.example.com/2026/11/story/#comments",
    "HTTPS://News.Example.COM:443/2026/11/story/?fbclid=IwAR0abc",
    "https://news.example.com/2026/11/story/?gclid=x&UTM_CAMPAIGN=fall#top",
    "https://news.example.com/2026/11/story/?mc_cid=1&mc_eid=2&_ga=3&mtm_source=x",
    "https://news.example.com/2026/11/story/?",
    "https://user:secret@news.example.com/2026/11/story/",
])
def test_every_way_of_linking_an_article_normalizes_to_one_url(linked):
    assert normalize_url(linked) == ARTICLE


def test_parameters_that_select_content_stay_sorted_and_encoded_once():
    assert normalize_url("http://Example.com:8080/list?page=2&id=7&utm_term=x") == "http://example.com:8080/list?id=7&page=2"
    assert normalize_url("http://example.com/caf%C3%A9/a b?q=é") == "http://example.com/caf%C3%A9/a%20b?q=%C3%A9"
    assert normalize_url("http://example.com") == "http://example.com/"
    # ?ref= and ?source= choose what some sites show: not tracking by our list
    assert normalize_url("https://example.com/a?ref=main&source=3") == "https://example.com/a?ref=main&source=3"


@pytest.mark.parametrize("value", ["", "mailto:a@example.com", "javascript:void(0)", "not a url",
                                   "http://[::1:80/x", "http://example.com:99999/"])
def test_what_is_not_a_fetchable_url_comes_back_unchanged(value):
    assert normalize_url(value) == value


@settings(max_examples=300, deadline=None)
@given(path=st.text(min_size=0, max_size=30), query=st.lists(
    st.tuples(st.sampled_from(["a", "id", "utm_source", "fbclid", "page", "Q"]), st.text(max_size=8)), max_size=5),
    fragment=st.text(max_size=10))
def test_normalizing_twice_changes_nothing(path, query, fragment):
    from urllib.parse import quote, urlencode

    url = f"http://Example.org/{quote(path)}?{urlencode(query)}#{quote(fragment)}"
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert "utm_source" not in once and "fbclid" not in once and "#" not in once


def test_sites_are_registrable_domains():
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("127.0.0.1") == "127.0.0.1"
    assert registrable_domain("www.gadgetwire.test") == "gadgetwire.test"
    assert same_site("https://m.example.com/a", "https://www.example.com/b")
    assert not same_site("https://example.com/a", "https://example.org/a")
    assert not same_site("https://alice.github.io/a", "https://bob.github.io/a")  # a public suffix


def test_canonical_url_is_the_declared_one_on_the_same_site_else_the_normalized_fetched_url():
    fetched = "https://www.example.com/2026/11/story/?utm_source=rss"
    assert canonical_url(fetched, "https://example.com/2026/11/story/") == "https://example.com/2026/11/story/"
    assert canonical_url(fetched, "https://m.example.com/story?utm_medium=x") == "https://m.example.com/story"
    # another site's canonical (a syndication partner) does not name this copy
    assert canonical_url(fetched, "https://wire.example.org/story") == "https://www.example.com/2026/11/story/"
    # a CMS default pointing every page at the front page
    assert canonical_url(fetched, "https://www.example.com/") == "https://www.example.com/2026/11/story/"
    assert canonical_url("https://www.example.com/", "https://www.example.com/") == "https://www.example.com/"
    for declared in (None, "", "javascript:alert(1)", "//"):
        assert canonical_url(fetched, declared) == "https://www.example.com/2026/11/story/"
