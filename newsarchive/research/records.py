"""Pure functions from one article record (newsarchive.export.record) to the values the index filters and sorts on.

Records come from crawls of varying age and from other tools, so every accessor tolerates a
missing field or a wrong type and falls back to None or an empty list instead of raising.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from newsarchive.base import urls
from newsarchive.normalize import text as text_rules
from newsarchive.normalize.fold import match_key  # names are matched by one key (normalize/fold.py)
from newsarchive.warc.pointer import POINTER_FIELDS

DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
LANGUAGE_RE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_]|\s*$)")


class BadRecord(ValueError):
    """A JSON line that is not an article record (not an object, or no URL)."""


def site_of(record: dict) -> str | None:
    """The record's site; derived from its URL (lowercased host, no www.) when the field is missing."""
    site = record.get("site")
    if isinstance(site, str) and site:
        return site.lower()
    return urls.site_of(record["url"]) or None


def string_list(value: object) -> list[str]:
    """A list of non-empty strings from a field that should be one (a lone string counts as one item)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item.strip() for item in value if isinstance(item, str) and item.strip()]


def optional_string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def published_day(published: object) -> str | None:
    """The calendar day as the site states it ('2026-03-01T23:30:00-05:00' -> '2026-03-01').

    --since/--until compare this day, not the UTC instant: a researcher asking for March 1st
    means the day printed on the article.
    """
    if not isinstance(published, str):
        return None
    match = DAY_RE.match(published)
    return "-".join(match.groups()) if match else None


def utc_instant(value: object) -> str | None:
    """An ISO 8601 date or datetime as a sortable UTC string 'YYYY-MM-DDTHH:MM:SSZ'.

    Date-only values count as midnight UTC; a time without an offset is taken as UTC.
    """
    if not isinstance(value, str) or not DAY_RE.match(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return published_day(value) + "T00:00:00Z"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def revision_number(record: dict) -> int:
    """The record's revision number; 0 for a first capture (revision is null)."""
    revision = record.get("revision")
    number = revision.get("number") if isinstance(revision, dict) else None
    return number if isinstance(number, int) else 0


def word_count(record: dict) -> int:
    """The record's word count; counted from its text, by extraction's rule, when the field is missing."""
    count = record.get("word_count")
    if isinstance(count, int):
        return count
    text = record.get("text")
    return text_rules.word_count(text) if isinstance(text, str) else 0


def language_code(record: dict) -> str | None:
    """The record's language as a lowercase primary subtag ('en-GB' in an older record -> 'en')."""
    match = LANGUAGE_RE.match(optional_string(record.get("language")) or "")
    return match.group(1).lower() if match else None


def copyright_holder(record: dict) -> str | None:
    notice = record.get("copyright")
    return optional_string(notice.get("holder")) if isinstance(notice, dict) else None


def warc_pointer(record: dict) -> dict:
    """The record's WARC pointer with missing parts as None."""
    warc = record.get("warc") if isinstance(record.get("warc"), dict) else {}
    return {key: warc.get(key) for key in POINTER_FIELDS}


def check_record(record: object) -> dict:
    """The record itself if it can be indexed; BadRecord says why not."""
    if not isinstance(record, dict):
        raise BadRecord(f"a JSON {type(record).__name__}, not an object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        raise BadRecord("no url")
    return record
