"""extract_article never raises: arbitrary bytes, broken markup and hostile JSON-LD give a record."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.extract import extract_article
from newsarchive.normalize.dates import normalize_date
from newsarchive.normalize.text import clean_inline

FIELDS = {"url", "site", "title", "authors", "text", "word_count", "text_digest", "provenance", "published"}

_TAGS = st.sampled_from(["<p>", "</p>", "<h1>", "</h1>", "<div class='byline'>", "</div>", "<time datetime='",
                         "'>", "<script type='application/ld+json'>", "</script>", "{\"@type\": \"NewsArticle\",",
                         "\"author\": [", "]}", "<meta property='article:published_time' content='", "©", "&amp;",
                         "<footer>", "<!--", "<![CDATA[", "\x00", "\ufeff", "By ", "2021-02-30", "<br>"])
_HTMLISH = st.lists(st.one_of(_TAGS, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.binary(max_size=400), encoding=st.sampled_from([None, "utf-8", "latin-1", "x-bogus", "utf-16"]))
def test_arbitrary_bytes(body, encoding):
    record = extract_article(body, "https://fuzz.test/a", encoding=encoding)
    assert FIELDS <= set(record)
    assert isinstance(record["text"], str)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=_HTMLISH)
def test_html_like_fragments(markup):
    record = extract_article(markup.encode("utf-8", "surrogatepass"), "https://fuzz.test/2021/01/02/a")
    assert FIELDS <= set(record)
    assert all(isinstance(a, str) and a for a in record["authors"])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_normalizers_never_raise(text):
    value = normalize_date(text)
    assert value is None or value[:4].isdigit()
    assert "\u200b" not in clean_inline(text)
