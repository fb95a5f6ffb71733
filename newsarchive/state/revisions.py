"""Article revisions: number each version of an article's text, and say what changed between two.

`paragraph_diff` is a pure function over the cleaned text (paragraphs separated by blank lines).
`RevisionMiddleware` applies it in a crawl: it sits on the spider's output, where each article
record still has its response, and sorts every article URL into one outcome (stats
newsarchive/urls/new|changed|unchanged, which the crawl report counts):

- new        the archive had no article text for this URL: the record goes out, `revision` null;
- changed    the text differs from the latest revision: the record goes out with
             revision {number, previous_text_digest, diff};
- unchanged  a 304 or an identical payload (a revisit record), or a new payload whose extracted
             text is the same (a new ad slot, a rotated teaser): no record goes out. The new bytes
             are archived all the same, and the state's validators move to them.

The first capture is revision 1, so the first change is number 2. Spider middleware rather than an
item pipeline: an unchanged article is not a dropped one, and the response's validators are needed.

Commit order: a new or changed article's state is committed on `article_written`, which the articles
feed's exporter sends once the record's JSON line reached articles.jsonl (newsarchive.base.signals), and
not before its WARC record is on disk (`commit_when_durable`: with WARC_FSYNC_INTERVAL > 0 the fsync
may come later). A record the schema refuses, or that cannot be written, is never committed: the next
crawl extracts it again and writes what this one could not. A crash in between leaves the state
behind the archive, never ahead of it.

A URL whose capture a WARC repair cut off (state/consistency.py) keeps its text and revision number
but no capture: fetched again with the same text, its article goes out again as the same revision
(its `diff` null: the text before it is not kept) with a pointer that resolves.
"""
from __future__ import annotations

import difflib
import logging
from dataclasses import replace
from functools import cached_property

from scrapy import signals
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsarchive.base import layout, meta, stats
from newsarchive.base.signals import article_rejected, article_written, writes_confirmed
from newsarchive.normalize.text import text_digest
from newsarchive.state.extension import IncrementalState, state_of
from newsarchive.state.store import UrlState
from newsarchive.warc.pointer import Capture

logger = logging.getLogger(__name__)

