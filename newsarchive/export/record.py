"""The article record: one line of articles.jsonl (docs/architecture.md, "The article record").

`PageFields` is what a page alone gives (newsarchive.extract_article returns it); `ArticleRecord`
adds what the crawl knows. `article_record` is the one place a record is put together; a test keeps
both types in step with the published JSON Schema (export/schema/article.schema.json).
"""
# No `from __future__ import annotations` here: TypedDict must see NotRequired[...] itself.
import json
from collections.abc import Iterator, Mapping
from os import PathLike
from typing import Any, NotRequired, TypedDict

from newsarchive.base.dates import utc_now
from newsarchive.warc.pointer import WarcPointer


class Copyright(TypedDict):
    text: str
    years: list[int]
    holder: str | None
    all_rights_reserved: bool
    raw: str | None


class Image(TypedDict, total=False):
    url: str
    caption: str | None


class Revision(TypedDict):
    number: int
    previous_text_digest: str | None
    diff: dict | None


class SkippedRequisite(TypedDict):
    url: str
    reason: str


class Requisites(TypedDict):
    """What became of an article page's requisites (crawl/requisites_fetch.py), settled before the record."""

    archived: list[str]  # in this crawl's WARC files (a response or a revisit record)
    skipped: list[SkippedRequisite]  # out of scope, over budget, or failed
    unlisted: int  # skipped beyond the listed ones, counted only


class PageFields(TypedDict):
    """Fields extraction reads off one page (newsarchive.extract)."""

    url: str
    canonical_url: str | None
    site: str  # the host that served the page, lowercased, without "www."
    canonical_site: str | None  # the canonical URL's host (the publisher's, for a syndicated copy)
    title: str | None
    description: str | None
    authors: list[str]
    byline: str | None
    published: str | None
    modified: str | None
    published_raw: str | None
    section: str | None
    tags: list[str]
    language: str | None  # identified from the text (extract/language.py), else the declared primary subtag
    language_declared: str | None  # as the page declares it: html lang, og:locale, JSON-LD inLanguage
    language_confidence: float | None  # the identifier's probability for `language`; null when not from the text
    text: str
    word_count: int
    copyright: Copyright | None
    images: list[Image]
    text_digest: str
    provenance: dict[str, str]
    charset: str | None  # the codec the bytes were decoded with (extract/charset.py)
    charset_source: str | None  # what decided it: bom, header, meta, utf8-valid, detected, default
    charset_conflict: bool | None  # the HTTP header named a charset and lost to better evidence
    problems: NotRequired[list[str]]  # "<field>: <error kind>" for fields whose extraction failed


class ArticleRecord(PageFields):
    """A whole record: the page's fields plus where and when the crawl archived the page."""

    spider: str
    crawl_id: str
    fetched_at: str  # the WARC-Date of the capture
    extracted_at: str
    warc: dict[str, Any] | None  # WarcPointer.to_dict() of the response record
    revision: Revision | None  # set by the revision stage (newsarchive.state.revisions)
    requisites: Requisites | None  # None: not collected (requisites off, re-extraction, a revisit)
    # The page classifier's verdict on the page: "article", or "listing"/"other" for a page exported on a
    # feed's or a site rule's word (newsarchive.extract.classify); None when nothing classified it.
    page_type: str | None


CRAWL_FIELDS = ("spider", "crawl_id", "fetched_at", "extracted_at", "warc", "revision", "requisites", "page_type")


def article_record(page: Mapping[str, Any], *, spider: str, crawl_id: str, fetched_at: str | None,
                   warc: WarcPointer | None, extracted_at: str | None = None,
                   requisites: Requisites | None = None, page_type: str | None = None) -> ArticleRecord:
    """The record of one archived article page: `page` (extract_article's fields) plus the crawl's."""
    record: dict[str, Any] = dict(page)
    now = utc_now()
    record.update(spider=spider, crawl_id=crawl_id, fetched_at=fetched_at or now, extracted_at=extracted_at or now,
                  warc=warc.to_dict() if warc is not None else None, revision=None, requisites=requisites,
                  page_type=page_type)
    return record  # type: ignore[return-value]


def read_records(path: "str | PathLike[str]") -> Iterator[dict]:
    """The records of an articles.jsonl, in order. A torn last line (a crash mid-write) or a line that is
    no JSON object is skipped, and a missing or unreadable file has none: readers of a crawl's output
    must not fail on what a crash left (docs/architecture.md, "The archive on disk")."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield record
    except OSError:
        return
