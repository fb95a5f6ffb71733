"""Records as flat rows: the columns of CSV output and of the terminal table.

Lists become one cell joined with "; " (images by their URLs); nested objects (warc, copyright,
revision) become dotted columns such as warc.offset; provenance, whose keys vary, stays JSON.

Record text comes from strangers' pages, so what reaches a terminal has its control characters
removed (an escape sequence in a title could rewrite the screen or the window title: terminal_safe),
and a CSV cell that a spreadsheet would run as a formula is quoted with a leading ' (csv_safe).
"""
from __future__ import annotations

import json
import re
import shutil

LIST_SEPARATOR = "; "

# Every column of a full flat row, in the order of newsarchive.export.record.ArticleRecord, plus the
# index's story_id (research/stories.py).
CSV_FIELDS = (
    "url", "canonical_url", "site", "spider", "crawl_id", "fetched_at", "extracted_at", "title", "description",
    "authors", "byline", "published", "modified", "published_raw", "section", "tags", "language", "language_declared",
    "language_confidence", "word_count",
    "copyright.text", "copyright.years", "copyright.holder", "copyright.all_rights_reserved", "copyright.raw",
    "images", "warc.filename", "warc.offset", "warc.length", "warc.record_id", "warc.payload_digest",
    "revision.number", "revision.previous_text_digest", "text_digest", "story_id", "provenance", "text",
)
TABLE_FIELDS = ("id", "published", "site", "authors", "title")
# C0 and C1 controls (ESC, BEL, the 8-bit CSI) and the bidirectional overrides that reorder what is shown.
TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal_safe(text: str) -> str:
    """`text` without control characters, for a terminal (newlines and tabs kept)."""
    return TERMINAL_UNSAFE.sub("", text)


def csv_safe(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ' before a formula start; numbers stay numbers."""
    if value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def field_value(record: dict, name: str) -> object:
    """A field by name; 'warc.offset' reaches into an object."""
    value: object = record
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def cell(value: object) -> str:
    """One CSV or table cell: lists joined with '; ', images by URL, objects as JSON, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell(item.get("url") if isinstance(item, dict) and "url" in item else item)
                                   for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def flat_row(record: dict, fields: tuple[str, ...] | list[str], *, index_id: int | None = None) -> list[str]:
    return [str(index_id) if name == "id" and index_id is not None else cell(field_value(record, name))
            for name in fields]


def csv_row(record: dict, fields: tuple[str, ...] | list[str], *, index_id: int | None = None) -> list[str]:
    """A flat row for CSV output, every cell safe to open in a spreadsheet."""
    return [csv_safe(value) for value in flat_row(record, fields, index_id=index_id)]


def select_fields(record: dict, fields: list[str] | None, *, index_id: int | None = None) -> dict:
    """The record, or only the named fields (dotted names keep their dotted key), for JSON output."""
    if not fields:
        return record
    return {name: index_id if name == "id" else field_value(record, name) for name in fields}


def format_table(rows: list[list[str]], header: list[str], width: int | None = None) -> str:
    """A plain-text table that fits the terminal: the widest column is shortened with an ellipsis."""
    width = width or shutil.get_terminal_size((120, 24)).columns
    rows = [[terminal_safe(value.replace("\n", " ").replace("\t", " ")) for value in row] for row in rows]
    header = [terminal_safe(name) for name in header]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(header)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] = max(12, widths[widest] - (sum(widths) + 2 * (len(widths) - 1) - width))

    def line(values: list[str]) -> str:
        return "  ".join(fit(value, w).ljust(w) for value, w in zip(values, widths)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(row) for row in rows])


def fit(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
