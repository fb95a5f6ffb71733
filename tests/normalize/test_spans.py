"""The byline span classifier, one group of invented strings per kind, and the segmentation."""
from __future__ import annotations

import pytest

from newsarchive.normalize.spans import KINDS, classify_span, segment

BY_KIND = {
    "person": ["Odile Marchetti", "ODILE MARCHETTI", "odile marchetti", "Juan de la Vega", "Mary-Kate O'Rourke",
               "J. R. Tolliver", "Ngozi Adeyemi-Okafor", "Zoë Lindqvist", "Ravindra"],
    "outlet": ["Reuters", "AP", "CBC News", "Gizmo Daily", "The Circuit Ledger", "Harbour Town Gazette",
               "Nordstadt Zeitung", "Diario del Puerto", "Reuters Staff"],
    "role": ["Staff Writer", "Senior Editor", "Deputy Chief Digital Officer", "Contributing Columnist",
             "Redakteurin", "Corresponsal", "Editor at Large"],
    "date": ["May 6, 2024", "6 mai 2024", "2024-05-06", "3 hours ago", "Updated 2:14 PM ET", "06.05.2024 15:33 Uhr",
             "vor 2 Stunden", "Mon, 6 May 2024"],
    "handle": ["@omarchetti", "@circuit_ledger"],
    "email": ["odile@circuit.test", "news.desk@harbour-town.test"],
    "url": ["https://circuit.test/author/odile", "www.circuit.test"],
    "label": ["By", "Author:", "Von"],
    "other": ["Follow", "Staff", "5 min read", "click here to read all posts by this writer now please"],
}


@pytest.mark.parametrize("kind,text", [(k, t) for k, texts in BY_KIND.items() for t in texts])
def test_each_kind(kind, text):
    got = classify_span(text)
    assert got.kind == kind, (text, got)
    assert got.kind in KINDS


def test_segment_splits_at_separators_and_keeps_urls_and_addresses_whole():
    raw = "By Odile Marchetti, Staff Writer | CBC News · May 6, 2024 | @om odile@circuit.test https://c.test/a,b"
    texts = [s.text for s in segment(raw)]
    assert texts == ["By Odile Marchetti", "Staff Writer", "CBC News", "May 6", "2024", "@om", "odile@circuit.test",
                     "https://c.test/a,b"]
    for span in segment(raw):
        assert raw[span.start:span.end] == span.text


def test_segment_splits_at_conjunctions_between_names():
    assert [s.text for s in segment("Odile Marchetti and Ravi Kandasamy & Lena Voss")] == [
        "Odile Marchetti", "Ravi Kandasamy", "Lena Voss"]


def test_non_text_is_other_and_empty_input_has_no_spans():
    assert classify_span(None).kind == "other"  # type: ignore[arg-type]
    assert segment("") == [] and segment(" | , ") == []
