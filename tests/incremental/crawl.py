"""Running crawls of the fixture site through the real CLI, and reading what they wrote."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import read_jsonl, run_cli

SPIDER = "news"
# The fixture site's address allowed, no politeness delays, and every known article due again at once (the default policy
# would wait a day): each test crawl re-checks everything it archived before.
FAST = ('ADDRESS_GUARD_ALLOW=["127.0.0.1"]', "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false",
        "RECHECK_POLICY=[[36500, 0]]")


def crawl(site_url: str, archive: Path, crawl_id: str, *extra_settings: str) -> dict:
    """One crawl of the `news` spider into `archive`; its crawl.json."""
    sets = [arg for setting in (*FAST, *extra_settings) for arg in ("--set", setting)]
    proc = run_cli("crawl", SPIDER, "--url", site_url, "--archive", str(archive), "--crawl-id", crawl_id,
                   "--no-progress", "--json", *sets, timeout=120)
    assert proc.returncode == 0, f"crawl {crawl_id} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads((archive / SPIDER / crawl_id / "crawl.json").read_text())


def crawl_dir(archive: Path, crawl_id: str) -> Path:
    return archive / SPIDER / crawl_id


def articles(archive: Path, crawl_id: str) -> list[dict]:
    return read_jsonl(crawl_dir(archive, crawl_id) / "articles.jsonl")


def warc_records(archive: Path, crawl_id: str) -> list[dict]:
    """Every record of the crawl's WARC files: type, URI, and the headers a test looks at."""
    found = []
    for path in sorted((crawl_dir(archive, crawl_id) / "warc").glob("*.warc.gz")):
        with gzip.open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                headers = record.rec_headers
                found.append({
                    "type": record.rec_type,
                    "uri": headers.get_header("WARC-Target-URI"),
                    "id": headers.get_header("WARC-Record-ID"),
                    "date": headers.get_header("WARC-Date"),
                    "profile": headers.get_header("WARC-Profile"),
                    "refers_to": headers.get_header("WARC-Refers-To"),
                    "refers_to_uri": headers.get_header("WARC-Refers-To-Target-URI"),
                    "refers_to_date": headers.get_header("WARC-Refers-To-Date"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "request_headers": dict(record.http_headers.headers) if record.rec_type == "request" else {},
                })
    return found
