"""Fuzz: extract_article never raises and its record is always JSON/UTF-8-encodable.

Bounded in `make test`; `make fuzz` runs many more examples (NEWSARCHIVE_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.extract import extract_article

EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# Pieces of the page parts that extraction reads: JSON-LD (with odd values), metas, bylines,
# dates, footers, charsets and the characters that break encoders.
_PIECES = st.sampled_from([
    "<script type='application/ld+json'>", "</script>", '{"@type": "NewsArticle", ', '"author": ', '"url": "http://[", ',
    '"headline": "\\ud800", ', '"datePublished": ', '"2021-02-30"', '[[[[', ']]]]', '{"@graph": [', "]}", "}", "{",
    '"mainEntityOfPage": {"@id": ', '"name": 5', "null", "true", "<meta name='author' content='", "<meta name='description' content='",
    "<meta property='article:published_time' content='", "<meta charset='windows-1251'>", "' />", "'>",
    "<p class='byline'>By ", "<time datetime='", "<footer>© ", "</footer>", "<h1>", "</h1>", "<p>", "</p>",
    "\x00", "\x01", "\x1f", "\ud800", "\udfff", "\ufeff", "&#0;", "&#xD800;", "&amp;", "Ã©", "Ð¿", "é", "Ж", "東",
    "All rights reserved", " and ", ", ", " | ", "2024-05-06T07:08:09+02:00", "1700000000", "@handle", "https://x.test/author/jane-doe",
])
_HTMLISH = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)


def _check(record: dict) -> None:
    json.dumps(record, ensure_ascii=False).encode("utf-8")
    assert isinstance(record["text"], str) and isinstance(record["authors"], list)
    assert all(isinstance(a, str) and a for a in record["authors"])


@FUZZ
@given(markup=_HTMLISH, encoding=st.sampled_from([None, "utf-8", "windows-1251", "iso-8859-1", "x-bogus", "utf-16"]))
def test_html_like_input_never_raises_and_encodes(markup, encoding):
    body = markup.encode("utf-8", "surrogatepass")
    _check(extract_article(body, "https://fuzz.test/2024/05/06/a", encoding=encoding))


@FUZZ
@given(body=st.binary(max_size=600), url=st.one_of(st.text(max_size=30), st.just("http://["), st.just("")))
def test_arbitrary_bytes_and_urls_never_raise_and_encode(body, url):
    _check(extract_article(body, url))
