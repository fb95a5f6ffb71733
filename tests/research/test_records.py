"""The pure functions under the index: name keys, days, UTC instants, body decoding, CSV cells."""
from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from newsarchive.research import records as rec
from newsarchive.research.formats import cell, field_value
from newsarchive.research.replay import replay_url, wayback_timestamp
from newsarchive.warc.reader import ContentDecodingError, decode_content


@pytest.mark.parametrize("name, key", [
    ("Jane Doe", "jane doe"),
    ("  JANE   DOE ", "jane doe"),
    ("José Álvarez", "jose alvarez"),
    ("O'Brien, Seán", "o brien sean"),
    ("Example Media, Inc.", "example media inc"),
    ("ＷＩＤＥ", "wide"),
])
def test_match_key_ignores_case_accents_and_punctuation(name, key):
    assert rec.match_key(name) == key


@pytest.mark.parametrize("published, day, instant", [
    ("2026-11-03T23:30:00-05:00", "2026-11-03", "2026-11-04T04:30:00Z"),
    ("2026-11-02", "2026-11-02", "2026-11-02T00:00:00Z"),
    ("2026-11-05T08:00:00Z", "2026-11-05", "2026-11-05T08:00:00Z"),
    ("2026-11-05T08:00:00", "2026-11-05", "2026-11-05T08:00:00Z"),
    ("2026-11-05T08:00:00.250+01:00", "2026-11-05", "2026-11-05T07:00:00Z"),
    ("yesterday", None, None),
    (None, None, None),
    (20261105, None, None),
])
def test_published_day_is_the_sites_day_and_sort_key_is_utc(published, day, instant):
    assert rec.published_day(published) == day
    assert rec.utc_instant(published) == instant


def test_check_record_refuses_non_objects_and_records_without_url():
    with pytest.raises(rec.BadRecord):
        rec.check_record(["a list"])
    with pytest.raises(rec.BadRecord):
        rec.check_record({"title": "no url"})
    assert rec.check_record({"url": "https://x.test/"}) == {"url": "https://x.test/"}


def test_accessors_tolerate_wrong_types():
    record = {"url": "https://WWW.Example.TEST/a", "authors": "Solo Writer", "tags": [None, " x ", ""],
              "revision": {"number": "2"}, "word_count": None, "text": "one two three", "copyright": "©"}
    assert rec.site_of(record) == "example.test"
    assert rec.string_list(record["authors"]) == ["Solo Writer"]
    assert rec.string_list(record["tags"]) == ["x"]
    assert rec.revision_number(record) == 0
    assert rec.word_count(record) == 3
    assert rec.copyright_holder(record) is None


BODY = "<p>Grüße aus der Redaktion</p>".encode("utf-8")


@pytest.mark.parametrize("encoded, coding", [
    (gzip.compress(BODY), "gzip"),
    (zlib.compress(BODY), "deflate"),
    (zlib.compress(BODY)[2:-4], "deflate"),  # raw deflate, as some servers send it
    (brotli.compress(BODY), "br"),
    (BODY, None),
    (BODY, "identity"),
    (gzip.compress(brotli.compress(BODY)), "br, gzip"),
])
def test_decode_content_undoes_every_coding(encoded, coding):
    assert decode_content(encoded, coding) == BODY


def test_decode_content_refuses_an_unknown_coding():
    with pytest.raises(ContentDecodingError, match="unknown Content-Encoding"):
        decode_content(BODY, "lzma-special")


def test_cells_flatten_lists_and_objects():
    assert cell(["Jane Doe", "John Roe"]) == "Jane Doe; John Roe"
    assert cell([{"url": "https://x.test/a.jpg", "caption": "A"}, {"url": "https://x.test/b.jpg"}]) == \
        "https://x.test/a.jpg; https://x.test/b.jpg"
    assert cell(None) == "" and cell(True) == "true" and cell(12) == "12"
    assert cell({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    assert field_value({"warc": {"offset": 7}}, "warc.offset") == 7
    assert field_value({"warc": None}, "warc.offset") is None


def test_replay_url_uses_the_14_digit_capture_time():
    assert wayback_timestamp("2026-11-01T08:01:02Z") == "20261101080102"
    assert wayback_timestamp("2026-11-01T08:01:02.123Z") == "20261101080102"
    assert replay_url("https://a.test/x?y=1", "2026-11-01T08:01:02Z", pywb="http://127.0.0.1:8080/",
                      collection="c") == "http://127.0.0.1:8080/c/20261101080102/https://a.test/x?y=1"
    with pytest.raises(ValueError):
        wayback_timestamp("")
