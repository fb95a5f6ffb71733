"""Streaming writers for matched records: JSON Lines, CSV and Parquet.

Each takes an iterable of records and writes them in batches, so exporting the whole archive
needs no more memory than one batch. Parquet keeps the record's shape: authors and tags stay
list<string>, images list<struct>, warc/copyright/revision are structs, provenance a map.
"""
from __future__ import annotations

import csv
import io
import json
from itertools import islice
from typing import IO, Iterable, Iterator

from newsarchive.research.formats import CSV_FIELDS, csv_row

BATCH_SIZE = 1000
FORMATS = ("jsonl", "csv", "parquet")


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def write_jsonl(records: Iterable[dict], out: IO[bytes]) -> int:
    written = 0
    for batch in batched(records, BATCH_SIZE):
        out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode("utf-8"))
        written += len(batch)
    return written


def write_csv(records: Iterable[dict], out: IO[bytes], fields: tuple[str, ...] = CSV_FIELDS) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(fields)
    written = 0
    for batch in batched(records, BATCH_SIZE):
        writer.writerows(csv_row(record, fields) for record in batch)
        written += len(batch)
    text.flush()
    text.detach()  # leave `out` open for the caller
    return written


def parquet_schema():
    import pyarrow as pa

    string = pa.string()
    return pa.schema([
        ("url", string), ("canonical_url", string), ("site", string), ("spider", string), ("crawl_id", string),
        ("fetched_at", string), ("extracted_at", string), ("title", string), ("description", string),
        ("authors", pa.list_(string)), ("byline", string),
        # Dates stay ISO 8601 strings: a timestamp type would drop the site's offset and the date-only form.
        ("published", string), ("modified", string), ("published_raw", string), ("section", string),
        ("tags", pa.list_(string)), ("language", string), ("language_declared", string),
        ("language_confidence", pa.float64()), ("text", string), ("word_count", pa.int64()),
        ("copyright", pa.struct([("text", string), ("years", pa.list_(pa.int32())), ("holder", string),
                                 ("all_rights_reserved", pa.bool_()), ("raw", string)])),
        ("images", pa.list_(pa.struct([("url", string), ("caption", string)]))),
        ("warc", pa.struct([("filename", string), ("offset", pa.int64()), ("length", pa.int64()),
                            ("record_id", string), ("payload_digest", string)])),
        ("revision", pa.struct([("number", pa.int32()), ("previous_text_digest", string)])),
        ("text_digest", string),
        ("story_id", string),  # from the index (research/stories.py), not the archived record
        ("provenance", pa.map_(string, string)),
    ])


def parquet_row(record: dict, names: list[str]) -> dict:
    row = {name: record.get(name) for name in names}
    provenance = row.get("provenance")
    row["provenance"] = list(provenance.items()) if isinstance(provenance, dict) else None
    for name in ("authors", "tags", "images"):
        if not isinstance(row[name], list):
            row[name] = [] if row[name] is None else row[name]
    return row


def write_parquet(records: Iterable[dict], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    written = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in batched(records, BATCH_SIZE):
            rows = [parquet_row(record, schema.names) for record in batch]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            written += len(batch)
    return written


def record_from_parquet(row: dict) -> dict:
    """A row read back with pyarrow's to_pylist(), with its provenance map as a dict again."""
    record = dict(row)
    if record.get("provenance") is not None:
        record["provenance"] = dict(record["provenance"])
    return record


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
