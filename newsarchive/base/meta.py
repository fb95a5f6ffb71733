"""The request.meta keys crawl components hand each other (docs/architecture.md, "Meta keys").

Scrapy copies meta along redirects and retries, and a JOBDIR pickles it with queued requests, so the
keys keep their historical string values.
"""
from __future__ import annotations

# Set by the spider on article requests: the URL is an article page (tracked by the incremental
# state, asked conditionally, extracted by parse_article).
ARTICLE = "newsarchive_article"
# A feed's or sitemap's date for the entry (ISO 8601), a hint for --since before fetching.
DATE_HINT = "date_hint"
# Set by the spider on requests for URLs a feed or news sitemap lists: the site's own word that it is an article.
LISTED = "newsarchive_listed"
# Set by the spider when a feed lists a URL this crawl fetched already and did not take for an article:
# the page is fetched once more and extracted even though its payload is a revisit.
RECONSIDERED = "newsarchive_reconsidered"
# Set by the spider on a fetched page: the page classifier's verdict (extract.classify.PageVerdict).
PAGE_VERDICT = "newsarchive_page_verdict"

# Set by the WARC recorder (or a replay of the archive) on the request once the response is archived:
WARC_POINTER = "warc"  # warc.pointer.WarcPointer of the response (or revisit) record
WARC_DATE = "warc_date"  # its WARC-Date
WARC_REVISIT = "warc_revisit"  # True when the record is a revisit: the payload was archived before

# Set by the wire-capture download handler (fetch/wire_capture.py) on the request it downloaded, and
# taken off by the WARC recorder: the exchange's bytes as sent and received (warc.wire.WireExchange).
WIRE_EXCHANGE = "newsarchive_wire_exchange"

# Set by the conditional-request middleware: the capture (warc.pointer.Capture) a 304 would revisit.
REVISIT_OF = "revisit_of"
# Set on a resumed crawl's replayed responses whose article record articles.jsonl holds already.
RESUME_EXPORTED = "resume_exported"
# A per-request body size limit in bytes for fetch.size_limit (0 turns the cut off).
MAXSIZE = "newsarchive_maxsize"
# Set by the page-requisites fetcher (crawl/requisites_fetch.py): on a requisite's request, its kind
# ("image", "stylesheet", ...); on an article's request, once its requisites are done, what became of
# them ({"archived": [...], "skipped": [...]}, the record's `requisites` field).
REQUISITE = "newsarchive_requisite"
REQUISITES = "newsarchive_requisites"

# Set by the crawl limits (crawl/limits.py) on every request that went through the scheduler: one a limit
# holds back goes back there, one a component downloads itself (robots.txt, requisites) is refused instead.
SCHEDULED = "newsarchive_scheduled"

# Keys describing one capture: a redirect or retry must not carry another response's.
CAPTURE_KEYS = (WARC_POINTER, WARC_DATE, WARC_REVISIT)
