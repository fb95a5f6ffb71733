"""Languages in the index: query --language, stats per language; on generated records and a real crawl."""
from __future__ import annotations

import json

import pytest

from bench.stories import corpus, write_archive
from tests.conftest import read_jsonl
from tests.research.conftest import jsonl


@pytest.fixture
def languages_archive(tmp_path):
    records, _ = corpus(6, seed=1)
    for record, language in zip(records, ["en", "de", "en-GB", "fr", None, "de"]):
        record["language"] = language
    archive = tmp_path / "archive"
    write_archive(archive, records)
    return archive, records


def test_query_by_language_matches_primary_subtags(languages_archive, cli):
    archive, records = languages_archive
    code, out, _ = cli("query", "--archive", str(archive), "--language", "de", "--format", "jsonl")
    assert code == 0 and sorted(r["url"] for r in jsonl(out)) == sorted(r["url"] for r in records
                                                                        if r["language"] == "de")
    code, out, _ = cli("query", "--archive", str(archive), "--language", "EN-us", "--language", "fr",
                       "--format", "jsonl")
    assert sorted(r["language"] for r in jsonl(out)) == ["en", "en-GB", "fr"]
    code, _, _ = cli("query", "--archive", str(archive), "--language", "ja", "--format", "jsonl")
    assert code == 1


def test_stats_count_articles_per_language(languages_archive, cli):
    archive, _ = languages_archive
    code, out, _ = cli("stats", "--archive", str(archive), "--json")
    stats = json.loads(out)
    assert stats["per_language"] == {"de": 2, "en": 2, "?": 1, "fr": 1}
    assert stats["coverage"]["language"] == pytest.approx(5 / 6)
    code, out, _ = cli("stats", "--archive", str(archive))
    assert "per language (from the text):" in out


@pytest.mark.slow
def test_the_demo_crawl_is_english_by_its_text(demo_crawl, cli):
    records = read_jsonl(demo_crawl / "articles.jsonl")
    assert records and all(r["language"] == "en" and r["language_confidence"] >= 0.9 for r in records)
    assert all(r["provenance"]["language"] == "text" for r in records)
    code, out, _ = cli("stats", "--archive", str(demo_crawl.parent.parent), "--json")
    assert json.loads(out)["per_language"] == {"en": len({r["url"] for r in records})}
