"""The export stage's last line of defence: whatever text reaches it, the record is written."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.test import get_crawler

from newsarchive.export.pipelines import EncodableTextPipeline
from newsarchive.normalize.encodable import CONTROL_CHARACTERS, encodable, encodable_text


def test_lone_surrogates_are_replaced_and_control_characters_dropped():
    assert encodable_text("Lone \ud800 surrogate") == "Lone \ufffd surrogate"
    assert encodable_text("\ud83d\ude00") == "\U0001F600"  # a split pair is joined, not replaced
    assert encodable_text("a\x00b\x01c\x7fd\x85e") == "abcde"
    assert encodable_text("tab\tnew\nline\r") == "tab\tnew\nline\r"
    assert encodable({"x": [float("nan"), float("inf"), 1.5], "\udfffk": {"y": "\udc80"}}) == {
        "x": [None, None, 1.5], "\ufffdk": {"y": "\ufffd"}}


def test_pipeline_counts_and_the_exporter_writes_the_record(tmp_path):
    crawler = get_crawler()
    pipeline = EncodableTextPipeline.from_crawler(crawler)
    record = {"url": "http://news.test/a/", "title": "Lone \ud800 surrogate", "authors": ["Ann \udfff Lee"],
              "description": "ctl \x01 x", "word_count": 5}
    out = pipeline.process_item(dict(record))
    assert crawler.stats.get_value("newsarchive/problems/unencodable_text") == 1
    path = tmp_path / "articles.jsonl"
    with open(path, "wb") as fh:
        exporter = JsonLinesItemExporter(fh, encoding="utf-8", ensure_ascii=False)
        exporter.start_exporting()
        exporter.export_item(out)
        exporter.finish_exporting()
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["title"] == "Lone \ufffd surrogate" and written["authors"] == ["Ann \ufffd Lee"]
    clean = {"url": "http://news.test/b/", "title": "Fine"}
    assert pipeline.process_item(dict(clean)) == clean
    assert crawler.stats.get_value("newsarchive/problems/unencodable_text") == 1


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.one_of(st.text(), st.floats(), st.integers(), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)),
                    max_leaves=12))
def test_anything_becomes_strict_json_in_utf8(value):
    data = json.dumps(encodable(value), ensure_ascii=False, allow_nan=False).encode("utf-8")
    json.loads(data)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_encodable_and_free_of_control_characters(text):
    clean = encodable_text(text)
    clean.encode("utf-8")
    assert not CONTROL_CHARACTERS.search(clean)
    assert len(clean) <= len(text)
