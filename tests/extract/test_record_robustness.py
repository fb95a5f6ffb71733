"""One bad field never costs the record (issue 11 item 6), and every record is JSON/UTF-8-encodable."""
from __future__ import annotations

import json

from newsarchive.extract import extract_article
from newsarchive.normalize.encodable import encodable

PAGE = """<html><head><title>Harbour cranes go electric</title>{head}</head>
<body><article><h1>Harbour cranes go electric</h1><p class="byline">By Mira Castellane</p>
<p>The port authority replaced four diesel cranes with electric ones this spring, and the quay is quieter.</p>
<p>Crews say the new cranes lift as fast as the old ones, and the maintenance bill is smaller.</p>
</article></body></html>"""


def _record(head: str) -> dict:
    return extract_article(PAGE.format(head=head).encode("utf-8"), "https://quay.test/2024/05/06/cranes")


def _assert_encodable(record: dict) -> None:
    json.dumps(record, ensure_ascii=False).encode("utf-8")


def test_deeply_nested_jsonld_is_skipped_and_the_rest_extracted():
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    record = _record(f'<script type="application/ld+json">{deep}</script>'
                     '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-06"}'
                     "</script>")
    assert record["title"] == "Harbour cranes go electric"
    assert record["published"] == "2024-05-06"  # the second block still counts
    assert "electric ones" in record["text"]


def test_jsonld_url_that_is_not_parseable_costs_nothing():
    record = _record('<script type="application/ld+json">{"@type": "NewsArticle", "url": "http://[",'
                     ' "mainEntityOfPage": "http://[", "headline": "Harbour cranes go electric",'
                     ' "author": {"name": "Mira Castellane", "url": "http://["}, "datePublished": "2024-05-06"}'
                     "</script>")
    assert record["authors"] == ["Mira Castellane"]
    assert record["published"] == "2024-05-06"
    assert record["canonical_url"] is None or record["canonical_url"].startswith("http")


def test_control_characters_in_meta_description_are_dropped():
    record = _record('<meta name="description" content="Four cranes,\x01 one quiet\x1f quay">')
    assert record["description"] == "Four cranes, one quiet quay"
    _assert_encodable(record)


def test_lone_surrogate_from_jsonld_is_replaced():
    record = _record('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Cranes \\ud800 go",'
                     ' "author": "Mira \\udfff Castellane", "description": "bad \\ud83d half"}</script>')
    _assert_encodable(record)
    assert "\ufffd" in (record["description"] or "")
    assert "text: unencodable_text" in record["problems"]


def test_jsonld_field_of_an_unexpected_type_costs_that_field_only():
    record = _record('<script type="application/ld+json">{"@type": "NewsArticle", "author": [[[{"name": 5}]]],'
                     ' "keywords": {"x": 1}, "image": [[["a"]]], "datePublished": ["2024-05-06"]}</script>')
    assert record["published"] == "2024-05-06"
    assert record["authors"] == ["Mira Castellane"]


def test_encodable_walks_nested_values():
    value = {"a\ud800": ["x\x00y", {"k": "z\udc00"}], "n": 3, "t": "tab\tand\nnewline"}
    assert encodable(value) == {"a\ufffd": ["xy", {"k": "z\ufffd"}], "n": 3, "t": "tab\tand\nnewline"}


def test_a_failing_field_is_named_in_problems(monkeypatch):
    import newsarchive.extract as extract

    def broken(*args, **kwargs):
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(extract, "find_images", broken)
    record = _record("")
    assert record["problems"] == ["images: RuntimeError"]
    assert record["images"] == [] and "electric ones" in record["text"]


def test_no_problems_key_when_nothing_failed():
    assert "problems" not in _record("")
