"""Regenerate the fixture WARC that `scrapy check -s REPLAY_WARC=tests/fixtures/contracts/` replays.

    .venv/bin/python tools/make_contract_fixtures.py

Every site spider's article callback names a real article URL in its `@url` contract. Its fixture
page, tests/fixtures/contracts/pages/<spider>.html, is written by the project (modelled on the
site's structure: JSON-LD shape, byline markup, footer; never a copied page). This script records
each page under its `@url` with the project's own WARC writer and record builders, exactly as a
crawl would: a response record (gzip-encoded body for the sites that serve gzip) and its request
record, plus a CDXJ index beside the WARC.
"""
from __future__ import annotations

import argparse
import gzip
import ipaddress
import os
import re
import sys
from email.utils import format_datetime
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy import Request  # noqa: E402
from scrapy.http import HtmlResponse, TextResponse  # noqa: E402

from newsarchive.warc import records  # noqa: E402
from newsarchive.warc.writer import RollingWarcWriter  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "contracts"
PAGES = FIXTURES / "pages"
#: When the fixture pages were "captured": fixed, so regenerating gives the same index timestamps.
CAPTURED_AT = datetime(2026, 11, 29, 0, 0, tzinfo=timezone.utc)
#: TEST-NET-1 (RFC 5737): a fixture must not claim a real server's address.
FIXTURE_IP = ipaddress.ip_address("192.0.2.80")
REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": "newsarchive/0.1.0 (+https://github.com/newsarchive/newsarchive)",
}
URL_CONTRACT = re.compile(r"^\s*@url\s+(\S+)", re.M)


def contract_urls() -> dict[str, str]:
    """spider name -> the URL its article callback's `@url` contract names (spiders without one are left out)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsarchive.settings")
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    loader = SpiderLoader.from_settings(get_project_settings())
    urls = {}
    for name in sorted(loader.list()):
        callback = getattr(loader.load(name), "parse_article", None)
        match = URL_CONTRACT.search(getattr(callback, "__doc__", None) or "")
        if match:
            urls[name] = match.group(1)
    return urls


def fixture_pages(pages_dir: Path = PAGES) -> dict[str, tuple[str, bytes]]:
    """spider name -> (its @url, its fixture page); fails when a spider with a contract has no page."""
    pages = {}
    for name, url in contract_urls().items():
        page = pages_dir / f"{name}.html"
        if not page.exists():
            raise FileNotFoundError(f"spider {name!r} has an @url contract but no fixture page {page}")
        pages[name] = (url, page.read_bytes())
    return pages


def exchange(url: str, body: bytes, *, content_type: str, gzipped: bool, date: datetime) -> tuple[Request, TextResponse]:
    """The request a crawl sends and the response a site answers, as Scrapy objects (body as sent on the wire)."""
    request = Request(url, headers=REQUEST_HEADERS)
    headers = {
        "Content-Type": content_type,
        "Date": format_datetime(date, usegmt=True),
        "Cache-Control": "max-age=300",
        "Vary": "Accept-Encoding",
    }
    if gzipped:
        body = gzip.compress(body, mtime=0)
        headers["Content-Encoding"] = "gzip"
    cls = HtmlResponse if content_type.startswith("text/html") else TextResponse
    response = cls(url=url, status=200, headers=headers, body=body, request=request, protocol="HTTP/1.1",
                   ip_address=FIXTURE_IP)
    return request, response


def write_fixture_warc(pages: dict[str, tuple[str, bytes]], out_dir: Path, *, robots: dict[str, bytes] | None = None) -> Path:
    """Record `pages` (name -> (url, html)) and `robots` (url -> body) into one WARC in `out_dir`; its path.

    Earlier fixture WARCs and indexes in `out_dir` are removed first: the folder holds one capture per URL.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.warc.gz")) + list(out_dir.glob("*.cdxj")):
        old.unlink()
    writer = RollingWarcWriter(
        out_dir, prefix="CONTRACTS", hostname="fixtures", fsync=False,
        warcinfo_fields={"operator": "newsarchive test fixtures", "spider": "contract-fixtures",
                         "crawl-id": CAPTURED_AT.strftime("%Y%m%dT%H%M%SZ"), "robots": "obey",
                         "description": "project-written pages under real article URLs, for offline spider contracts"},
    )
    date = CAPTURED_AT.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    with writer:
        for url, body in sorted((robots or {}).items()):
            request, response = exchange(url, body, content_type="text/plain", gzipped=False, date=CAPTURED_AT)
            writer.write_exchange(records.response_record(response, date=date),
                                  records.request_record(request, response, date=date))
        for number, (name, (url, html)) in enumerate(sorted(pages.items())):
            # Most of these sites answer with gzip; every other fixture stays identity-encoded so both paths replay.
            request, response = exchange(url, html, content_type="text/html; charset=utf-8", gzipped=number % 2 == 0,
                                         date=CAPTURED_AT)
            writer.write_exchange(records.response_record(response, date=date),
                                  records.request_record(request, response, date=date))
    return writer.files[-1]


def default_robots(pages: dict[str, tuple[str, bytes]]) -> dict[str, bytes]:
    """A captured robots.txt for the first site, so replay answers robots.txt from the archive there too."""
    name = "techtimes" if "techtimes" in pages else sorted(pages)[0]
    url = re.sub(r"^(https?://[^/]+).*$", r"\1/robots.txt", pages[name][0])
    return {url: b"User-agent: *\nDisallow: /search\n"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of <spider>.html fixture pages")
    parser.add_argument("--out", type=Path, default=FIXTURES, help="folder for the fixture WARC and its CDXJ")
    args = parser.parse_args(argv)
    pages = fixture_pages(args.pages)
    path = write_fixture_warc(pages, args.out, robots=default_robots(pages))
    print(f"wrote {path} ({path.stat().st_size} bytes): {len(pages)} article pages for {', '.join(sorted(pages))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
