"""Real Scrapy Request/Response pairs, and a helper that writes them with the project's writer."""
from __future__ import annotations

import gzip
import ipaddress
from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response

from newsarchive.warc import records
from newsarchive.warc.writer import RollingWarcWriter

BASE = "http://127.0.0.1:8765"
LOCALHOST = ipaddress.ip_address("127.0.0.1")
HTML = ("<!doctype html><html><head><title>Unit fixture</title></head><body><h1>Writers keep every byte</h1>"
        "<p>A short page the unit tests archive, with nothing clever about it.</p></body></html>").encode()

WARCINFO = {"operator": "unit tests", "robots": "obey", "http-header-user-agent": "newsarchive-tests",
            "crawl-id": "20261129T000000Z", "spider": "unit"}


def exchange(path: str = "/story?id=1", *, status: int = 200, body: bytes = HTML, headers: dict | None = None,
             protocol: str = "HTTP/1.1", flags: list[str] | None = None, cls=HtmlResponse) -> tuple[Request, Response]:
    url = BASE + path
    request = Request(url + "#comments", headers={"User-Agent": "newsarchive-tests", "Accept-Encoding": "gzip"})
    response = cls(url, status=status, body=body, request=request, ip_address=LOCALHOST, protocol=protocol,
                   headers=headers if headers is not None else {"Content-Type": "text/html; charset=utf-8",
                                                                 "Content-Length": str(len(body))},
                   flags=flags)
    return request, response


def variety() -> list[tuple[Request, Response]]:
    """One of each kind of response a crawl meets."""
    zipped = gzip.compress(HTML * 5, mtime=0)
    return [
        exchange("/plain"),
        exchange("/zipped", body=zipped, headers={"Content-Type": "text/html", "Content-Encoding": "gzip",
                                                  "Content-Length": str(len(zipped))}),
        exchange("/chunked", headers={"Content-Type": "text/html", "Transfer-Encoding": "chunked"}),
        exchange("/h2", protocol="h2"),
        exchange("/moved", status=301, body=b"", headers={"Location": "/plain"}, cls=Response),
        exchange("/gone", status=404, body=b"not here", headers={"Content-Type": "text/plain"}, cls=Response),
        exchange("/cut", body=HTML[:40], headers={"Content-Type": "text/html", "Content-Length": str(len(HTML))},
                 flags=["download_stopped"]),
        exchange("/odd-status", status=299, body=b"?", headers={}, cls=Response),
    ]


FIRST_DATE = "2026-11-29T00:00:00Z"  # the WARC-Date of the sample's first exchange, which the revisit names


def write_exchange(writer: RollingWarcWriter, request: Request, response: Response,
                   truncated: str | None = None, date: str | None = None) -> dict:
    date = date or records.warc_date()
    record = records.response_record(response, date=date, truncated=truncated)
    return writer.write_exchange(record, records.request_record(request, response, date=date)).to_dict()


def write_sample(directory: Path, **writer_options) -> tuple[RollingWarcWriter, list[dict]]:
    """Every exchange of `variety()`, a revisit and a metadata record, in a closed writer."""
    writer = RollingWarcWriter(directory, warcinfo_fields=WARCINFO, **writer_options)
    pointers = []
    for number, (request, response) in enumerate(variety()):
        truncated = "length" if "download_stopped" in response.flags else None
        pointers.append(write_exchange(writer, request, response, truncated, date=FIRST_DATE if number == 0 else None))
    request, response = exchange("/copy")
    first = pointers[0]
    revisit = records.revisit_record(response, date=records.warc_date(), payload_digest=first["payload_digest"],
                                     refers_to_uri=BASE + "/plain", refers_to_date=FIRST_DATE,
                                     refers_to=first["record_id"])
    pointers.append(writer.write_exchange(revisit, records.request_record(request, response,
                                                                          date=records.warc_date())).to_dict())
    pointers.append(writer.write_record(records.metadata_record(b'{"title": "x"}',
                                                                refers_to=first["record_id"])).to_dict())
    writer.close()
    return writer, pointers
