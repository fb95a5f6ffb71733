"""Fuzz: the normalizers never raise, are idempotent where they promise it, and return encodable text.

Bounded in `make test`; `make fuzz` runs many more examples (NEWSARCHIVE_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive import normalize_byline, normalize_copyright
from newsarchive.normalize.dates import normalize_date
from newsarchive.normalize.spans import classify_span, segment

EXAMPLES = int(os.environ.get("NEWSARCHIVE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

_WORDS = st.sampled_from([
    "By", "Jane", "DOE", "de", "la", "O'Brien", "Staff", "Writer", "Reuters", "©", "(c)", "Copyright", "2021", "–",
    "2024", "Inc.", "All", "rights", "reserved", "|", ",", "and", "und", "y", "@jd", "jane@doe.test", "https://x.test",
    "Updated", "3 hours ago", "May 6, 2024", "\x00", "\ud800", "東京", "Ж", "\u00a0", "\n", "&amp;", "·", "(AP)",
])
_TEXT = st.one_of(st.text(max_size=120), st.lists(st.one_of(_WORDS, st.text(max_size=5)), max_size=30).map(" ".join))


def _encodable(value) -> None:
    json.dumps(value, ensure_ascii=False).encode("utf-8")


@FUZZ
@given(_TEXT)
def test_normalize_byline_never_raises_and_is_idempotent(raw):
    names = normalize_byline(raw)
    _encodable(names)
    for name in names:
        assert normalize_byline(name) == [name]


@FUZZ
@given(_TEXT)
def test_normalize_copyright_never_raises_and_its_text_reparses(raw):
    notice = normalize_copyright(raw)
    if notice is None:
        return
    _encodable({k: v for k, v in notice.items() if k != "raw"})
    again = normalize_copyright(notice["text"])
    assert again is not None and again["text"] == notice["text"]


@FUZZ
@given(_TEXT)
def test_normalize_date_never_raises(raw):
    value = normalize_date(raw)
    assert value is None or value[:4].isdigit()


@FUZZ
@given(_TEXT)
def test_span_segmentation_never_raises_and_covers_only_input_text(raw):
    for span in segment(raw):
        assert span.text and span.text in raw
        assert classify_span(span.text).kind