STAT_PREFIX = stats.URL_OUTCOME_PREFIX


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a cleaned article text (blocks separated by blank lines)."""
    return [block.strip() for block in (text or "").split("\n\n") if block.strip()]


def paragraph_diff(old: str | None, new: str | None) -> dict:
    """What changed from `old` to `new`, paragraph by paragraph.

    Returns {"counts": {added, removed, changed, unchanged}, "added": [{index, text}],
    "removed": [{index, text}], "changed": [{index, before, after}]}; indexes are positions in the
    new text (in the old one for removed paragraphs). A replaced run of paragraphs pairs up as
    `changed`, and what is left of the longer side is added or removed.
    """
    before, after = paragraphs(old), paragraphs(new)
    added, removed, changed, unchanged = [], [], [], 0
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            unchanged += i2 - i1
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            changed.append({"index": j1 + k, "before": before[i1 + k], "after": after[j1 + k]})
        removed += [{"index": i, "text": before[i]} for i in range(i1 + paired, i2)]
        added += [{"index": j, "text": after[j]} for j in range(j1 + paired, j2)]
    return {
        "counts": {"added": len(added), "removed": len(removed), "changed": len(changed), "unchanged": unchanged},
        "added": added,
        "removed": removed,
        "changed": changed,
    }


def summarize_diff(diff: dict | None) -> str:
    """One line: '+1 added, -0 removed, ~2 changed, 7 unchanged paragraphs'."""
    counts = (diff or {}).get("counts") or {}
    return (f"+{counts.get('added', 0)} added, -{counts.get('removed', 0)} removed, "
            f"~{counts.get('changed', 0)} changed, {counts.get('unchanged', 0)} unchanged paragraphs")


def header_text(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class RevisionMiddleware(BaseSpiderMiddleware):
    """Sorts article responses into new / changed / unchanged, and commits their state once exported."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.stats = crawler.stats
        self._pending: dict[str, tuple[str, UrlState | None]] = {}  # url -> (outcome, state to commit)

    @classmethod
    def from_crawler(cls, crawler) -> RevisionMiddleware:
        middleware = cls(crawler)
        saved = article_written if writes_confirmed(crawler.settings) else signals.item_scraped
        crawler.signals.connect(middleware.item_saved, signal=saved)
        crawler.signals.connect(middleware.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(middleware.item_dropped, signal=article_rejected)
        return middleware

    def item_saved(self, item, response=None, spider=None) -> None:
        outcome, state = self._pending.pop(item.get("url"), (None, None))
        if outcome is None:
            return
        self.stats.inc_value(STAT_PREFIX + outcome)
        if state is not None and self.state is not None:
            store, crawl_id = self.state.store, layout.crawl_id_for(self.crawler.spider)
            self.state.commit_when_durable(state.capture.pointer if state.capture else None,
                                           lambda: store.commit_revision(state, crawl_id=crawl_id))

    def item_dropped(self, item, response=None, exception=None, spider=None, **kwargs) -> None:
        # Not exported, so not archived as an article: the next crawl treats the URL as before.
        self._pending.pop(item.get("url"), None)

    @cached_property
    def state(self) -> IncrementalState | None:
        # Looked up on first use: then the extension exists whichever component Scrapy built first.
        return state_of(self.crawler)

    # Observed once the callback's output is consumed: the spider may learn only then, from the page
    # itself, that a page it fetched as a listing is an article (meta.ARTICLE).
    def process_spider_output(self, response, result):
        yield from super().process_spider_output(response, result)
        self.observe(response)

    async def process_spider_output_async(self, response, result):
        async for item in super().process_spider_output_async(response, result):
            yield item
        self.observe(response)

    def observe(self, response) -> None:
        """A revisit of an article page (a 304, or a payload archived before) leaves it unchanged."""
        if response is None or not response.meta.get(meta.WARC_REVISIT) or not response.meta.get(meta.ARTICLE):
            return
        if response.status == 200 and self.state is not None and self.state.needs_extraction(response):
            return  # the article record of that payload was never exported: the spider extracts it now
        self.stats.inc_value(STAT_PREFIX + "unchanged")
        if self.state is not None and response.meta.get(meta.WARC_DATE):
            store, url, fetched_at = self.state.store, response.url, response.meta[meta.WARC_DATE]
            self.state.commit_when_durable(response.meta.get(meta.WARC_POINTER),
                                           lambda: store.commit_check(url, fetched_at))

    def get_processed_item(self, item, response):
        if not isinstance(item, dict) or "text_digest" not in item or response is None:
            return item
        pointer = response.meta.get(meta.WARC_POINTER)
        if self.state is None or not pointer or not response.meta.get(meta.WARC_DATE):
            # No state, or nothing archived durably: the record goes out, nothing is committed.
            self._pending[item["url"]] = ("new", None)
            return item
        fetched_at = response.meta[meta.WARC_DATE]
        capture = Capture(url=response.url, date=fetched_at, pointer=pointer)
        if response.meta.get(meta.WARC_REVISIT):
            # Extracted from a revisit (its record was lost in a crash): a later 304 must refer to the
            # response record that holds the bytes, not to this revisit.
            capture = self.state.store.lookup_payload(pointer.payload_digest or "") or capture
        previous = self.state.store.get(item["url"])
        current = self._capture_state(previous, item, response, capture, fetched_at)
        text = item.get("text") or ""
        digest = item.get("text_digest") or text_digest(text)
        if previous is not None and previous.text_digest == digest and previous.capture is None and previous.revision:
            # The record of this revision was cut off in a repair: the same revision goes out again.
            current.revision = previous.revision
            entry = next((e for e in self.state.store.revisions(item["url"]) if e.number == previous.revision), None)
            if previous.revision > 1:
                item["revision"] = {"number": previous.revision,
                                    "previous_text_digest": entry.previous_text_digest if entry else None,
                                    "diff": None}
            self.stats.inc_value("newsarchive/revisions/recovered")
            logger.info("revision %d of %s exported again: its WARC record was lost in a repair",
                        previous.revision, item["url"])
            self._pending[item["url"]] = ("new", current)
            return item
        if previous is not None and previous.text_digest == digest:
            store = self.state.store
            self.state.commit_when_durable(pointer, lambda: store.commit_capture(current))
            self.stats.inc_value(STAT_PREFIX + "unchanged")
            self.stats.inc_value("newsarchive/revisions/payload_only")
            logger.info("new bytes, same text: %s (archived, no new article record)", item["url"])
            return None
        current = replace(current, text=text, text_digest=digest, last_changed=fetched_at,
                          published=item.get("published") or current.published)
        if previous is None or previous.text_digest is None:
            current.revision = 1
            outcome = "new"
        else:
            current.revision = previous.revision + 1
            item["revision"] = {
                "number": current.revision,
                "previous_text_digest": previous.text_digest,
                "diff": paragraph_diff(previous.text, text),
            }
            outcome = "changed"
            logger.info("revision %d of %s: %s", current.revision, item["url"],
                        summarize_diff(item["revision"]["diff"]))
        self._pending[item["url"]] = (outcome, current)
        return item

    def _capture_state(self, previous: UrlState | None, item, response, capture: Capture, fetched_at: str) -> UrlState:
        """The URL's state after this full-body capture, text fields carried over from before."""
        base = replace(previous) if previous is not None else UrlState(url=item["url"], first_fetched=fetched_at)
        base.last_fetched = fetched_at
        base.payload_digest = response.meta[meta.WARC_POINTER].payload_digest
        base.etag = header_text(response, "ETag")
        base.last_modified = header_text(response, "Last-Modified")
        base.crawl_id = layout.crawl_id_for(self.crawler.spider)
        return base.with_capture(capture)
