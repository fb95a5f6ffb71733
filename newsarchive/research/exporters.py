"""Streaming writers for matched records: JSON Lines, CSV and Parquet.

Each takes an iterable of records and writes them in batches, so exporting the whole archive
needs no more memory than one batch. Parquet keeps the record's shape: authors and tags stay
list<string>, images list<struct>, warc/copyright/revision (with its paragraph diff) are structs,
provenance a map. Its times are real timestamp columns (UTC, microseconds): fetched_at, extracted_at,
published and modified, so a query compares and truncates them as times; a page's own date form, with
its UTC offset or as a bare day, is kept beside them in published_iso and modified_iso, and
`record_from_parquet` gives the record back exactly.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from itertools import islice
from typing import IO, Iterable, Iterator

from newsarchive.base.dates import parse_date
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


TIMESTAMP_FIELDS = ("fetched_at", "extracted_at", "published", "modified")
# A page's own date strings, kept beside their timestamps: the offset and a date-only form are facts too.
ISO_COPIES = {"published": "published_iso", "modified": "modified_iso"}


def parquet_schema():
    import pyarrow as pa

    string, int32 = pa.string(), pa.int32()
    timestamp = pa.timestamp("us", tz="UTC")
    paragraph = pa.struct([("index", int32), ("text", string)])
    diff = pa.struct([
        ("counts", pa.struct([("added", int32), ("removed", int32), ("changed", int32), ("unchanged", int32)])),
        ("added", pa.list_(paragraph)), ("removed", pa.list_(paragraph)),
        ("changed", pa.list_(pa.struct([("index", int32), ("before", string), ("after", string)]))),
    ])
    return pa.schema([
        ("url", string), ("canonical_url", string), ("site", string), ("canonical_site", string), ("spider", string),
        ("crawl_id", string), ("fetched_at", timestamp), ("extracted_at", timestamp), ("title", string),
        ("description", string), ("authors", pa.list_(string)), ("byline", string),
        ("published", timestamp), ("published_iso", string), ("modified", timestamp), ("modified_iso", string),
        ("published_raw", string), ("section", string),
        ("tags", pa.list_(string)), ("language", string), ("language_declared", string),
        ("language_confidence", pa.float64()), ("text", string), ("word_count", pa.int64()),
        ("copyright", pa.struct([("text", string), ("years", pa.list_(int32)), ("holder", string),
                                 ("all_rights_reserved", pa.bool_()), ("raw", string)])),
        ("images", pa.list_(pa.struct([("url", string), ("caption", string)]))),
        ("warc", pa.struct([("filename", string), ("offset", pa.int64()), ("length", pa.int64()),
                            ("record_id", string), ("payload_digest", string)])),
        ("revision", pa.struct([("number", int32), ("previous_text_digest", string), ("diff", diff)])),
        ("text_digest", string),
        ("page_type", string),
        ("story_id", string),  # from the index (research/stories.py), not the archived record
        ("provenance", pa.map_(string, string)),
    ])


def as_timestamp(value) -> datetime | None:
    """An ISO 8601 string as a UTC instant (a bare day: its midnight UTC); None when it is none."""
    parsed = parse_date(value) if isinstance(value, str) else None
    return parsed.astimezone(timezone.utc) if parsed is not None else None


def parquet_row(record: dict, names: list[str]) -> dict:
    row = {name: record.get(name) for name in names}
    for field, copy in ISO_COPIES.items():
        row[copy] = record.get(field) if isinstance(record.get(field), str) else None
    for field in TIMESTAMP_FIELDS:
        row[field] = as_timestamp(record.get(field))
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
    """A row read back with pyarrow's to_pylist() as the record it was written from."""
    record = dict(row)
    if record.get("provenance") is not None:
        record["provenance"] = dict(record["provenance"])
    for field, copy in ISO_COPIES.items():
        record[field] = record.pop(copy, None)
    for field in ("fetched_at", "extracted_at"):
        if isinstance(record.get(field), datetime):
            record[field] = _utc_text(record[field])
    revision = record.get("revision")
    if isinstance(revision, dict) and revision.get("diff") is None:
        revision.pop("diff", None)  # a revision written without one
    return record


def _utc_text(value: datetime) -> str:
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if value.microsecond else "%Y-%m-%dT%H:%M:%SZ")


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
