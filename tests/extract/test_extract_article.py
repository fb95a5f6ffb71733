"""extract_article on the team's fixture pages: one test per source of metadata and per page shape."""
from __future__ import annotations

import re

import jsonschema
import pytest

from newsarchive import extract_article as public_extract_article
from newsarchive.extract import extract_article
from newsarchive.export.schema import __file__ as schema_package
from newsarchive.normalize.text import text_digest

PAGE_FIELDS = {
    "url", "canonical_url", "site", "title", "description", "authors", "byline", "published", "modified",
    "published_raw", "section", "tags", "language", "language_declared", "language_confidence", "text",
    "word_count", "copyright", "images", "text_digest", "provenance", "charset", "charset_source", "charset_conflict",
}


def _schema_check(record: dict) -> None:
    """The page-level part of the published article schema must hold for every record."""
    import json
    from pathlib import Path

    schema = json.loads((Path(schema_package).parent / "article.schema.json").read_text())
    schema = dict(schema, required=[f for f in schema["required"] if f in PAGE_FIELDS])
    jsonschema.validate(record, schema)


def test_seed_like_page_keeps_headings_and_moves_copyright_out_of_text(page):
    record = extract_article(page("seed_like.html"), "https://www.circuit-ledger.test/news/router-deal")
    text = record["text"]
    assert record["title"] == "Brightwave and Norfield Drop Their Router Deal"
    assert "\n\nA Quiet Launch in Lisbon\n\n" in text
    assert "\n\nStill On Track For Brightwave\n\n" in text
    assert text.startswith("The planned partnership between the carrier Norfield")
    assert text.endswith("a Brightwave spokesperson said in an email.")
    assert record["copyright"]["text"] == "© 2021 All rights reserved. Do not reproduce without permission."
    assert record["copyright"]["years"] == [2021] and record["copyright"]["all_rights_reserved"] is True
    assert record["provenance"]["copyright"] == "html"
    assert "rights reserved" not in text.lower() and "ⓒ" not in text and "©" not in text
    assert record["authors"] == ["Odile Marchetti"]
    assert "Odile Marchetti" not in text, "the byline is not body text"
    assert "Share" not in text.split() and "Tweet" not in text
    assert record["site"] == "circuit-ledger.test"
    assert record["word_count"] == len(re.findall(r"\w+", text))
    assert record["text_digest"] == text_digest(text)
    _schema_check(record)


def test_jsonld_graph_with_id_references(page):
    record = extract_article(page("jsonld_graph.html"), "https://www.example-review.test/energy/2023/04/05/tidal-kites/")
    assert record["title"] == "Tidal kites power a harbour town"
    assert record["authors"] == ["Ines Varga"]
    assert record["published"] == "2023-04-05T08:15:00+02:00"
    assert record["modified"] == "2023-04-06T10:00:00+02:00"
    assert record["published_raw"] == "2023-04-05T08:15:00+02:00"
    assert record["section"] == "Energy"
    assert record["tags"] == ["tidal", "renewables", "kites"]
    assert record["language_declared"] == "en-GB" and record["language"] == "en"
    assert record["canonical_url"] == "https://www.example-review.test/energy/2023/04/05/tidal-kites/"
    assert record["site"] == "example-review.test"
    assert record["description"] == "Underwater kites now supply a fifth of a small town's electricity."
    assert {"url": "https://cdn.example-review.test/kites.jpg", "caption": None} in record["images"]
    assert {"url": "https://www.example-review.test/img/kite-diagram.png",
            "caption": "How a tidal kite moves through the water."} in record["images"]
    for field in ("title", "authors", "published", "modified", "section", "tags"):
        assert record["provenance"][field] == "jsonld", field
    assert record["provenance"]["text"] == "body"
    _schema_check(record)


def test_nested_authors_urls_and_staff(page):
    record = extract_article(page("nested_authors.html"), "https://www.rover-news.test/2022/11/30/rovers")
    # givenName/familyName object, an all-caps name, an author URL; "Staff" is no person.
    assert record["authors"] == ["Tomas Reyes", "Priya Nandakumar", "Lena Okafor"]
    assert record["published"] == "2022-11-30"
    assert record["provenance"]["published"] == "jsonld"
    assert record["byline"] and "PRIYA NANDAKUMAR" in record["byline"]


