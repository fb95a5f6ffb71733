"""Reading a crawl folder back the way the resume tests judge it: fetches per URL, and the article lines."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

RETRY_STATUSES = {500, 502, 503, 504, 522, 524, 408, 429}  # Scrapy's RETRY_HTTP_CODES


def path_of(url: str) -> str:
    """The URL without scheme and host: crawls of the same site on two ports compare equal."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetches_by_path(warc_dir: Path) -> Counter[str]:
    """How often each URL was fetched, over every WARC of a crawl, counted by request records.

    A request whose response asked for a retry (a 5xx, 408, 429) is the first try of a fetch, not a
    fetch of its own. A request whose response never completed left no record (the repair cut it).
    """
    status_of: dict[str, int] = {}
    requests: list[tuple[str, str]] = []
    for path in sorted(Path(warc_dir).glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                headers = record.rec_headers
                if record.rec_type in ("response", "revisit"):
                    status_of[headers.get_header("WARC-Record-ID")] = int(record.http_headers.get_statuscode())
                elif record.rec_type == "request":
                    requests.append((headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Concurrent-To")))
    counts: Counter[str] = Counter()
    for url, response_id in requests:
        assert response_id in status_of, f"request record for {url} without its response"
        if status_of[response_id] not in RETRY_STATUSES:
            counts[path_of(url)] += 1
    return counts


def article_lines(articles: Path) -> list[dict]:
    """Every record of an articles.jsonl, failing on a torn or unparsable line."""
    raw = Path(articles).read_bytes()
    assert not raw or raw.endswith(b"\n"), "articles.jsonl ends in a torn line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def record_ids(warc_dir: Path) -> set[str]:
    ids = set()
    for path in sorted(Path(warc_dir).glob("*.warc.gz")):
        with open(path, "rb") as fh:
            ids.update(r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(fh))
    return ids
