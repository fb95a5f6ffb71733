"""A real Scrapy crawl of the loopback fixture site, with only the record-stage extensions enabled."""
from __future__ import annotations

import json
import resource
import signal
import subprocess
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newsarchive.warc import records
from newsarchive.warc.archive import WarcArchive
from newsarchive.warc.reader import read_record
from newsarchive.warc.validate import validate_paths
from tests.warc.conftest import (CRAWL_PAGES, MAXSIZE, REPO, crawl_command, crawl_env, gzip_test, run_crawl,
                                 warcio_check)


def warc_files(crawl) -> list[Path]:
    return sorted(crawl.warc_dir.glob("*.warc.gz"))


def records_in(warc_dir: Path, rec_type: str | None = None) -> list[tuple]:
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if rec_type in (None, record.rec_type):
                    found.append((record.rec_type, record.rec_headers, record.http_headers, record.raw_stream.read()))
    return found


def records_of(crawl, rec_type: str | None = None) -> list[tuple]:
    return records_in(crawl.warc_dir, rec_type)


def response_for(crawl, url: str) -> tuple:
    return next(r for r in records_of(crawl, "response") if r[1].get_header("WARC-Target-URI") == url)


def test_crawl_output_passes_the_gate(fixture_crawl):
    files = warc_files(fixture_crawl)
    assert len(files) == 1 and not list(fixture_crawl.warc_dir.glob("*.open"))
    assert validate_paths([fixture_crawl.warc_dir]) == []
    for path in files:
        assert warcio_check(path).returncode == 0 and gzip_test(path).returncode == 0
    assert fixture_crawl.summary["files"] == [str(p) for p in files]  # WarcRecorder.files


def test_gzip_payload_is_the_bytes_the_server_sent(fixture_server, fixture_crawl):
    _, headers, http, body = response_for(fixture_crawl, fixture_server.url + "/gzip.html")
    assert http.get_header("Content-Encoding") == "gzip"
    assert body == fixture_server.sent["/gzip.html"] and body[:2] == b"\x1f\x8b"


def test_chunked_page_is_stored_dechunked_with_honest_framing(fixture_server, fixture_crawl):
    _, headers, http, body = response_for(fixture_crawl, fixture_server.url + "/chunked.html")
    assert body == fixture_server.sent["/chunked.html"]
    # Recorded off the wire (Twisted hides it from Scrapy): the header stays in place under another name,
    # and no length is made up; the record's own length frames the de-chunked body.
    assert http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert http.get_header("Content-Length") is None
    assert headers.get_header("WARC-Payload-Digest") == records.payload_digest(body)


def test_redirects_and_errors_are_archived_before_middlewares_act(fixture_server, fixture_crawl):
    statuses = {r[1].get_header("WARC-Target-URI"): r[2].statusline for r in records_of(fixture_crawl, "response")}
    assert statuses[fixture_server.url + "/moved"] == "301 Moved Permanently"
    assert statuses[fixture_server.url + "/landing.html"] == "200 OK"
    assert statuses[fixture_server.url + "/missing"] == "404 Not Found"
    landing = fixture_crawl.by_path("/landing.html")
    assert landing["redirect_urls"] == [fixture_server.url + "/moved"]


def test_pointers_in_meta_resolve_to_the_response_record(fixture_crawl):
    index = WarcArchive(fixture_crawl.warc_dir)
    rows = [row for row in fixture_crawl.rows if not row["revisit"]]
    assert len(rows) == len(CRAWL_PAGES) - 1  # every page but the duplicate
    for row in rows:
        pointer = row["warc"]
        path = fixture_crawl.warc_dir / pointer["filename"]
        with open(path, "rb") as fh:  # seek + read, as a researcher would
            fh.seek(pointer["offset"])
            record = next(ArchiveIterator(fh))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
            assert record.rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]
            assert record.rec_headers.get_header("WARC-Payload-Digest") == pointer["payload_digest"]
            assert record.rec_headers.get_header("WARC-Date") == row["warc_date"]
        assert read_record(path, pointer["offset"]).rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]
        assert [(c.filename, c.offset) for c in index.captures(row["url"])] == [(pointer["filename"], pointer["offset"])]


def test_body_over_the_size_limit_is_kept_and_marked_truncated(fixture_server, fixture_crawl):
    row = fixture_crawl.by_path("/big.bin")
    assert "download_stopped" in row["flags"]
    _, headers, http, body = response_for(fixture_crawl, fixture_server.url + "/big.bin")
    assert headers.get_header("WARC-Truncated") == "length"
    assert MAXSIZE < len(body) < len(fixture_server.sent["/big.bin"]) and fixture_server.sent["/big.bin"].startswith(body)
    # The head as received: the server's length, which WARC-Truncated says the block falls short of.
    assert http.get_header("Content-Length") == str(len(fixture_server.sent["/big.bin"]))
    stats = fixture_crawl.summary["stats"]
    assert stats["newsarchive/truncated/size"] == 1 and stats["warc/truncated"] == 2  # with /dataloss.html


def test_body_cut_by_a_disconnect_is_marked_truncated(fixture_server, fixture_crawl):
    row = fixture_crawl.by_path("/dataloss.html")
    assert "dataloss" in row["flags"]
    _, headers, http, body = response_for(fixture_crawl, fixture_server.url + "/dataloss.html")
    assert headers.get_header("WARC-Truncated") == "disconnect"
    assert body == fixture_server.sent["/dataloss.html"]
    assert http.get_header("Content-Length") == str(2 * len(body))  # the server's promise, as sent