def test_meta_only_page(page):
    record = extract_article(page("meta_only.html"), "https://byteharbor.test/news/solar-roads-second-trial?ref=rss")
    assert record["title"] == "Solar roads get a second trial"
    assert record["authors"] == ["Marcus Fenwick", "Julia Ode"]
    assert record["byline"] == "By MARCUS FENWICK and Julia Ode"
    assert record["published"] == "2024-02-10T14:30:00-05:00"
    assert record["modified"] == "2024-02-11T09:00:00-05:00"
    assert record["section"] == "Energy"
    assert record["tags"] == ["solar", "infrastructure"]
    assert record["language_declared"] == "en-US" and record["language"] == "en"
    assert record["canonical_url"] == "https://byteharbor.test/news/solar-roads-second-trial"
    assert record["images"] == [{"url": "https://byteharbor.test/media/solar-road.jpg", "caption": None}]
    assert all(record["provenance"][f] == "meta" for f in ("title", "authors", "published", "section", "tags"))
    _schema_check(record)


def test_page_without_metadata_falls_back_to_markup_and_url(page):
    record = extract_article(page("no_metadata.html"), "https://www.mill-gazette.test/2021/06/12/telescopes.html")
    assert record["title"] == "Local library lends out telescopes"
    assert record["authors"] == ["Harriet Vance"]
    assert record["provenance"]["authors"] == "html"
    assert record["published"] == "2021-06-12"
    assert record["provenance"]["published"] == "url"
    assert record["text"].startswith("The public library on Mill Street")
    assert "Harriet Vance" not in record["text"]
    assert record["site"] == "mill-gazette.test"


def test_boilerplate_blocks_are_not_text(page):
    record = extract_article(page("boilerplate.html"), "https://birds.test/drones")
    text = record["text"]
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3, paragraphs
    for chrome in ("Advertisement", "Getty Images", "Related:", "newsletter", "Read more", "Facebook", "Share",
                   "Rafael Indermaur"):
        assert chrome not in text, chrome
    assert paragraphs[0].startswith("Researchers have started using quiet camera drones")


def test_cp1252_page_declared_only_in_meta(page):
    record = extract_article(page("cp1252_meta.html"), "https://repair.test/a", encoding=None)
    assert record["title"] == "A naïve question about €5 repairs"
    assert "repair café" in record["text"] and "“simple”" in record["text"] and "€5" in record["text"]
    assert "\ufffd" not in record["text"]


def test_utf8_page_with_wrong_latin1_header(page):
    record = extract_article(page("utf8_wrong_header.html"), "https://trams.test/a", encoding="iso-8859-1")
    assert record["title"] == "Zürich tests quiet trams"
    assert "Zürich has started" in record["text"] and "curves — especially" in record["text"]
    assert "Ã" not in record["text"]


def test_mojibake_is_repaired(page):
    record = extract_article(page("mojibake.html"), "https://cafe.test/a")
    assert record["title"] == "Café robots arrive in the old town"
    assert "The café on the main square" in record["text"]
    assert "it’s the best thing" in record["text"]
    assert "Ã" not in record["text"] and "â€" not in record["text"]


def test_public_api_is_the_same_function(page):
    body = page("meta_only.html")
    assert public_extract_article(body, "https://byteharbor.test/x") == extract_article(body, "https://byteharbor.test/x")


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02", b"<html>", b"not html at all", b"<?xml version='1.0'?><a/>",
                                  "<p>caf\u00e9</p>".encode("utf-16")])
def test_garbage_gives_an_empty_but_complete_record(body):
    record = extract_article(body, "https://www.garbage.test/x")
    assert set(record) == PAGE_FIELDS
    assert record["site"] == "garbage.test"
    assert isinstance(record["text"], str) and isinstance(record["authors"], list)
    _schema_check(record)
