"""`newsarchive export`: Parquet keeps the record's shape; CSV flattens; JSONL is the records; filters apply."""
from __future__ import annotations

import csv
import json

import pyarrow as pa
import pyarrow.parquet as pq

from newsarchive.research.exporters import record_from_parquet
from tests.research.conftest import jsonl, latest

PARQUET_FIELDS = ("url", "canonical_url", "site", "spider", "crawl_id", "fetched_at", "extracted_at", "title",
                  "description", "authors", "byline", "published", "modified", "published_raw", "section", "tags",
                  "language", "language_declared", "language_confidence", "text", "word_count", "copyright", "images", "warc", "revision", "text_digest",
                  "story_id", "provenance")


def by_url(records):
    return sorted(records, key=lambda r: (r["url"], r["fetched_at"]))


def test_parquet_round_trip_preserves_records(archive, cli, tmp_path):
    out = tmp_path / "articles.parquet"
    code, _, err = cli("export", "--archive", str(archive.root), "--format", "parquet", "--out", str(out),
                       "--all-revisions")
    assert code == 0 and "exported 8 of 8" in err
    table = pq.read_table(out)
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("tags").type == pa.list_(pa.string())
    assert pa.types.is_list(table.schema.field("images").type)
    assert pa.types.is_struct(table.schema.field("images").type.value_type)
    for name in ("warc", "copyright", "revision"):
        assert pa.types.is_struct(table.schema.field(name).type), name
    read_back = [record_from_parquet(row) for row in table.to_pylist()]
    assert all(len(row.pop("story_id")) == 16 for row in read_back)  # the index's story of each record
    assert by_url(read_back) == by_url(archive.records)
    assert isinstance(read_back[0]["authors"], list)


def test_parquet_export_applies_filters(archive, cli, tmp_path):
    out = tmp_path / "jane.parquet"
    code, _, _ = cli("export", "--archive", str(archive.root), "--format", "parquet", "--out", str(out),
                     "--author", "jane doe", "--since", "2026-11-02")
    assert code == 0
    assert sorted(pq.read_table(out, columns=["url"]).column("url").to_pylist()) == [
        "https://cloudcourier.test/posts/storage-prices", "https://gadgetwire.test/2026/11/solid-state-battery"]


def test_csv_export_flattens_lists_with_semicolons(archive, cli, tmp_path):
    out = tmp_path / "articles.csv"
    code, _, _ = cli("export", "--archive", str(archive.root), "--format", "csv", "--out", str(out))
    assert code == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = by_url(latest(archive.records))
    assert [row["url"] for row in by_url(rows)] == [r["url"] for r in expected]
    for row, record in zip(by_url(rows), expected):
        assert row["authors"] == "; ".join(record["authors"])
        assert row["tags"] == "; ".join(record["tags"])
        assert row["warc.payload_digest"] == record["warc"]["payload_digest"]
        assert row["text"] == record["text"]
        assert json.loads(row["provenance"]) == record["provenance"]


def test_jsonl_export_to_stdout(archive, cli):
    code, out, err = cli("export", "--archive", str(archive.root), "--format", "jsonl", "--out", "-",
                         "--spider", "news")
    assert code == 0
    exported = jsonl(out)
    assert all(r.pop("story_id") for r in exported)
    assert by_url(exported) == by_url([r for r in archive.records if r["spider"] == "news"])


def test_export_in_more_than_one_batch(archive, cli, tmp_path, monkeypatch):
    from newsarchive.research import exporters

    monkeypatch.setattr(exporters, "BATCH_SIZE", 3)
    out = tmp_path / "small-batches.parquet"
    cli("export", "--archive", str(archive.root), "--format", "parquet", "--out", str(out), "--all-revisions")
    assert pq.ParquetFile(out).metadata.num_row_groups == 3  # 8 records in batches of 3
    assert pq.read_table(out).num_rows == 8


def test_no_match_exits_1_and_bad_filters_exit_2_without_leaving_a_file(archive, cli, tmp_path):
    out = tmp_path / "none.csv"
    code, _, err = cli("export", "--archive", str(archive.root), "--format", "csv", "--out", str(out),
                       "--text", "zeppelin")
    assert code == 1 and "exported 0 of 0" in err
    out.unlink()
    code, _, err = cli("export", "--archive", str(archive.root), "--format", "csv", "--out", str(out),
                       "--text", "NOT")
    assert code == 2 and "bad --text query" in err
    assert list(tmp_path.iterdir()) == [archive.root] or not out.exists()
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())
    code, _, err = cli("export", "--archive", str(archive.root), "--format", "parquet", "--out", "-")
    assert code == 2