def test_in_crawl_duplicate_becomes_a_revisit(fixture_server, fixture_crawl):
    plain, copy = fixture_crawl.by_path("/plain.html"), fixture_crawl.by_path("/copy.html")
    first, second = sorted([plain, copy], key=lambda row: row["warc"]["offset"])
    assert second["revisit"] is True and first["revisit"] is False
    [(_, headers, http, body)] = records_of(fixture_crawl, "revisit")
    assert headers.get_header("WARC-Target-URI") == second["url"]
    assert headers.get_header("WARC-Truncated") == "length" and http.statusline == "200 OK"
    assert headers.get_header("WARC-Refers-To") == first["warc"]["record_id"]
    assert headers.get_header("WARC-Refers-To-Target-URI") == first["url"]
    assert headers.get_header("WARC-Refers-To-Date") == first["warc_date"]
    assert headers.get_header("WARC-Payload-Digest") == first["warc"]["payload_digest"] == second["warc"]["payload_digest"]
    assert headers.get_header("WARC-Record-ID") == second["warc"]["record_id"] and body == b""


def test_requests_carry_host_and_the_request_line(fixture_server, fixture_crawl):
    host = fixture_server.url.removeprefix("http://")
    requests = records_of(fixture_crawl, "request")
    assert len(requests) == len(records_of(fixture_crawl, "response")) + len(records_of(fixture_crawl, "revisit"))
    for _, headers, http, _ in requests:
        assert http.get_header("Host") == host and http.headers[-1][0] == "Host"  # last, as Twisted sends it
        target = headers.get_header("WARC-Target-URI").removeprefix(fixture_server.url)
        assert f"{http.protocol} {http.statusline}" == f"GET {target} HTTP/1.1"
        assert headers.get_header("WARC-IP-Address") == "127.0.0.1"


def test_stats_and_warcinfo_describe_the_crawl(fixture_crawl):
    stats = fixture_crawl.summary["stats"]
    everything = records_of(fixture_crawl)
    assert stats["warc/records"] == len(everything)
    # The redirect adds /landing.html, and /copy.html is a revisit: one response per listed page.
    assert stats["warc/responses"] == len(records_of(fixture_crawl, "response")) == len(CRAWL_PAGES)
    assert stats["warc/revisits"] == 1 and stats["warc/files"] == 1
    assert stats["warc/bytes"] == sum(p.stat().st_size for p in warc_files(fixture_crawl))
    info = dict(line.split(": ", 1) for line in everything[0][3].decode().splitlines() if line)
    assert info["spider"] == "warcfixture" and info["crawl-id"] == "20261129T000000Z"
    assert info["operator"].startswith("WARC tests") and info["robots"] == "ignore"
    sent = {http.get_header("User-Agent") for _, _, http, _ in records_of(fixture_crawl, "request")}
    assert sent == {info["http-header-user-agent"]} and info["http-header-user-agent"].startswith("newsarchive/")


def test_small_warc_max_size_rolls_over_during_a_crawl(fixture_server, tmp_path):
    urls = [fixture_server.url + path for path in ("/plain.html", "/gzip.html", "/chunked.html", "/missing")]
    crawl = run_crawl(urls, tmp_path, warc_max_size=2000, concurrency=1)
    files = warc_files(crawl)
    assert len(files) >= 3 and crawl.summary["stats"]["warc/files"] == len(files)
    assert crawl.summary["files"] == [str(p) for p in files]
    assert validate_paths([crawl.warc_dir]) == []


def test_write_errors_are_logged_counted_and_leave_earlier_records_valid(fixture_server, tmp_path):
    """The crawl runs with RLIMIT_FSIZE: a real EFBIG once the WARC outgrows it, as on a full disk."""
    limit = 5000

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    crawl_id = "20261129T020000Z"
    out = tmp_path / "rows.jsonl"
    urls = [fixture_server.url + path for path in CRAWL_PAGES]
    proc = subprocess.run(crawl_command(urls, tmp_path, crawl_id, out, concurrency=1, maxsize=MAXSIZE),
                          cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120,
                          preexec_fn=small_files)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "WARC write failed" in proc.stderr
    summary = json.loads(Path(str(out) + ".stats.json").read_text())
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    failed = [row for row in rows if row["warc"] is None]
    assert failed and summary["stats"]["warc/write_errors"] >= len(failed)
    warc_dir = tmp_path / "warcfixture" / crawl_id / "warc"
    [path] = list(warc_dir.glob("*.warc.gz"))
    assert path.stat().st_size <= limit
    assert validate_paths([warc_dir]) == []
    archived = {r[1].get_header("WARC-Record-ID") for r in records_in(warc_dir)
                if r[0] in ("response", "revisit")}
    assert {row["warc"]["record_id"] for row in rows if row["warc"]} <= archived


def test_responses_from_the_http_cache_are_not_archived(fixture_server, tmp_path):
    urls = [fixture_server.url + path for path in ("/plain.html", "/gzip.html")]
    cache = ["HTTPCACHE_ENABLED=True", f"HTTPCACHE_DIR={tmp_path / 'cache'}"]
    first = run_crawl(urls, tmp_path, "20261129T030000Z", set=cache)
    again = run_crawl(urls, tmp_path, "20261129T030100Z", set=cache)
    assert first.summary["stats"]["warc/responses"] == 2
    # Cache hits never reach response_downloaded (the recorder also skips any response flagged "cached").
    assert again.summary["stats"]["httpcache/hit"] == 2
    assert "warc/responses" not in again.summary["stats"] and not list(again.warc_dir.glob("*.warc.gz"))
